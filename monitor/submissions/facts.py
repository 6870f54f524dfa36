"""附件1 for a period: per unit 应报, 实报 (imported, or None), 网站采用 (published titles attributed
to it), and the published titles no unit could be matched to (未归属, listed, never dropped)."""

from __future__ import annotations

import datetime as dt

from ..config import Config
from ..evidence.coverage import coverage_of
from ..store import Store
from .attribute import alias_table, attribute


def period_key(start: dt.date, end: dt.date) -> str:
    return f"{start.isoformat()}..{end.isoformat()}"


def submission_facts(config: Config, store: Store, start: dt.date, end: dt.date, upto: dt.date | None = None) -> dict | None:
    """``upto``: count published titles only to this day (a period still running)."""
    spec = config.submissions
    if not spec.columns:
        return None
    aliases = alias_table(config.units.values())
    published: dict[str, int] = {}
    unattributed = []
    marks = ",".join("?" * len(spec.columns))
    for row in store.query(f"SELECT source_id, title, day, url FROM posts WHERE source_id IN ({marks}) "
                           "AND day BETWEEN ? AND ? ORDER BY day", (*spec.columns, start.isoformat(), (upto or end).isoformat())):
        unit = attribute(row["title"], aliases)
        if unit is None:
            unattributed.append({"title": row["title"], "day": row["day"], "column": row["source_id"], "url": row["url"]})
        else:
            published[unit] = published.get(unit, 0) + 1
    submitted: dict[str, int] | None = None
    period = period_key(start, end)
    if store.conn.execute("SELECT 1 FROM submissions WHERE period = ? LIMIT 1", (period,)).fetchone():
        submitted = {r["unit"]: r["n"] for r in store.query(
            "SELECT unit, count(*) AS n FROM submissions WHERE period = ? GROUP BY unit", (period,))}
    unjudged = _why_unjudged(store, {c: config.source(c).name for c in spec.columns}, start, end, upto, submitted is not None)
    rows = []
    for unit in config.units.values():
        required = unit.submissions_required if unit.submissions_required is not None else spec.required
        sent = submitted.get(unit.name, 0) if submitted is not None else None
        got = published.get(unit.name, 0)
        counted = sent if sent is not None else got
        short = counted < required
        judged = not (short and unjudged)     # a shortfall without the whole period behind it is no finding
        rows.append({"unit": unit.name, "required": required, "submitted": sent, "published": got,
                     "flagged": short if judged else None, "zero": (counted == 0 and required > 0) if judged else None})
    return {"units": rows, "unattributed": unattributed, "imported": submitted is not None, "unjudged": unjudged}


def _why_unjudged(store: Store, columns: dict[str, str], start: dt.date, end: dt.date, upto: dt.date | None, imported: bool) -> str:
    """Why a unit short of 应报 cannot be named yet, as a reason in the office's words; '' when it can. A quota is
    for the whole period, so a period still running judges no shortfall; without imported 实报 the
    count rests on the submissions columns, so every day of the period must have been observed."""
    if upto is not None and upto < end:
        return "统计期尚未结束"
    if imported:
        return ""
    seen = {name: coverage_of(store, source_id).describe(start, end) for source_id, name in columns.items()}
    gaps = [f"“{name}”{note}" for name, note in seen.items() if note]
    return f"报送栏目未全程监测（{'、'.join(gaps)}）" if gaps else ""
