"""The posts behind the tables: what ``monitor posts`` lists and the XLSX 明细 sheet holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..config import Config
from ..store import Store

COLUMNS = ("source_id", "kind", "name", "unit", "day", "published", "title", "url", "original", "first_seen", "backdated")


def posts_in(store: Store, config: Config, start: dt.date, end: dt.date, source_id: str | None = None) -> Iterator[dict]:
    """Posts dated in [start, end] of the configured sources (or one of them), in config order, oldest
    first. A stream: a quarter of millions of posts is never held in memory at once."""
    sql = ("SELECT p.source_id, s.kind, s.name, s.unit, p.day, p.published, p.title, p.url, p.original, "
           "p.first_seen, p.backdated FROM posts p JOIN sources s ON s.id = p.source_id "
           "WHERE p.source_id = ? AND p.day BETWEEN ? AND ? ORDER BY p.day, p.published, p.id")
    ids = [source_id] if source_id else [s.id for s in config.sources]
    for sid in ids:
        for row in store.conn.execute(sql, (sid, start.isoformat(), end.isoformat())):
            yield dict(zip(COLUMNS, row))


def time_of(row: dict) -> str:
    """HH:MM when the source gave a time of day, else ''."""
    return row["published"][11:16] if "T" in row["published"] else ""


def kind_words(row: dict) -> str:
    return ("原创" if row["original"] else "转发") if row["kind"] == "account" else ""
