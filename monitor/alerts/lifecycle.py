"""Decide what to tell, given what was told before: a pure function over states and times.

A source entering due_soon, overdue or failing raises an alert; one that stays there is
repeated at most every ``repeat_every``; leaving overdue or failing is a recovery (恢复).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.evaluate import DUE_SOON, FAILING, OVERDUE

ALERTING = (DUE_SOON, OVERDUE)  # post-based states worth telling; FAILING is handled on its own

ALERT, REPEAT, RECOVERED, MISSED = "alert", "repeat", "recovered", "missed"


@dataclass(frozen=True)
class Told:
    """What was last told about a source (a row of the ``alerts`` table)."""
    state: str
    since: dt.datetime
    notified: dt.datetime | None
    rule_state: str | None = None   # the last state judged from posts; kept while the source is failing


@dataclass(frozen=True)
class Event:
    kind: str                   # alert | repeat | recovered | missed
    source_id: str
    state: str                  # the state told about (for recovered: the state left)
    period: tuple[dt.date, dt.date] | None = None   # missed: the period that ended short


def decide(previous: Told | None, state: str, now: dt.datetime, repeat_every: dt.timedelta,
           source_id: str) -> tuple[list[Event], Told]:
    """Events for one source, and what to remember as told.

    A failing source says nothing about its posts: entering failing neither clears nor repeats an
    overdue alert, and when the page can be read again the post-based state is compared with the
    one told before the failure.
    """
    before = previous.state if previous else None
    rule_before = previous.rule_state if previous else None
    due_again = previous is not None and (previous.notified is None or now - previous.notified >= repeat_every)
    if state == FAILING:
        if before != FAILING:
            return [Event(ALERT, source_id, FAILING)], Told(FAILING, now, now, rule_before)
        if due_again:
            return [Event(REPEAT, source_id, FAILING)], Told(FAILING, previous.since, now, rule_before)
        return [], previous

    events: list[Event] = []
    if before == FAILING:
        events.append(Event(RECOVERED, source_id, FAILING))
    if rule_before == OVERDUE and state != OVERDUE:
        events.append(Event(RECOVERED, source_id, OVERDUE))
    if state in ALERTING:
        if state != rule_before:
            events.append(Event(ALERT, source_id, state))
            return events, Told(state, now, now, state)
        if due_again:
            events.append(Event(REPEAT, source_id, state))
            return events, Told(state, previous.since, now, state)
        return events, Told(state, previous.since, previous.notified, state)
    if previous is not None and before == state and rule_before == state:
        return events, previous
    return events, Told(state, now, None, state)


def missed_to_tell(missed: list[tuple[dt.date, dt.date]], already: set[dt.date], overdue_period,
                   today: dt.date, horizon: dt.timedelta = dt.timedelta(days=92)):
    """Missed periods not yet noted; returns (to note silently or tell, to tell).

    The period an overdue alert already speaks of is not told twice, and periods that ended
    long before monitoring noticed them (found by the first backfill) are noted without a message.
    """
    new = [p for p in missed if p[0] not in already]
    tell = [p for p in new if p != overdue_period and today - p[1] <= horizon]
    return new, tell
