"""Benchmark districts: a config of 200 units and their sources, and a store filled with posts quickly
(random days in a range, one transaction's batches)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

BATCH = 100_000
RULES = ["1条/月", "1条/2周", "1条/季度", "2条/月", "1条/周"]
UNITS = [f"单位{i}" for i in range(200)]
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


def write_district(folder: Path, header: str, n_sources: int, site: str) -> Path:
    """config.toml of ``n_sources`` sources (one in five an account) spread over 200 units, pages and
    feeds under ``site``; ``header`` holds the tables before [[units]]."""
    n_accounts = n_sources // 5
    parts = [header]
    parts += [f'[[units]]\nname = "{u}"\n' for u in UNITS]
    parts += [f'[[columns]]\nid = "c{i}"\nname = "栏目{i}"\nunit = "{UNITS[i % 200]}"\nfrequency = "{RULES[i % 5]}"\n'
              f'url = "{site}/c{i}/index.html"\n' for i in range(n_sources - n_accounts)]
    parts += [f'[[accounts]]\nid = "a{i}"\nname = "账号{i}"\nunit = "{UNITS[i % 200]}"\nfeed = "{site}/a{i}.xml"\n'
              for i in range(n_accounts)]
    path = folder / "config.toml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
