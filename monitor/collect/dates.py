"""Find a publication date in list-page text: 2021-10-12, [2021-10-12], 2021/10/12, 2021.10.12, 2021年10月12日 …"""

from __future__ import annotations

import datetime as dt
import re

DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?"
)


def find_date(text: str) -> dt.date | dt.datetime | None:
    """The first valid date in ``text``; a datetime (naive, local) when a time follows it."""
    for m in DATE_RE.finditer(text or ""):
        year, month, day, hour, minute, second = m.groups()
        try:
            if hour is not None:
                return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None
