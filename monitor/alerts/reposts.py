"""转发不足: an account that ended a period (a month, for 1条/月) short of its required reposts, over
days the monitor observed, is told once — like a missed period of a column."""

from __future__ import annotations

import datetime as dt

from ..config import Account, Config
from ..core.evaluate import MISSED, compliance, period_label, period_of
from ..evidence.coverage import coverage_of
from ..store import Store, iso
from ..textutil import md
from .messages import Line, who


def repost_lines(config: Config, store: Store, accounts: list[Account], now: dt.datetime) -> list[Line]:
    today = now.date()
    q_start, q_end = period_of("quarter", today)
    start = period_of("quarter", q_start - dt.timedelta(days=1))[0]      # this quarter and the one before
    lines = []
    for a in accounts:
        rule = a.must_repost.rule
        days = [dt.date.fromisoformat(r[0]) for r in store.conn.execute(
            "SELECT day FROM posts WHERE source_id = ? AND origin IS NOT NULL AND day BETWEEN ? AND ? ORDER BY day",
            (a.id, start.isoformat(), today.isoformat()))]
        result = compliance(rule, days, start, q_end, config.calendar, coverage_of(store, a.id), today)
        if result.verdict != MISSED:
            continue
        for s, e in result.violations:
            key = f"repost_missed:{a.id}:{s.isoformat()}"
            if store.get_meta(key):
                continue
            store.set_meta(key, iso(now))
            n = sum(s <= d <= e for d in days)
            when = period_label(rule.unit, s) if rule.is_calendar else f"{s.isoformat()}至{e.isoformat()}"
            lines.append(Line("转发不足", f"{who(a)}{when}转发{'、'.join(md(o) for o in a.must_repost.origins)}"
                                        f"的信息{n}条，要求{rule}", a.unit))
    return lines
