"""After a check: decide alerts and queue one grouped message per recipient."""

from __future__ import annotations

import datetime as dt
import logging

from ..clock import in_future
from ..config import Config
from ..core.evaluate import FAILING, OVERDUE
from ..notify.outbox import enqueue
from ..notify.targets import office_targets, unit_targets
from ..status import SourceStatus
from ..store import Store, iso, parse_iso
from .lifecycle import ALERT, MISSED, Event, Told, decide, missed_to_tell
from .messages import Line, compose, group_by_site, line_for

log = logging.getLogger(__name__)


def plan(config: Config, store: Store, statuses: list[SourceStatus], now: dt.datetime):
    """Events and their lines for this pass, plus the rows to remember (not yet written)."""
    ids = [s.source.id for s in statuses]
    told = {r["source_id"]: _told(r, now) for r in _rows(store, "SELECT * FROM alerts", ids)}
    noted: dict[str, set[dt.date]] = {}
    for r in _rows(store, "SELECT source_id, start FROM missed_periods", ids):
        noted.setdefault(r["source_id"], set()).add(dt.date.fromisoformat(r["start"]))
    lines: list[tuple[Line, Event]] = []
    remember: dict[str, Told] = {}
    new_missed: list[tuple[str, tuple[dt.date, dt.date]]] = []
    for status in statuses:
        sid = status.source.id
        if status.state == FAILING and not failure_confirmed(config, store, sid, now):
            continue    # a site down for a few minutes is no news: wait for fail_after reads over fail_span
        events, now_told = decide(told.get(sid), status.state, now, config.settings.repeat_every, sid)
        if now_told != told.get(sid):
            remember[sid] = now_told
        ev = status.evaluation
        if ev is not None and ev.missed and status.state != FAILING:
            overdue_period = ev.due_period if status.state == OVERDUE else None
            new, tell = missed_to_tell(ev.missed, noted.get(sid, set()), overdue_period, now.date())
            new_missed += [(sid, p) for p in new]
            events += [Event(MISSED, sid, status.state, p) for p in tell]
        lines += [(line_for(e, status), e) for e in events]
    return group_by_site(lines, {s.source.id: s for s in statuses}), remember, new_missed


def failure_confirmed(config: Config, store: Store, source_id: str, now: dt.datetime) -> bool:
    s = config.settings
    failed, span = store.failed_streak(source_id, now)
    return failed >= s.fail_after and span >= s.fail_span


def _rows(store: Store, sql: str, ids: list[str]) -> list[dict]:
    """Rows of these sources only: a daemon job about one source costs the same however many there are."""
    if len(ids) > 500:      # the whole evaluation: one scan beats thousands of look-ups
        return store.query(sql)
    return store.query(f"{sql} WHERE source_id IN ({', '.join('?' * len(ids))})", ids)


def _told(row: dict, now: dt.datetime) -> Told:
    """An alerts row; a moment stored in the future counts as now, so it holds back no reminder."""
    since, notified = parse_iso(row["since"]), parse_iso(row["notified"])
    if in_future(since, now, "提醒状态开始时间"):
        since = now
    if in_future(notified, now, "上次提醒时间"):
        notified = None     # told at an unknown moment: due again
    return Told(row["state"], since, notified, row["rule_state"])


def queue_alerts(config: Config, store: Store, statuses: list[SourceStatus], now: dt.datetime,
                 boards: bool = False, inspections: bool = False) -> list[Line]:
    """Decide this pass's alerts, remember them and queue the messages, in one transaction."""
    lines, remember, new_missed = plan(config, store, statuses, now)
    if set(config.submissions.columns) & {s.source.id for s in statuses}:
        from ..submissions.remind import reminders

        lines += [(line, Event(ALERT, "", "submission")) for line in reminders(config, store, now)]
    reposting = [s.source for s in statuses if getattr(s.source, "must_repost", None) and s.state != FAILING]
    if reposting:
        from .reposts import repost_lines

        lines += [(line, Event(ALERT, "", "reposts")) for line in repost_lines(config, store, reposting, now)]
    if boards and config.boards:       # a pass over every source also looks at the boards' messages
        from ..boards.alerts import board_lines

        lines += [(line, Event(ALERT, "", "board")) for line in board_lines(config, store, now)]
    if inspections:     # content findings and the national lines
        lines += [(line, Event(ALERT, "", "inspection")) for line in inspection_lines(config, store, now)]
    by_id = {s.source.id: s for s in statuses}
    with store.transaction():
        for sid, t in remember.items():
            store.conn.execute(
                "INSERT OR REPLACE INTO alerts (source_id, state, since, notified, deadline, rule_state) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (sid, t.state, iso(t.since), iso(t.notified), iso(by_id[sid].deadline), t.rule_state))
        for sid, (start, end) in new_missed:
            store.conn.execute("INSERT OR IGNORE INTO missed_periods (source_id, start, end, noted) VALUES (?, ?, ?, ?)",
                               (sid, start.isoformat(), end.isoformat(), iso(now)))
        queue_lines(config, store, [(line, e.state != FAILING) for line, e in lines], now)
    return [line for line, _ in lines]


def inspection_lines(config: Config, store: Store, now: dt.datetime) -> list[Line]:
    """What the pages showed (内容问题) and the national lines crossed; marks them told."""
    from ..content.findings import finding_lines

    lines = finding_lines(config, store, now)
    if config.site.home:
        from ..sitecheck.alerts import site_lines

        lines += site_lines(config, store, now)
    return lines


def queue_inspections(config: Config, store: Store, now: dt.datetime) -> list[Line]:
    with store.transaction():
        lines = inspection_lines(config, store, now)
        queue_lines(config, store, [(line, True) for line in lines], now)
    return lines


def queue_lines(config: Config, store: Store, lines: list[tuple[Line, bool]], now: dt.datetime) -> None:
    """One grouped message per recipient: the office hears every line, a unit only its own lines
    that are for units (fetch failures are the office's business). Call inside a transaction."""
    if not lines:
        return
    office = office_targets(config)
    all_lines = [line for line, _ in lines]
    for target in office:
        m = compose(all_lines, now, "办公室")
        enqueue(store, target, m.subject, m.text, m.markdown, m.html, now)
    for unit_name in dict.fromkeys(line.unit for line in all_lines):
        unit_lines = [line for line, for_unit in lines if line.unit == unit_name and for_unit]
        if not unit_lines or unit_name not in config.units:
            continue
        for target in unit_targets(config, config.units[unit_name]):
            m = compose(unit_lines, now, unit_name)
            enqueue(store, target, m.subject, m.text, m.markdown, m.html, now)
    if not office:
        log.warning("有 %d 条提醒，但没有配置办公室通知渠道（[[notify]]）", len(lines))
