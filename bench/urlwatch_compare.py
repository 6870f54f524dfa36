"""A first check of 82 loopback pages and feeds: monitor against urlwatch 2.29, side by side.

    pip install urlwatch==2.29          # in any venv; pass its executable with --urlwatch
    python bench/urlwatch_compare.py [--urlwatch PATH] [--runs 3]

Both run from a regular install in their own venv: monitor is installed with ``pip install .`` (not
editable, whose import hook alone costs ~15 ms a command) into a venv the bench keeps in the temp
directory and refreshes from the working tree on every run.

One server on 127.0.0.1 serves 62 column list pages (20 dated items each, the next page linked)
and 20 RSS feeds (20 items each). urlwatch fetches each URL and stores it (its first run); monitor
fetches each page and feed, follows pagination back to backfill_since, extracts and records every
post with its date, evaluates every source and decides alerts. No delay between requests to the host.
urlwatch asks the host 10 at a time (its MAX_WORKERS); monitor asks one site one request at a time
(politeness toward government sites; 16 workers serve different sites). Prints wall times and their ratio. The third line adds the content
checks (each new post's page read, its links checked, within one pass's request budget): work
urlwatch does not do, shown for its cost, not for the comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loopback import serve  # noqa: E402

COLUMNS, FEEDS = 62, 20


def list_page(n: int, page: int) -> bytes:
    base = dt.date(2021, 12, 28) - dt.timedelta(days=40 * page)
    items = "".join(
        f'<li><a href="/c{n}/t{page}_{k}.html" title="第{n}栏目 第{page}页 信息{k}">第{n}栏目 信息{k}</a>'
        f'<span>{(base - dt.timedelta(days=2 * k + n % 3)).isoformat()}</span></li>' for k in range(20))
    more = f'<a class="next" href="/c{n}/index_{page + 1}.html">下一页</a>' if page < 2 else ""
    return (f"<html><head><meta charset='utf-8'><title>栏目{n}</title></head><body><div class='nav'>首页</div>"
            f"<ul class='list'>{items}</ul><div class='pager'>{more}</div></body></html>").encode()


def feed(n: int) -> bytes:
    base = dt.datetime(2021, 12, 28, 2, 0)
    items = "".join(
        f"<item><title>账号{n} 动态{k}</title><link>https://mp.weixin.qq.com/s/{n}-{k}</link><guid>{n}-{k}</guid>"
        f"<pubDate>{(base - dt.timedelta(days=3 * k)).strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate>"
        f"<description>工作动态</description></item>" for k in range(20))
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>账号{n}</title>{items}</channel></rss>".encode()


SERVED = [0]


def respond(path: str) -> tuple[bytes, str]:
    parts = path.strip("/").split("/")
    if parts[0] == "feeds":
        return feed(int(parts[1][1:].split(".")[0])), "application/rss+xml; charset=utf-8"
    page = int(parts[1].split("_")[1].split(".")[0]) if "_" in parts[1] else 0
    return list_page(int(parts[0][1:]), page), "text/html; charset=utf-8"


def urls(site: str) -> list[str]:
    return [f"{site}/c{n}/index.html" for n in range(COLUMNS)] + [f"{site}/feeds/a{n}.xml" for n in range(FEEDS)]


def monitor_config(site: str, since: str, scan: bool = False) -> str:
    parts = [f'[monitor]\ndatabase = "m.db"\nbackfill_since = "{since}"\n\n[http]\ndelay_per_host = 0\nworkers = 16\n',
             f'[content]\nscan_articles = {"true" if scan else "false"}\n',
             '[[units]]\nname = "财政局"\n',
             '[column_defaults]\nitem = "ul.list > li"\ndate = "span"\nnext = "a.next"\n']
    parts += [f'[[columns]]\nid = "c{n}"\nname = "栏目{n}"\nunit = "财政局"\nfrequency = "1条/月"\nurl = "{site}/c{n}/index.html"\n'
              for n in range(COLUMNS)]
    parts += [f'[[accounts]]\nid = "a{n}"\nname = "账号{n}"\nunit = "财政局"\nfeed = "{site}/feeds/a{n}.xml"\n' for n in range(FEEDS)]
    return "\n".join(parts)


def installed_monitor() -> str:
    """The python of a venv holding monitor as ``pip install .`` leaves it (bytecode compiled)."""
    root = Path(__file__).resolve().parent.parent
    venv = Path(tempfile.gettempdir()) / "monitor-bench-venv"
    fresh = not (venv / "bin" / "python").exists()
    if fresh:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
    subprocess.run(pip + ([str(root)] if fresh else ["--no-deps", "--force-reinstall", str(root)]), check=True)
    return str(venv / "bin" / "python")


def timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds, and how many requests the server answered."""
    before = SERVED[0]
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - started, SERVED[0] - before


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--urlwatch", default=shutil.which("urlwatch") or "urlwatch")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--first-only", action="store_true", help="only the first workload (the same requests)")
    args = ap.parse_args()
    python = installed_monitor()
    site = serve(respond, SERVED)
    for since, scan, words in (
            ("2021-12-01", False, "first pages only (the same 82 requests as urlwatch)"),
            ("2021-07-01", False, "with pagination back to backfill_since (what a first check really reads)"),
            ("2021-07-01", True, "and reading the new posts' own pages and links (读网盯网; urlwatch has no such thing)"))[:1 if args.first_only else 3]:
        mine, theirs = [], []
        for run in range(args.runs):
            tmp = Path(tempfile.mkdtemp(prefix="uw-compare-"))
            (tmp / "config.toml").write_text(monitor_config(site, since, scan), encoding="utf-8")
            (tmp / "urls.yaml").write_text("\n---\n".join(f"url: {u}" for u in urls(site)) + "\n", encoding="utf-8")
            (tmp / "urlwatch.yaml").write_text("report:\n  stdout:\n    enabled: true\n    color: false\n", encoding="utf-8")
            monitor_run = [python, "-m", "monitor", "--config", "config.toml", "check", "--no-notify", "--exit-zero",
                           "--as-of", "2022-01-04T09:00"]
            urlwatch_run = [args.urlwatch, "--urls", "urls.yaml", "--config", "urlwatch.yaml", "--cache", "cache.db", "--hooks", "hooks.py"]
            # Each goes first in every other run, so neither always finds the machine warmer.
            for cmd, times in ((monitor_run, mine), (urlwatch_run, theirs))[::1 if run % 2 == 0 else -1]:
                times.append(timed(cmd, tmp))
        m, u = statistics.median(t for t, _ in mine), statistics.median(t for t, _ in theirs)
        wins = sum(a < b for (a, _), (b, _) in zip(mine, theirs))
        print(f"{words}: monitor {m:.2f} s ({mine[0][1]} requests, every post recorded, sources evaluated), "
              f"urlwatch {u:.2f} s ({theirs[0][1]} requests); monitor / urlwatch = {m / u:.2f} (median of {args.runs}; "
              f"monitor the quicker in {wins} of {args.runs} runs side by side)")


if __name__ == "__main__":
    main()
