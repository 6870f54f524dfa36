"""Benchmark the daemon's cost against the size of the store.

    python bench/daemon_bench.py [--sources 10000] [--posts 2000000] [--jobs 300]

Builds a store of S sources holding P posts over a year (2021), with an alert row and a few
missed periods per source, then measures:

- one job's settle (record one fetch, evaluate its source, decide and queue its alerts) at S
  sources and at 100 sources: the per-job cost must not grow with S;
- a daemon cycle's CPU: every source's job once (timed over --jobs jobs, scaled to S);
- `monitor status` and `monitor check --only …` (20 columns read from a loopback server) as whole
  commands: wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fill import insert_posts, write_district  # noqa: E402
from loopback import serve  # noqa: E402
from monitor.config import load  # noqa: E402
from monitor.model import Fetch, Post  # noqa: E402
from monitor.pipeline import settle  # noqa: E402
from monitor.store import Store  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2022, 1, 4, 9, 0, tzinfo=TZ)
PAGE = ("<ul class='list'>" + "".join(f"<li><a href='/p{k}.html'>通知{k}</a><span>2021-12-{28 - k:02d}</span></li>"
                                      for k in range(20)) + "</ul>").encode()


def make(tmp: Path, n_sources: int, n_posts: int, site: str) -> Path:
    path = write_district(tmp, '[monitor]\ndatabase = "m.db"\nbackfill_since = "2021-01-01"\n\n[http]\ndelay_per_host = 0\n\n'
                               '[column_defaults]\nitem = "ul.list > li"\ndate = "span"\n', n_sources, site)
    cfg = load(path)
    store = Store(cfg.settings.database)
    store.sync_sources(cfg.sources, dt.date(2021, 1, 1))
    ids = [s.id for s in cfg.sources]
    start = dt.date(2021, 1, 1)
    with store.transaction():
        store.conn.executemany("INSERT INTO fetches (source_id, at, ok) VALUES (?, '2022-01-04T08:00:00+08:00', 1)",
                               [(i,) for i in ids])
        store.conn.executemany("UPDATE sources SET first_ok = '2021-01-01T08:00:00+08:00', backfill = '2021-01-01', "
                               "observed_at = '2022-01-04T08:00:00+08:00' WHERE id = ?", [(i,) for i in ids])
        store.conn.executemany("INSERT INTO coverage (source_id, start, end) VALUES (?, '2021-01-01', '2022-01-03')",
                               [(i,) for i in ids])
        store.conn.executemany("INSERT INTO alerts (source_id, state, since, notified, rule_state) "
                               "VALUES (?, 'ok', '2021-06-01T08:00:00+08:00', NULL, 'ok')", [(i,) for i in ids])
        store.conn.executemany("INSERT INTO missed_periods (source_id, start, end, noted) VALUES (?, ?, ?, '2021-06-01')",
                               [(i, f"2021-0{m}-01", f"2021-0{m}-28") for i in ids for m in (2, 4, 6)])
        insert_posts(store.conn, ids, n_posts, start, 365, "2021-06-01T00:00:00+08:00")
    store.conn.execute("ANALYZE")
    store.close()
    return path


def job_cost(path: Path, jobs: int) -> tuple[float, float]:
    """Mean wall and CPU seconds of one job's settle, over ``jobs`` sources."""
    cfg = load(path)
    store = Store(cfg.settings.database)
    sources = cfg.sources[:: max(1, len(cfg.sources) // jobs)][:jobs]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for s in sources:
        fetch = Fetch(ok=True, posts=[Post(f"new-{s.id}", "新通知", None, dt.date(2022, 1, 3))], items=1,
                      observed_from=dt.date(2021, 12, 20))
        settle(cfg, store, [(s, fetch)], NOW, only={s.id}, notify=True)
    n = len(sources)
    return (time.perf_counter() - wall0) / n, (time.process_time() - cpu0) / n


MEASURE = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def command(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one monitor command, measured by a parent of its own."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "monitor", *args],
                         check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - started, int(out.strip()) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=10_000)
    ap.add_argument("--posts", type=int, default=2_000_000)
    ap.add_argument("--jobs", type=int, default=300)
    args = ap.parse_args()
    logging.disable(logging.WARNING)   # the bench config has no channels: its "no office channel" warnings are noise
    site = serve(lambda path: (PAGE, "text/html; charset=utf-8"))
    tmp = Path(tempfile.mkdtemp(prefix="daemon-bench-"))
    for n, posts in ((100, args.posts * 100 // args.sources), (args.sources, args.posts)):
        folder = tmp / f"s{n}"
        folder.mkdir()
        t0 = time.perf_counter()
        path = make(folder, n, posts, site)
        print(f"store: {n} sources, {posts} posts over 2021, built in {time.perf_counter() - t0:.1f} s")
        wall, cpu = job_cost(path, min(args.jobs, n))
        print(f"  one job's settle: {wall * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU (mean of {min(args.jobs, n)} jobs)")
        print(f"  a daemon cycle (every source's job once): about {cpu * n:.1f} s CPU")
        wall, rss = command(["--config", str(path), "status", "--as-of", "2022-01-04T09:00"])
        print(f"  monitor status: {wall:.2f} s, peak RSS {rss:.0f} MB")
        only = [s.id for s in load(path).columns[:20]]
        wall, rss = command(["--config", str(path), "check", "--no-notify", "--exit-zero", "--as-of", "2022-01-04T10:00", "--only", *only])
        print(f"  monitor check --only (20 columns from a loopback server): {wall:.2f} s, peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
