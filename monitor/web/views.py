"""Each page's data, read from the store at a moment: plain dicts, the same for a page and its API."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ..config import PLATFORMS, Account, Config, Source
from ..core.evaluate import DUE_SOON, FAILING, OVERDUE, UNMONITORED, period_of
from ..status import PENDING, STATE_LABELS, SourceStatus, all_statuses, source_status
from ..store import Store

ALIVE_WITHIN = dt.timedelta(minutes=2)      # the daemon writes a heartbeat every 30 s
STATE_ORDER = (OVERDUE, DUE_SOON, FAILING, "ok", UNMONITORED, PENDING)
TROUBLE = {OVERDUE: 100, FAILING: 10, DUE_SOON: 1}
HEAT_DAYS = 182                             # the source page's calendar: the last 6 months
FETCHES_SHOWN = 30


def source_row(status: SourceStatus, today: dt.date) -> dict:
    s = status.source
    q_start = period_of("quarter", today)[0]
    coverage = status.coverage.describe(q_start, today - dt.timedelta(days=1)) if today > q_start else ""
    if s.url is None:
        coverage = "未监测"
    return {
        **status.to_json(), "state_label": STATE_LABELS.get(status.state, status.state),
        "platform": PLATFORMS[s.platform] if isinstance(s, Account) else "网站栏目",
        "last_day": status.last_post["day"] if status.last_post else None,
        "coverage_words": coverage or "本季度全部看全",
    }


def overview(config: Config, store: Store, now: dt.datetime, q: str = "", state: str = "") -> dict:
    statuses = all_statuses(config, store, now)
    today = now.date()
    counts = Counter(s.state for s in statuses)
    units = []
    for name in config.units:
        mine = [s for s in statuses if s.source.unit == name]
        if not mine:
            continue
        shown = [s for s in mine if (not state or s.state == state) and (not q or q in name or q in s.source.name)]
        if not shown:
            continue
        units.append({"name": name, "trouble": sum(TROUBLE.get(s.state, 0) for s in mine),
                      "counts": {k: v for k, v in Counter(s.state for s in mine).items()},
                      "sources": [source_row(s, today) for s in sorted(shown, key=lambda s: STATE_ORDER.index(s.state))]})
    units.sort(key=lambda u: -u["trouble"])     # stable: config order among equals
    return {
        "as_of": now.isoformat(timespec="minutes"),
        "counts": {k: counts.get(k, 0) for k in STATE_ORDER},
        "labels": {k: STATE_LABELS[k] for k in STATE_ORDER},
        "units": units, "q": q, "state": state,
        **liveness(store, now),
    }


def liveness(store: Store, now: dt.datetime) -> dict:
    from ..health import heartbeat

    last = store.conn.execute("SELECT max(at) FROM fetches").fetchone()[0]
    beat, age = heartbeat(store)
    tz = now.tzinfo
    return {
        "last_check": dt.datetime.fromisoformat(last).astimezone(tz).strftime("%Y-%m-%d %H:%M") if last else None,
        "heartbeat": beat.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if beat else None,
        "alive": age is not None and age <= ALIVE_WITHIN,
    }


def heat_map(store: Store, source: Source, status: SourceStatus, today: dt.date) -> list[list[dict]]:
    """Weeks (Monday first) of days: the posts that day (originals for accounts), or whether the day
    was not observed (无数据) or has not come yet."""
    start = today - dt.timedelta(days=HEAT_DAYS)
    start -= dt.timedelta(days=start.weekday())
    flag = "AND original = 1" if isinstance(source, Account) else ""
    counts = {r["day"]: r["n"] for r in store.query(
        f"SELECT day, count(*) AS n FROM posts WHERE source_id = ? AND day BETWEEN ? AND ? {flag} GROUP BY day",
        (source.id, start.isoformat(), today.isoformat()))}
    weeks, day = [], start
    while day <= today + dt.timedelta(days=6 - today.weekday()):
        week = []
        for _ in range(7):
            n = counts.get(day.isoformat(), 0)
            if day > today:
                kind = "future"
            elif n:
                kind = "posts"
            elif status.coverage.covers_day(day):
                kind = "empty"
            else:
                kind = "uncovered"
            week.append({"day": day.isoformat(), "n": n, "kind": kind,
                         "level": min(n, 4), "label": f"{day.isoformat()}：" + (
                             f"{n} 条" if n else {"future": "未到", "empty": "0 条", "uncovered": "无数据（未能完整读取）"}[kind])})
            day += dt.timedelta(days=1)
        weeks.append(week)
    return weeks


def source_page(config: Config, store: Store, source: Source, now: dt.datetime,
                period: tuple[dt.date, dt.date] | None = None) -> dict:
    """``period``: whose posts to list (default: the quarter of ``now``)."""
    from ..evidence.listing import listing

    status = source_status(config, store, source, now)
    today = now.date()
    q_start, q_end = period or period_of("quarter", today)
    fetches = store.query("SELECT at, ok, not_modified, status, error, items, new, pages, seconds FROM fetches "
                          "WHERE source_id = ? AND at <= ? ORDER BY at DESC LIMIT ?", (source.id, now.isoformat(), FETCHES_SHOWN))
    told = store.query("SELECT * FROM alerts WHERE source_id = ?", (source.id,))
    missed = store.query("SELECT start, end, noted FROM missed_periods WHERE source_id = ? ORDER BY start DESC", (source.id,))
    messages = store.query("SELECT created, recipient, subject, body, sent, dead, error FROM outbox WHERE body LIKE ? "
                           "ORDER BY created DESC LIMIT 20", (f"%「{source.name}」%",))
    findings = store.query("SELECT label, title, article, excerpt, fix, found, resolved FROM findings WHERE source_id = ? "
                           "ORDER BY found DESC LIMIT 50", (source.id,))
    return {
        "source": source_row(status, today),
        "rule_words": source.rule.describe(), "url": source.url,
        "evidence": listing(config, store, source, q_start, q_end, now),
        "heat": heat_map(store, source, status, today),
        "fetches": fetches, "alert": told[0] if told else None, "missed": missed,
        "messages": [{**m, "state": "已发送" if m["sent"] else "无法送达" if m["dead"] else "等待发送"} for m in messages],
        "findings": findings, "as_of": now.isoformat(timespec="minutes"), "labels": STATE_LABELS,
    }


def unit_page(config: Config, store: Store, unit: str, now: dt.datetime) -> dict:
    """A unit's 整改清单: its sources, what is wrong with each and by when, its open content problems."""
    from ..digest import missed_this_quarter

    today = now.date()
    statuses = [source_status(config, store, s, now) for s in config.sources if s.unit == unit]
    statuses.sort(key=lambda s: STATE_ORDER.index(s.state))
    ids = {s.source.id: s.source for s in statuses}
    findings = [f for f in store.query("SELECT * FROM findings WHERE resolved IS NULL ORDER BY found") if f["source_id"] in ids]
    return {
        "unit": unit, "as_of": now.isoformat(timespec="minutes"),
        "sources": [{**source_row(s, today), "problems": problems(s) + missed_this_quarter(config, store, s, today)}
                    for s in statuses],
        "todo": sum(1 for s in statuses if s.state in (OVERDUE, DUE_SOON, FAILING)),
        "findings": [{**f, "source_name": ids[f["source_id"]].name} for f in findings],
    }


def problems(status: SourceStatus) -> list[str]:
    """What a unit must do about one source, in words."""
    if status.state == OVERDUE:
        return [f"已过截止日 {status.deadline.isoformat()}，至今未更新"]
    if status.state == DUE_SOON:
        return [f"请于 {status.deadline.isoformat()} 前更新"]
    if status.state == FAILING:
        return [f"无法读取：{status.error}（请办公室核对网址或选择器）"]
    return []


def outbox_page(store: Store, limit: int = 200) -> dict:
    rows = store.query("SELECT id, channel, recipient, subject, created, attempts, next_try, sent, dead, error "
                       "FROM outbox ORDER BY created DESC, id DESC LIMIT ?", (limit,))
    for r in rows:
        r["state"] = "已发送" if r["sent"] else "无法送达" if r["dead"] else "等待发送"
    counts = Counter(r["state"] for r in rows)
    return {"messages": rows, "counts": {k: counts.get(k, 0) for k in ("已发送", "等待发送", "无法送达")}}
