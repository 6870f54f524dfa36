"""Benchmark one ``check`` pass: N column pages on H loopback hosts with a set server latency.

    python bench/check_bench.py [--columns 1000] [--hosts 50] [--latency 0.05] [--delay 0.2] [--workers 16]

Each host is its own HTTP server on 127.0.0.x (distinct loopback addresses, one port). Prints
wall time, the politeness bound — max(pages per host × delay_per_host, total latency ÷ workers) —
their ratio, pages parsed per CPU-second, and peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import multiprocessing
import resource
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.config import load  # noqa: E402
from monitor.pipeline import run_check  # noqa: E402
from monitor.store import Store  # noqa: E402


def page(n: int) -> bytes:
    base = dt.date(2021, 12, 28)
    items = "\n".join(
        f'<li><a href="/col{n}/t{k}.html" title="第{n}栏目 信息{k}">第{n}栏目 信息{k}</a>'
        f'<span>{(base - dt.timedelta(days=9 * k + n % 7)).isoformat()}</span></li>'
        for k in range(20))
    return (f"<html><head><meta charset='utf-8'><title>栏目{n}</title></head><body>"
            f"<div class='nav'>首页 > 政府信息公开 > 栏目{n}</div><ul class='list'>{items}</ul>"
            f"<div class='footer'>渭滨区人民政府 版权所有</div></body></html>").encode()


def serve(host: str, latency: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            time.sleep(latency)
            n = int(self.path.split("/")[1][3:])
            body = page(n)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_servers(hosts: int, latency: float, ports, ready) -> None:
    """In a child process, so the site's CPU is not counted as the monitor's."""
    servers = [serve(f"127.0.0.{i + 2}", latency) for i in range(hosts)]
    for s in servers:
        ports.append(s.server_address[1])
    ready.set()
    threading.Event().wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--columns", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--delay", type=float, default=0.2)
    ap.add_argument("--workers", type=int, default=16)
    args = ap.parse_args()

    manager = multiprocessing.Manager()
    ports, ready = manager.list(), manager.Event()
    site = multiprocessing.Process(target=run_servers, args=(args.hosts, args.latency, ports, ready), daemon=True)
    site.start()
    ready.wait(30)
    addresses = [f"127.0.0.{i + 2}:{port}" for i, port in enumerate(ports)]
    tmp = Path(tempfile.mkdtemp(prefix="check-bench-"))
    cols = "\n".join(
        f'[[columns]]\nid = "c{n}"\nname = "栏目{n}"\nunit = "单位"\nfrequency = "1条/月"\n'
        f'url = "http://{addresses[n % args.hosts]}/col{n}/index.html"\n'
        for n in range(args.columns))
    (tmp / "config.toml").write_text(
        f'[monitor]\ndatabase = "m.db"\nbackfill_since = "2021-10-01"\n'
        f'[http]\ndelay_per_host = {args.delay}\nworkers = {args.workers}\ntimeout = 10\n'
        f'[column_defaults]\nitem = "ul.list > li"\ndate = "span"\nmax_pages = 1\n'
        f'[[units]]\nname = "单位"\n{cols}', encoding="utf-8")
    logging.basicConfig(level=logging.WARNING)
    cfg = load(tmp / "config.toml")
    store = Store(cfg.settings.database)
    now = dt.datetime(2022, 1, 4, 9, tzinfo=ZoneInfo("Asia/Shanghai"))

    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = run_check(cfg, store, now, notify=False)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0

    pages = sum(f.pages for f in result.fetches.values())
    failed = sum(1 for f in result.fetches.values() if not f.ok)
    per_host = args.columns / args.hosts
    bound = max(per_host * args.delay, args.columns * args.latency / args.workers)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"columns={args.columns} hosts={args.hosts} latency={args.latency}s delay_per_host={args.delay}s workers={args.workers}")
    print(f"pages read: {pages}, failed sources: {failed}, posts recorded: {result.new_posts}")
    print(f"wall time: {wall:.2f} s")
    print(f"politeness bound: {bound:.2f} s (pages/host x delay = {per_host * args.delay:.2f}, latency/workers = {args.columns * args.latency / args.workers:.2f})")
    print(f"ratio wall/bound: {wall / bound:.2f}")
    print(f"CPU time: {cpu:.2f} s; pages parsed per CPU-second: {pages / cpu:.0f}")
    print(f"peak RSS: {rss_mb:.0f} MB")
    site.terminate()


if __name__ == "__main__":
    main()
