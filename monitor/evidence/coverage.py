"""Coverage in the store: which days each source was observed completely.

A successful read adds the days from its ``observed_from`` to the day before it ran (the day it
ran is not over yet); a failed read adds nothing. A read that went as far back as the source
allows records where its backfill ended, and later reads only need to reach the covered days.
"""

from __future__ import annotations

import datetime as dt
import logging

from ..core.coverage import Coverage
from ..model import Fetch
from ..store import Store, iso, parse_iso

log = logging.getLogger(__name__)

ONE_DAY = dt.timedelta(days=1)


def coverage_of(store: Store, source_id: str) -> Coverage:
    rows = store.conn.execute("SELECT start, end FROM coverage WHERE source_id = ? ORDER BY start", (source_id,))
    return Coverage(tuple((dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in rows))


def coverage_by_source(store: Store) -> dict[str, Coverage]:
    spans: dict[str, list] = {}
    for source_id, a, b in store.conn.execute("SELECT source_id, start, end FROM coverage ORDER BY source_id, start"):
        spans.setdefault(source_id, []).append((dt.date.fromisoformat(a), dt.date.fromisoformat(b)))
    return {sid: Coverage(tuple(s)) for sid, s in spans.items()}


def add_span(store: Store, source_id: str, start: dt.date, end: dt.date) -> Coverage:
    """Add [start, end] to the source's coverage, merged with what is there."""
    merged = coverage_of(store, source_id).add(start, end)
    with store.transaction():
        store.conn.execute("DELETE FROM coverage WHERE source_id = ?", (source_id,))
        store.conn.executemany("INSERT INTO coverage (source_id, start, end) VALUES (?, ?, ?)",
                               [(source_id, a.isoformat(), b.isoformat()) for a, b in merged.spans])
    return merged


def read_target(store: Store, source_id: str) -> dt.date | None:
    """The last covered day joined to the finished backfill, or None while it is unfinished."""
    row = store.source_row(source_id)
    if not row or not row["backfill"]:
        return None
    backfill = dt.date.fromisoformat(row["backfill"])
    coverage = coverage_of(store, source_id)
    return coverage.span_at(backfill)[1] if coverage.covers_day(backfill) else None


def observe(store: Store, source_id: str, name: str, fetch: Fetch, read_at: dt.datetime) -> None:
    """Record what a successful read observed. ``read_at`` is when the read really happened:
    a run with a future --as-of cannot observe days that have not come."""
    if not fetch.ok:
        return
    row = store.source_row(source_id)
    since = dt.date.fromisoformat(row["since"])
    start = fetch.observed_from
    if fetch.not_modified:          # the first page is unchanged since the last read: nothing new since
        previous = parse_iso(row["observed_at"])
        start = previous.date() if isinstance(previous, dt.datetime) and previous <= read_at else None
    with store.transaction():
        if start is not None:
            add_span(store, source_id, max(start, since), read_at.date() - ONE_DAY)
        store.conn.execute("UPDATE sources SET observed_at = ? WHERE id = ?", (iso(read_at), source_id))
        if fetch.backfill and not row["backfill"]:
            store.conn.execute("UPDATE sources SET backfill = ? WHERE id = ?", (fetch.backfill.isoformat(), source_id))
            if row["observed_at"]:      # an earlier read had stopped short: say once that it is done
                log.info("%s「%s」补录完成：已读到 %s", source_id, name, fetch.backfill.isoformat())
