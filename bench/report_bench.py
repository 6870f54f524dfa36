"""Benchmark the quarterly report over a large store.

    python bench/report_bench.py [--sources 10000] [--posts 2000000]

Builds a store of S sources (80% columns, 20% accounts) holding P posts spread over 2021Q4,
then times building the report and writing it as JSON and XLSX, in-process and through the CLI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fill import insert_posts, write_district  # noqa: E402
from monitor.config import load  # noqa: E402
from monitor.evidence.posts import posts_in  # noqa: E402
from monitor.report.build import build  # noqa: E402
from monitor.report.render import write  # noqa: E402
from monitor.store import Store  # noqa: E402


def make(tmp: Path, n_sources: int, n_posts: int) -> Path:
    path = write_district(tmp, '[monitor]\ndatabase = "m.db"\nbackfill_since = "2021-10-01"\n', n_sources, "http://127.0.0.1:9")
    cfg = load(path)
    store = Store(cfg.settings.database)
    start = dt.date(2021, 10, 1)
    store.sync_sources(cfg.sources, start)
    ids = [s.id for s in cfg.sources]
    with store.transaction():
        store.conn.executemany("INSERT INTO fetches (source_id, at, ok) VALUES (?, '2022-01-01T00:00:00+08:00', 1)",
                               [(i,) for i in ids])
        # Nine sources in ten observed all quarter; the tenth only from mid-November (a late first read).
        store.conn.executemany("INSERT INTO coverage (source_id, start, end) VALUES (?, ?, '2021-12-31')",
                               [(sid, "2021-11-15" if k % 10 == 9 else "2021-10-01") for k, sid in enumerate(ids)])
        insert_posts(store.conn, ids, n_posts, start, 92, "2022-01-01T00:00:00+08:00")
    store.conn.execute("ANALYZE")
    store.close()
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=10_000)
    ap.add_argument("--posts", type=int, default=2_000_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="report-bench-"))
    t0 = time.perf_counter()
    path = make(tmp, args.sources, args.posts)
    print(f"store: {args.sources} sources, {args.posts} posts, built in {time.perf_counter() - t0:.1f} s")

    cfg = load(path)
    store = Store(cfg.settings.database)
    q4 = (dt.date(2021, 10, 1), dt.date(2021, 12, 31))
    t = time.perf_counter()
    data = build(cfg, store, *q4)
    print(f"build: {time.perf_counter() - t:.2f} s ({len(data['columns'])} columns, {len(data['accounts'])} accounts)")
    for fmt in ("json", "md", "html", "xlsx"):
        t = time.perf_counter()
        write(data, fmt, tmp / f"r.{fmt}", posts_in(store, cfg, *q4) if fmt == "xlsx" else None)
        print(f"write {fmt}: {time.perf_counter() - t:.2f} s" + ("（含明细表，每条信息一行）" if fmt == "xlsx" else ""))
    print(f"peak RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for fmt in ("json", "xlsx"):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "monitor", "--config", str(path), "report", "--period", "2021Q4",
                        "--format", fmt, "-o", str(tmp / f"cli.{fmt}"), "--as-of", "2022-01-04"], check=True, capture_output=True)
        print(f"monitor report --format {fmt} (whole command, config load included): {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
