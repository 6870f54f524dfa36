"""Fill a benchmark store with posts quickly: random days in a range, one transaction's batches."""

from __future__ import annotations

import datetime as dt
import random

BATCH = 100_000
INSERT = "INSERT INTO posts (source_id, key, title, published, day, first_seen, original) VALUES (?, ?, ?, ?, ?, ?, ?)"


def insert_posts(conn, ids: list[str], n_posts: int, start: dt.date, days: int, first_seen: str, seed: int = 1) -> None:
    """``n_posts`` posts spread round-robin over ``ids``, dated in [start, start + days); nine in ten original."""
    rng = random.Random(seed)
    batch = []
    for k in range(n_posts):
        day = (start + dt.timedelta(days=rng.randrange(days))).isoformat()
        batch.append((ids[k % len(ids)], f"k{k}", "标题", day, day, first_seen, int(rng.random() > 0.1)))
        if len(batch) == BATCH:
            conn.executemany(INSERT, batch)
            batch.clear()
    conn.executemany(INSERT, batch)
