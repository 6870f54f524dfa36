"""Evaluate a source's posts against its rule: state at a moment, compliance over a period.

Everything here is a plain function over dates; "now" is always an argument.
Post dates are local dates (already converted to the monitor's timezone), sorted or not.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .calendar import WorkCalendar
from .coverage import Coverage
from .rules import Rule

ONE_DAY = dt.timedelta(days=1)

OK, DUE_SOON, OVERDUE, FAILING, UNMONITORED = "ok", "due_soon", "overdue", "failing", "unmonitored"
PENDING = "pending"  # configured but never fetched yet
STATE_LABELS = {OK: "正常", DUE_SOON: "即将到期", OVERDUE: "逾期", FAILING: "抓取失败", UNMONITORED: "未监测", PENDING: "待抓取"}
STATE_NAMES = {OK: "正常", DUE_SOON: "即将到期", OVERDUE: "逾期", FAILING: "抓取失败", UNMONITORED: "未监测"}
# How bad a rule state is; used to say "adding a post never worsens a state".
SEVERITY = {OK: 0, DUE_SOON: 1, OVERDUE: 2}


# ---------------------------------------------------------------- calendar periods

def period_of(unit: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar period (week Mon–Sun, month, quarter, year) that holds ``day``."""
    if unit == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if unit == "month":
        start = day.replace(day=1)
    elif unit == "quarter":
        start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    elif unit == "year":
        start = dt.date(day.year, 1, 1)
    else:
        raise ValueError(f"not a calendar unit: {unit}")
    return start, _next_period_start(unit, start) - ONE_DAY


def _next_period_start(unit: str, start: dt.date) -> dt.date:
    if unit == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    month0 = start.month - 1 + months
    return dt.date(start.year + month0 // 12, month0 % 12 + 1, 1)


def periods_within(unit: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Calendar periods lying wholly inside [start, end]."""
    out = []
    ps, pe = period_of(unit, start)
    while pe <= end:
        if ps >= start:
            out.append((ps, pe))
        ps = pe + ONE_DAY
        pe = period_of(unit, ps)[1]
    return out


def period_label(unit: str, start: dt.date) -> str:
    """Chinese name of a period: 2021年12月, 2021年第4季度, 2021年第50周 …"""
    if unit == "month":
        return f"{start.year}年{start.month}月"
    if unit == "quarter":
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if unit == "year":
        return f"{start.year}年"
    year, week, _ = start.isocalendar()
    return f"{year}年第{week}周"


def count_between(dates: list[dt.date], start: dt.date, end: dt.date) -> int:
    """Posts dated in [start, end]; ``dates`` must be sorted."""
    return bisect_right(dates, end) - bisect_left(dates, start)


# ---------------------------------------------------------------- state at a moment

@dataclass(frozen=True)
class Evaluation:
    state: str                      # ok | due_soon | overdue
    deadline: dt.date | None        # posts are due by the end of this day
    last_post: dt.date | None
    in_period: int | None = None    # calendar rules: posts so far in the period that is due
    due_period: tuple[dt.date, dt.date] | None = None  # calendar rules: the period that is due
    missed: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # ended calendar periods short of posts


def evaluate(
    rule: Rule,
    dates: list[dt.date],
    now: dt.datetime,
    cal: WorkCalendar,
    coverage: Coverage,
    warn_before: dt.timedelta = dt.timedelta(days=3),
    history_from: dt.date | None = None,
) -> Evaluation:
    """State of one source at ``now``.

    ``coverage`` holds the days the source was observed completely. A deadline counts from the
    last post, or from the start of the latest covered span when no post is seen since; the
    state is overdue only when the days from there to the deadline are all covered (a read after
    the deadline showed no post). Posts dated after ``now`` are ignored. ``history_from``: calendar
    periods before it are not looked at (the caller holds no posts for them).
    """
    today = now.date()
    dates = sorted(d for d in dates if d <= today)
    last = dates[-1] if dates else None
    if rule.is_calendar:
        return _evaluate_calendar(rule, dates, now, coverage, warn_before, last, history_from)

    # Rolling rule: the N-th most recent post (or the day before the latest covered span began,
    # standing in for posts we could not see) starts the run that must hold a new post.
    span = coverage.span_at(today - ONE_DAY)
    floor = span[0] if span else None
    anchors = [floor - ONE_DAY] * rule.count if floor else []
    anchors += [d for d in dates if floor is None or d >= floor]
    if len(anchors) < rule.count:
        return Evaluation(OK, None, last)   # nothing observed to count from yet
    ref = anchors[-rule.count]
    deadline = cal.add_workdays(ref, rule.length) if rule.is_workday else ref + dt.timedelta(days=rule.length)
    if today > deadline:
        # Past the deadline, but only a read after it proves the run stayed empty.
        state = OVERDUE if coverage.covers(ref + ONE_DAY, deadline) else DUE_SOON
    elif rule.is_workday:
        state = DUE_SOON if today == deadline else OK
    else:
        state = DUE_SOON if _end_of(deadline, now) - now <= warn_before else OK
    return Evaluation(state, deadline, last)


def _evaluate_calendar(rule, dates, now, coverage, warn_before, last, history_from) -> Evaluation:
    today = now.date()
    ps, pe = period_of(rule.unit, today)
    missed = [] if not coverage else [
        (s, e) for s, e in periods_within(rule.unit, max(coverage.first, history_from or coverage.first), today - ONE_DAY)
        if count_between(dates, s, e) < rule.count and coverage.covers(s, e)
    ]
    current = count_between(dates, ps, today)
    if current >= rule.count:
        next_start = pe + ONE_DAY
        return Evaluation(OK, period_of(rule.unit, next_start)[1], last, 0, period_of(rule.unit, next_start), missed)
    prev_start, prev_end = period_of(rule.unit, ps - ONE_DAY)
    if (prev_start, prev_end) in missed:
        # The last period ended short and nothing has come since: overdue until a post arrives.
        prev_count = count_between(dates, prev_start, prev_end)
        return Evaluation(OVERDUE, prev_end, last, prev_count, (prev_start, prev_end), missed)
    state = DUE_SOON if _end_of(pe, now) - now <= warn_before else OK
    return Evaluation(state, pe, last, current, (ps, pe), missed)


def _end_of(day: dt.date, now: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=now.tzinfo)


# ---------------------------------------------------------------- compliance over a period

OK_VERDICT, MISSED, OPEN, PARTIAL, NO_DATA = "ok", "missed", "open", "partial", "no_data"
VERDICT_NAMES = {OK_VERDICT: "达标", MISSED: "不达标", OPEN: "未到期", PARTIAL: "数据不全", NO_DATA: "无数据"}


@dataclass(frozen=True)
class Compliance:
    verdict: str                    # ok | missed | open | partial | no_data
    posts: int                      # posts dated in [start, end], up to the judging day
    required: int | None            # how many the rule asks for over the judged (covered) days
    violations: list[tuple[dt.date, dt.date]]  # proven: short periods, or covered empty runs too long
    longest_gap: int | None         # longest covered run without a post: working days for workday rules, else days
    judged: tuple[dt.date, dt.date] | None     # the days that could be judged: [start, end] or up to the day before as_of
    covered_days: int = 0           # covered days among them
    open: bool = False              # the period is still running at as_of
    covered_units: int = 0          # rolling rules: covered days, or covered working days, behind ``required``

    @property
    def compliant(self) -> bool | None:
        """True or False only with evidence; None when the data cannot say."""
        return {OK_VERDICT: True, MISSED: False}.get(self.verdict)

    @property
    def full(self) -> bool:
        return self.judged is not None and self.covered_days == (self.judged[1] - self.judged[0]).days + 1


def compliance(rule: Rule, dates: list[dt.date], start: dt.date, end: dt.date, cal: WorkCalendar,
               coverage: Coverage | None = None, as_of: dt.date | None = None) -> Compliance:
    """Did the posts meet the rule over [start, end] (SPEC §2, report compliance)?

    Only covered days are judged (``coverage`` None: all of them), and with ``as_of`` only the
    days before it: a day still running or in the future is never missed.
    Calendar rules: every period wholly inside [start, end] holds ≥ N posts; a covered period that
    ended short is a violation, one still running is open.
    Rolling rules: every run of the rule's length inside the covered days holds ≥ N posts;
    a run of working days spans the dates from its first to its last working day.
    """
    upto = min(end, as_of) if as_of else end                 # posts count up to the judging day
    last_judged = min(end, as_of - ONE_DAY) if as_of else end  # days that are over
    is_open = as_of is not None and as_of <= end
    coverage = Coverage.of([(start, end)]) if coverage is None else coverage
    dates = sorted(dates)
    dates = dates[bisect_left(dates, start):bisect_right(dates, upto)]
    judged = (start, last_judged) if last_judged >= start else None
    segments = coverage.within(start, last_judged) if judged else []
    covered_days = sum((b - a).days + 1 for a, b in segments)
    fully_covered = judged is not None and covered_days == (last_judged - start).days + 1
    workday = rule.is_workday
    runs = [r for a, b in segments for r in _empty_runs(_between(dates, a, b), a, b, cal if workday else None)]
    gap = max((n for _, _, n in runs), default=None)

    if rule.is_calendar:
        periods = periods_within(rule.unit, start, end)
        unknown = pending = False
        violations = []
        for s, e in periods:
            if count_between(dates, s, e) >= rule.count:
                continue
            if e > last_judged:
                pending = True
            elif coverage.covers(s, e):
                violations.append((s, e))
            else:
                unknown = True
        if violations:
            verdict = MISSED
        elif unknown:
            verdict = PARTIAL if segments else NO_DATA
        else:
            verdict = OPEN if pending else OK_VERDICT
        return Compliance(verdict, len(dates), len(periods) * rule.count, violations, gap, judged, covered_days, is_open)

    units = sum(len(cal.workdays(a, b)) for a, b in segments) if workday else covered_days
    required = units // rule.length * rule.count if segments else None
    if rule.count == 1:
        violations = [(a, b) for a, b, n in runs if n >= rule.length]
    else:
        violations = [w for a, b in segments for w in _short_windows(rule, dates, a, b, cal.workdays(a, b) if workday else None)]
    if violations:
        verdict = MISSED
    elif not segments:
        verdict = NO_DATA
    else:
        verdict = OK_VERDICT if fully_covered else PARTIAL
    return Compliance(verdict, len(dates), required, violations, gap, judged, covered_days, is_open, units)


def _between(dates: list[dt.date], start: dt.date, end: dt.date) -> list[dt.date]:
    return dates[bisect_left(dates, start):bisect_right(dates, end)]


def _boundaries(dates, start, end):
    """Consecutive pairs (a, b) of distinct post days, framed by start-1 and end+1."""
    days = [start - ONE_DAY, *sorted(set(dates)), end + ONE_DAY]
    return zip(days, days[1:])


def _run_length(a: dt.date, b: dt.date, cal: WorkCalendar | None) -> int:
    """Days (or working days) strictly between a and b."""
    if b - a <= ONE_DAY:
        return 0
    return cal.count_workdays(a + ONE_DAY, b - ONE_DAY) if cal else (b - a).days - 1


def _empty_runs(dates, start, end, cal) -> list[tuple[dt.date, dt.date, int]]:
    """Spans between posts, each with how many days (working days) it holds without a post."""
    return [(a + ONE_DAY, b - ONE_DAY, _run_length(a, b, cal)) for a, b in _boundaries(dates, start, end)]


def _short_windows(rule, dates, start, end, workdays) -> list[tuple[dt.date, dt.date]]:
    if workdays is not None:
        windows = [(workdays[i], workdays[i + rule.length - 1]) for i in range(len(workdays) - rule.length + 1)]
    else:
        step = dt.timedelta(days=rule.length - 1)
        windows = [(start + dt.timedelta(days=i), start + dt.timedelta(days=i) + step)
                   for i in range((end - start).days - rule.length + 2)]
    return [(a, b) for a, b in windows if count_between(dates, a, b) < rule.count]


def month_counts(dates: list[dt.date], start: dt.date, end: dt.date) -> dict[str, int]:
    """Posts per calendar month in [start, end], keyed "YYYY-MM"; every month present."""
    dates = sorted(dates)
    counts: dict[str, int] = {}
    month = start.replace(day=1)
    while month <= end:
        following = _next_period_start("month", month)
        counts[f"{month.year}-{month.month:02d}"] = count_between(dates, max(month, start), min(following - ONE_DAY, end))
        month = following
    return counts
