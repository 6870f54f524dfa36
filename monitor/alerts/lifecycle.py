"""Decide what to tell, given what was told before: a pure function over states and times.

A source entering due_soon, overdue or failing raises an alert; one that stays there is
repeated at most every ``repeat_every``; leaving overdue or failing is a recovery (恢复).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.evaluate import DUE_SOON, FAILING, OVERDUE

ALERTING = (DUE_SOON, OVERDUE, FAILING)
RECOVERABLE = (OVERDUE, FAILING)

ALERT, REPEAT, RECOVERED, MISSED = "alert", "repeat", "recovered", "missed"


@dataclass(frozen=True)
class Told:
    """What was last told about a source (a row of the ``alerts`` table)."""
    state: str
    since: dt.datetime
    notified: dt.datetime | None


@dataclass(frozen=True)
class Event:
    kind: str                   # alert | repeat | recovered | missed
    source_id: str
    state: str                  # the state told about (for recovered: the state left)
    period: tuple[dt.date, dt.date] | None = None   # missed: the period that ended short


def decide(previous: Told | None, state: str, now: dt.datetime, repeat_every: dt.timedelta,
           source_id: str) -> tuple[list[Event], Told]:
    """Events for one source, and what to remember as told."""
    events: list[Event] = []
    before = previous.state if previous else None
    if before in RECOVERABLE and state != before:
        events.append(Event(RECOVERED, source_id, before))
    if state in ALERTING:
        if state != before:
            events.append(Event(ALERT, source_id, state))
            return events, Told(state, now, now)
        if previous.notified is None or now - previous.notified >= repeat_every:
            events.append(Event(REPEAT, source_id, state))
            return events, Told(state, previous.since, now)
        return events, previous
    if state == before:
        return events, previous
    return events, Told(state, now, None)


def missed_to_tell(missed: list[tuple[dt.date, dt.date]], already: set[dt.date], overdue_period,
                   today: dt.date, horizon: dt.timedelta = dt.timedelta(days=92)):
    """Missed periods not yet noted; returns (to note silently or tell, to tell).

    The period an overdue alert already speaks of is not told twice, and periods that ended
    long before monitoring noticed them (found by the first backfill) are noted without a message.
    """
    new = [p for p in missed if p[0] not in already]
    tell = [p for p in new if p != overdue_period and today - p[1] <= horizon]
    return new, tell
