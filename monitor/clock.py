"""Moments in the store that lie in the future: the clock once ran ahead, or a run used a future --as-of.

Such a moment must not hold back what is due now (a reminder, a retry, a recovery); it is taken as
"already passed", and the officer is told once per process.
"""

from __future__ import annotations

import datetime as dt
import logging

log = logging.getLogger(__name__)

_warned: set[str] = set()


def in_future(moment: dt.datetime | None, now: dt.datetime, what: str) -> bool:
    """Is ``moment`` later than ``now``? Logs a warning the first time for each ``what``."""
    if moment is None or moment <= now:
        return False
    if what not in _warned:
        _warned.add(what)
        log.warning("数据库中的%s（%s）晚于当前时间 %s：系统时钟曾经调快，或曾用将来的 --as-of 运行。"
                    "已按当前时间处理，提醒和重试照常进行。", what, moment.isoformat(timespec="minutes"),
                    now.isoformat(timespec="minutes"))
    return True


def observable(now: dt.datetime) -> dt.datetime:
    """The latest moment a read at ``now`` can observe: a read cannot see days that have not come,
    whatever --as-of says."""
    return min(now, dt.datetime.now(now.tzinfo))


def told_recently(at, now: dt.datetime, every: dt.timedelta) -> bool:
    """Was something told less than ``every`` ago? A moment in the future (a clock that ran ahead)
    does not count as recent, so it never holds a reminder back."""
    return isinstance(at, dt.datetime) and dt.timedelta(0) <= now - at < every
