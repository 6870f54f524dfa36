"""The posts behind the tables: what ``monitor posts`` lists and the XLSX 明细 sheet holds."""

from __future__ import annotations

import datetime as dt

from ..config import Config
from ..store import Store

COLUMNS = ("source_id", "kind", "name", "unit", "day", "published", "title", "url", "original", "first_seen", "backdated")


def posts_in(store: Store, config: Config, start: dt.date, end: dt.date, source_id: str | None = None) -> list[dict]:
    """Posts dated in [start, end] of the configured sources (or one of them), in config order, oldest first."""
    sql = ("SELECT p.source_id, s.kind, s.name, s.unit, p.day, p.published, p.title, p.url, p.original, "
           "p.first_seen, p.backdated FROM posts p JOIN sources s ON s.id = p.source_id WHERE p.day BETWEEN ? AND ?")
    params: list = [start.isoformat(), end.isoformat()]
    if source_id:
        sql += " AND p.source_id = ?"
        params.append(source_id)
    order = {s.id: i for i, s in enumerate(config.sources)}
    rows = [dict(zip(COLUMNS, r)) for r in store.conn.execute(sql + " ORDER BY p.day, p.published, p.id", params)]
    return sorted((r for r in rows if r["source_id"] in order), key=lambda r: order[r["source_id"]])


def time_of(row: dict) -> str:
    """HH:MM when the source gave a time of day, else ''."""
    return row["published"][11:16] if "T" in row["published"] else ""


def kind_words(row: dict) -> str:
    return ("原创" if row["original"] else "转发") if row["kind"] == "account" else ""
