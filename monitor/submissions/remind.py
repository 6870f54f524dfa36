"""报送提醒: a unit that has had nothing published through the submissions columns for
``remind_after`` hears about it before the quarter ends — only when those columns were observed
for the whole stretch (no reminder rests on days the monitor did not see)."""

from __future__ import annotations

import datetime as dt

from ..alerts.messages import Line
from ..clock import told_recently
from ..config import Config
from ..core.evaluate import period_of
from ..evidence.coverage import coverage_of
from ..store import Store, iso, parse_iso
from ..textutil import md
from .attribute import alias_table, attribute

ONE_DAY = dt.timedelta(days=1)


def reminders(config: Config, store: Store, now: dt.datetime) -> list[Line]:
    spec = config.submissions
    if not spec.columns or spec.remind_after is None:
        return []
    today = now.date()
    q_start, _ = period_of("quarter", today)
    coverages = [coverage_of(store, c) for c in spec.columns]
    aliases = alias_table(config.units.values())
    last: dict[str, dt.date] = {}
    counts: dict[str, int] = {}
    marks = ",".join("?" * len(spec.columns))
    for row in store.query(f"SELECT title, day FROM posts WHERE source_id IN ({marks}) AND day <= ? ORDER BY day",
                           (*spec.columns, today.isoformat())):
        unit = attribute(row["title"], aliases)
        if unit:
            day = dt.date.fromisoformat(row["day"])
            last[unit] = day
            if day >= q_start:
                counts[unit] = counts.get(unit, 0) + 1
    lines = []
    for unit in config.units.values():
        required = unit.submissions_required if unit.submissions_required is not None else spec.required
        if required <= 0:
            continue
        since = max(last[unit.name] + ONE_DAY, q_start) if unit.name in last else q_start
        silent = (today - since).days
        if silent < spec.remind_after.days:
            continue
        if not all(c.covers(since, today - ONE_DAY) for c in coverages):
            continue                       # not observed the whole stretch: no evidence, no reminder
        key = f"submission_reminded:{unit.name}"
        told = parse_iso(store.get_meta(key))
        if told_recently(told, now, config.settings.repeat_every):
            continue
        store.set_meta(key, iso(now))
        latest = last[unit.name].isoformat() if unit.name in last else "本季度尚无"
        lines.append(Line("报送提醒", f"{md(unit.name)}已连续 {silent} 天没有信息在报送栏目采用（最近 {latest}），"
                                     f"本季度已采用 {counts.get(unit.name, 0)} 条，应报 {required} 条，请及时报送", unit.name))
    return lines
