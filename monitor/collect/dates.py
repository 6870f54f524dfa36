"""Dates as Chinese government sites print them, found in list-page text, attributes and links.

Full dates: 2021-10-12, [2021-10-12], 2021/10/12, 2021.10.12, 2021年10月12日, with or without a time.
Dates without a year: 11-20, 8-1, 11月20日 — the year comes from the link's date when it has one,
else it is the latest such date not after the moment of reading. Split badges: ``18`` over
``2021-11``. Relative times: 刚刚, 5分钟前, 2小时前, 3 天前, 今天 09:30, 昨天 21:26, 前天 — against
the moment of reading. Dates in links: t20211120_, /2021/11/20/, /202111/20/, /2021-11/20/.

Every function is pure: ``now`` is an argument.
"""

from __future__ import annotations

import datetime as dt
import re

# One separator throughout (2021-10-12, 2021/10/12, 2021.10.12) or 年月日: "2021年1-2月" is no date.
DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?:\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)|\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})(?!\d)\s*日?)"
    r"(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?"
)
# 18 2021-11 (day badge first) and 2021-11 18 (month first), as split badges read once joined.
BADGE_DAY_FIRST = re.compile(r"(?<![\d-])(\d{1,2})\s+((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})(?![\d-])")
BADGE_MONTH_FIRST = re.compile(r"(?<![\d-])((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*月?\s+(\d{1,2})(?![\d:-])")
RELATIVE_RE = re.compile(r"(刚刚)|(\d+)\s*(秒|分钟|小时|天|周)前|(今天|昨天|前天)(?:\s*(\d{1,2})[:：](\d{2}))?")
# 11-20, 8-1, 11/20, 11月20日 — not part of a longer number, a full date or a time.
# Not "2021年1-2月", "第3-5名", "1/2" of a fraction in a sentence.
YEARLESS_RE = re.compile(r"(?<![\d./:年第-])(\d{1,2})\s*(?:[-/]|月)\s*(\d{1,2})(?:\s*日)?(?![\d./:月年号期名%-])"
                         r"(?:\s*(\d{1,2})[:：](\d{2}))?")
LINK_DATE_RES = [
    re.compile(r"[/_]t((?:19|20)\d{2})(\d{2})(\d{2})_"),             # TRS: t20211120_123.html
    re.compile(r"/((?:19|20)\d{2})[-/]?(\d{2})[-/](\d{2})/"),        # /2021/11/20/, /202111/20/, /2021-11/20/
    re.compile(r"[/_]((?:19|20)\d{2})(\d{2})(\d{2})[_/.]"),          # /20211120/, art_20211120_1.html
]
RELATIVE_UNITS = {"秒": dt.timedelta(seconds=1), "分钟": dt.timedelta(minutes=1), "小时": dt.timedelta(hours=1),
                  "天": dt.timedelta(days=1), "周": dt.timedelta(weeks=1)}


def _make(year: int, month: int, day: int, hour=None, minute=None, second=None):
    try:
        if hour is not None:
            return dt.datetime(year, month, day, int(hour), int(minute), int(second or 0))
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str, now: dt.datetime | None = None, link: str | None = None) -> dt.date | dt.datetime | None:
    """The date in ``text`` (a datetime, naive and local, when a time follows it), or None.

    Full dates first; then split badges; then, given ``now``, relative times and dates without a
    year (the year from ``link``'s date when it has one)."""
    text = text or ""
    for m in DATE_RE.finditer(text):
        year, _, month, day, cn_month, cn_day, hour, minute, second = m.groups()
        found = _make(int(year), int(month or cn_month), int(day or cn_day), hour, minute, second)
        if found is not None:
            return found
    for m in BADGE_DAY_FIRST.finditer(text):
        found = _make(int(m[2]), int(m[3]), int(m[1]))
        if found is not None:
            return found
    for m in BADGE_MONTH_FIRST.finditer(text):
        found = _make(int(m[1]), int(m[2]), int(m[3]))
        if found is not None:
            return found
    if now is None:
        return None
    relative = _relative(text, now)
    if relative is not None:
        return relative
    for m in YEARLESS_RE.finditer(text):
        found = _yearless(int(m[1]), int(m[2]), m[3], m[4], now, link)
        if found is not None:
            return found
    return None


def _relative(text: str, now: dt.datetime) -> dt.date | dt.datetime | None:
    m = RELATIVE_RE.search(text)
    if not m:
        return None
    local = now.replace(tzinfo=None)
    if m[1]:
        return local.replace(second=0, microsecond=0)
    if m[2]:
        unit = RELATIVE_UNITS[m[3]]
        moment = local - int(m[2]) * unit
        return moment.date() if unit >= RELATIVE_UNITS["天"] else moment.replace(second=0, microsecond=0)
    day = local.date() - dt.timedelta(days={"今天": 0, "昨天": 1, "前天": 2}[m[4]])
    return _make(day.year, day.month, day.day, m[5], m[6]) if m[5] else day


def _yearless(month: int, day: int, hour, minute, now: dt.datetime, link: str | None):
    from_link = link_date(link)
    if from_link is not None and (from_link.month, from_link.day) == (month, day):
        return _make(from_link.year, month, day, hour, minute)
    for year in (now.year, now.year - 1):
        found = _make(year, month, day, hour, minute)
        if found is not None and day_of(found) <= now.date():
            return found
    return None


def day_of(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def link_date(url: str | None) -> dt.date | None:
    """The date a CMS writes into an article's URL, if any."""
    for pattern in LINK_DATE_RES:
        m = pattern.search(url or "")
        if m:
            found = _make(int(m[1]), int(m[2]), int(m[3]))
            if found is not None:
                return found
    return None


def pattern_date(pattern: re.Pattern, text: str, now: dt.datetime | None = None, link: str | None = None):
    """A date by a column's own ``date_pattern``: named groups ``y`` (optional), ``m``, ``d``,
    and optionally ``H``, ``M``."""
    m = pattern.search(text or "")
    if not m:
        return None
    groups = m.groupdict()
    month, day = int(groups["m"]), int(groups["d"])
    hour, minute = groups.get("H"), groups.get("M")
    if groups.get("y"):
        year = int(groups["y"])
        return _make(year + 2000 if year < 100 else year, month, day, hour, minute)
    return _yearless(month, day, hour, minute, now, link) if now else None
