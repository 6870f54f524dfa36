"""The facts behind a verdict, in the office's words: the missed period, or the gap and the posts around it."""

from __future__ import annotations

import datetime as dt

from ..core.evaluate import count_between, period_label
from ..core.rules import Rule

ONE_DAY = dt.timedelta(days=1)


def violation_text(rule: Rule, dates: list[dt.date], span: tuple[dt.date, dt.date], period: tuple[dt.date, dt.date],
                   cal, originals: bool = False) -> str:
    """One proven violation as a sentence; ``dates`` are the sorted post days counted for the period.

    Calendar rules: ``2021年12月未更新（要求1条/月）``. Rolling rules: the posts before and after the
    empty run, e.g. ``2021-11-18 → 2021-12-20，其间 31 天无更新（要求1条/2周）``.
    """
    what = "原创" if originals else "更新"
    start, end = span
    n = count_between(dates, start, end)
    have = f"仅{what}{n}条" if n else f"未{what}"
    if rule.is_calendar:
        return f"{period_label(rule.unit, start)}{have}（要求{rule}）"
    if rule.count > 1:      # a window that held too few posts
        return f"{start.isoformat()}至{end.isoformat()}{have}（要求{rule}）"
    posted = set(dates)
    left = (start - ONE_DAY).isoformat() if start - ONE_DAY in posted else f"{start.isoformat()}（{'统计期初' if start == period[0] else '有记录起'}）"
    right = (end + ONE_DAY).isoformat() if end + ONE_DAY in posted else f"{end.isoformat()}（{'统计期末' if end == period[1] else '截至'}）"
    if rule.is_workday:
        length = f"{cal.count_workdays(start, end)} 个工作日"
    else:
        length = f"{(end - start).days + 1} 天"
    return f"{left} → {right}，其间 {length}无{what}（要求{rule}）"


def summary(evidence: list[str], limit: int = 3, more: str = "；另有 {n} 处（monitor posts 可查）") -> str:
    """The first few facts, and how many more there are: a table cell stays readable."""
    shown = "；".join(evidence[:limit])
    return shown + (more.format(n=len(evidence) - limit, total=len(evidence)) if len(evidence) > limit else "")
