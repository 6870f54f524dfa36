"""Working-day calendar: the State Council schedule plus the office's own lists."""

from __future__ import annotations

import datetime as dt
import logging
from bisect import bisect_left, bisect_right
from functools import lru_cache

log = logging.getLogger(__name__)

ONE_DAY = dt.timedelta(days=1)


class WorkCalendar:
    """Answers "is this a working day?" and counts working days.

    ``mode`` is ``"china"`` (official schedule from ``chinesecalendar``, 调休 included)
    or ``"weekdays"`` (Mon–Fri). ``holidays`` and ``makeup_workdays`` override both.
    For years the package does not cover, Mon–Fri is used and a warning is logged once
    per year.
    """

    def __init__(self, mode: str = "china", holidays=(), makeup_workdays=()):
        if mode not in ("china", "weekdays"):
            raise ValueError(f"unknown calendar mode {mode!r}")
        self.mode = mode
        self.holidays = frozenset(holidays)
        self.makeup_workdays = frozenset(makeup_workdays)
        self._warned_years: set[int] = set()
        self.is_workday = lru_cache(maxsize=8192)(self._is_workday)
        self._ordinals = lru_cache(maxsize=64)(self._workday_ordinals)

    def _is_workday(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        if day in self.makeup_workdays:
            return True
        if self.mode == "china":
            official = _official_workday(day)
            if official is not None:
                return official
            if day.year not in self._warned_years:
                self._warned_years.add(day.year)
                log.warning(
                    "chinesecalendar 不含 %s 年的放假安排，按周一至周五计算工作日；"
                    "请在 [calendar] holidays / makeup_workdays 中补充当年安排",
                    day.year,
                )
        return day.weekday() < 5

    def _workday_ordinals(self, year: int) -> tuple[int, ...]:
        day, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        out = []
        while day <= end:
            if self.is_workday(day):
                out.append(day.toordinal())
            day += ONE_DAY
        return tuple(out)

    def workdays(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Working days in [start, end], in order."""
        out: list[dt.date] = []
        for year in range(start.year, end.year + 1):
            ords = self._ordinals(year)
            lo = bisect_left(ords, start.toordinal())
            hi = bisect_right(ords, end.toordinal())
            out.extend(dt.date.fromordinal(o) for o in ords[lo:hi])
        return out

    def count_workdays(self, start: dt.date, end: dt.date) -> int:
        total = 0
        for year in range(start.year, end.year + 1):
            ords = self._ordinals(year)
            total += bisect_right(ords, end.toordinal()) - bisect_left(ords, start.toordinal())
        return max(total, 0)

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (n ≥ 1); ``day`` itself is not counted."""
        year = day.year
        ordinal = day.toordinal()
        while True:
            ords = self._ordinals(year)
            i = bisect_right(ords, ordinal)
            if i + n - 1 < len(ords):
                return dt.date.fromordinal(ords[i + n - 1])
            n -= len(ords) - i
            year += 1
            ordinal = dt.date(year, 1, 1).toordinal() - 1


def _official_workday(day: dt.date) -> bool | None:
    """chinese_calendar.is_workday, without its range check per call (a min and max over every
    holiday it knows): None for a year the package does not cover."""
    holidays, workdays, first, last = _official()
    if not first <= day.year <= last:
        return None
    return day in workdays or (day.weekday() < 5 and day not in holidays)


@lru_cache(maxsize=1)
def _official():
    import chinese_calendar

    years = [d.year for d in chinese_calendar.holidays]
    return chinese_calendar.holidays, chinese_calendar.workdays, min(years), max(years)
