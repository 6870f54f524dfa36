"""The quarter's tables (附件2 columns, 附件4 accounts) computed from recorded posts."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from ..config import PLATFORMS, Account, Column, Config
from ..core.evaluate import compliance, count_between, month_counts, period_of
from ..store import Store


class PeriodError(ValueError):
    pass


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """2021Q4 | 2021-10 | 2021 | 2021-10-01..2021-12-31 → (start, end)."""
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})\s*[Qq]([1-4])", text):
            return period_of("quarter", dt.date(int(m[1]), 3 * int(m[2]) - 2, 1))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return period_of("month", dt.date(int(m[1]), int(m[2]), 1))
        if re.fullmatch(r"\d{4}", text):
            return period_of("year", dt.date(int(text), 1, 1))
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", text):
            start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            if start <= end:
                return start, end
    except ValueError:
        pass
    raise PeriodError(f"无法识别的统计期 {text!r}（示例：2021Q4、2021-10、2021、2021-10-01..2021-12-31）")


def period_title(start: dt.date, end: dt.date) -> str:
    """2021年四季度, 2021年10月, 2021年 … as the notice titles its tables."""
    if (start, end) == period_of("quarter", start):
        return f"{start.year}年{'一二三四'[(start.month - 1) // 3]}季度"
    if (start, end) == period_of("month", start):
        return f"{start.year}年{start.month}月"
    if (start, end) == period_of("year", start):
        return f"{start.year}年"
    return f"{start.isoformat()}至{end.isoformat()}"


def build(config: Config, store: Store, start: dt.date, end: dt.date) -> dict:
    """The report as plain data; the shape of ``report --format json`` (SPEC §4)."""
    cal = config.calendar
    days: dict[str, list[dt.date]] = defaultdict(list)
    originals: dict[str, list[dt.date]] = defaultdict(list)
    backdated: dict[str, list[dt.date]] = defaultdict(list)
    for source_id, all_days, original_days, backdated_days in store.post_days_by_source(start, end):
        days[source_id], originals[source_id], backdated[source_id] = all_days, original_days, backdated_days
    readable = {r[0] for r in store.conn.execute("SELECT DISTINCT source_id FROM fetches WHERE ok = 1")}

    weeks = week_starts(start, end)
    columns = []
    for c in config.columns:
        result = compliance(c.rule, days[c.id], start, end, cal)
        has_data = c.id in readable
        columns.append({
            "id": c.id, "name": c.name, "unit": c.unit, "frequency": str(c.rule),
            "months": month_counts(days[c.id], start, end),
            "total": result.posts,
            "backdated": len(backdated[c.id]),
            "months_backdated": month_counts(backdated[c.id], start, end),
            "compliant": result.compliant if has_data else None,
            "violations": [[a.isoformat(), b.isoformat()] for a, b in result.violations] if has_data else [],
            "weekly": weekly_counts(days[c.id], weeks),
        })

    accounts = []
    for a in config.accounts:
        has_data = a.feed is not None and a.id in readable
        result = compliance(a.rule, originals[a.id], start, end, cal)
        accounts.append({
            "id": a.id, "name": a.name, "unit": a.unit, "platform": a.platform,
            "platform_name": PLATFORMS[a.platform], "rule": str(a.rule),
            "monitored": a.feed is not None,
            "required": result.required if a.feed is not None else None,
            "originals": result.posts if has_data else None,
            "posts": len(days[a.id]) if has_data else None,
            "broken": (not result.compliant) if has_data else None,
            "longest_gap": result.longest_gap if has_data else None,
            "gap_unit": "工作日" if a.rule.is_workday else "天",
            "weekly": weekly_counts(originals[a.id], weeks),
        })

    column_units = _units_in_order(config.columns, [c["compliant"] is False for c in columns])
    account_units = _units_in_order(config.accounts, [a["broken"] is True for a in accounts])
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "title": period_title(start, end)},
        "weeks": [w.isoformat() for w in weeks],
        "columns": columns,
        "accounts": accounts,
        "noncompliant_units": list(dict.fromkeys([*column_units, *account_units])),
        "noncompliant_column_units": column_units,
        "broken_account_units": account_units,
    }


def _units_in_order(sources: list[Column] | list[Account], flags: list[bool]) -> list[str]:
    return list(dict.fromkeys(s.unit for s, bad in zip(sources, flags) if bad))


def week_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """Mondays of the weeks that touch [start, end]."""
    monday = start - dt.timedelta(days=start.weekday())
    return [monday + dt.timedelta(weeks=i) for i in range((end - monday).days // 7 + 1)]


def weekly_counts(dates: list[dt.date], weeks: list[dt.date]) -> list[int]:
    """Posts per week; ``dates`` sorted."""
    return [count_between(dates, w, w + dt.timedelta(days=6)) for w in weeks]
