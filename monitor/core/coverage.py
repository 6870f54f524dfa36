"""Coverage: the days on which a source was observed completely.

A day is covered when a successful read saw every post the source shows for it: the read reached
back past that day, and it ended after the day was over. Outside coverage the monitor has no data,
and no count, gap or verdict may rest on those days.

``Coverage`` is a plain value: sorted, disjoint spans of dates, inclusive at both ends.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)

Span = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Coverage:
    spans: tuple[Span, ...] = ()

    @classmethod
    def of(cls, spans) -> Coverage:
        """Normalise any spans: drop empty ones, merge overlapping and adjacent ones."""
        merged: list[list[dt.date]] = []
        for start, end in sorted(s for s in spans if s[0] <= s[1]):
            if merged and start <= merged[-1][1] + ONE_DAY:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return cls(tuple((a, b) for a, b in merged))

    def add(self, start: dt.date, end: dt.date) -> Coverage:
        return Coverage.of([*self.spans, (start, end)])

    def __bool__(self) -> bool:
        return bool(self.spans)

    @property
    def first(self) -> dt.date | None:
        return self.spans[0][0] if self.spans else None

    @property
    def last(self) -> dt.date | None:
        return self.spans[-1][1] if self.spans else None

    def within(self, start: dt.date, end: dt.date) -> list[Span]:
        """The covered spans clipped to [start, end]."""
        return [(max(a, start), min(b, end)) for a, b in self.spans if a <= end and b >= start]

    def covers(self, start: dt.date, end: dt.date) -> bool:
        """Is every day of [start, end] covered? An empty range is trivially covered."""
        if start > end:
            return True
        i = bisect_right(self.spans, (start, dt.date.max)) - 1
        return i >= 0 and self.spans[i][0] <= start and self.spans[i][1] >= end

    def covers_day(self, day: dt.date) -> bool:
        return self.covers(day, day)

    def days(self, start: dt.date, end: dt.date) -> int:
        return sum((b - a).days + 1 for a, b in self.within(start, end))

    def span_at(self, day: dt.date) -> Span | None:
        """The span that holds ``day``, or the latest one ending before it."""
        i = bisect_right(self.spans, (day, dt.date.max)) - 1
        return self.spans[i] if i >= 0 else None

    def describe(self, start: dt.date, end: dt.date) -> str:
        """How much of [start, end] is covered, in the office's words: '' when all of it,
        '无数据' when none, else 部分（自11-17起） / 部分（至11-20） / 部分（11-03至11-20）."""
        parts = self.within(start, end)
        if not parts:
            return "无数据"
        if parts == [(start, end)]:
            return ""
        first, last = parts[0][0], parts[-1][1]
        holes = len(parts) > 1
        if first > start and last == end and not holes:
            return f"部分（自{_md(first)}起）"
        if first == start and last < end and not holes:
            return f"部分（至{_md(last)}）"
        text = "、".join(f"{_md(a)}至{_md(b)}" if a != b else _md(a) for a, b in parts[:3])
        return f"部分（{text}{'等' if len(parts) > 3 else ''}）"


def _md(day: dt.date) -> str:
    return day.strftime("%m-%d")
