"""The national lines measured from the store as of a moment: every value from what was observed."""

from __future__ import annotations

import datetime as dt

from ..boards.read import is_done
from ..config import Config
from ..core.coverage import Coverage
from ..core.evaluate import period_of
from ..evidence.coverage import coverage_by_source
from ..store import Store, iso
from . import profile as p

WEEK = dt.timedelta(days=7)


def site_check(config: Config, store: Store, as_of: dt.datetime) -> list[p.Item]:
    today = as_of.date()
    last, coverage = _last_post_days(store, today), coverage_by_source(store)     # read once for every line
    items = [*_home(store, as_of), *_columns(config, store, today, last, coverage), _accounts(config, today, last, coverage)]
    if config.boards:
        items.append(_replies(config, store, today))
    return items


def _home(store: Store, as_of: dt.datetime) -> list[p.Item]:
    def share(since: dt.datetime, window: str) -> p.Item:
        failed, total = store.conn.execute("SELECT coalesce(sum(1 - ok), 0), count(*) FROM home_checks WHERE at > ? AND at <= ?",
                                           (iso(since), iso(as_of))).fetchone()
        return p.home_availability(failed, total, window)

    q_start = period_of("quarter", as_of.date())[0]
    quarter_since = dt.datetime.combine(q_start, dt.time(), as_of.tzinfo) - dt.timedelta(seconds=1)
    week, quarter = share(as_of - WEEK, "近7天"), share(quarter_since, "本季度")
    last = store.query("SELECT newest FROM home_checks WHERE ok = 1 AND at > ? AND at <= ? ORDER BY at DESC LIMIT 1",
                       (iso(as_of - dt.timedelta(days=1)), iso(as_of)))
    newest = dt.date.fromisoformat(last[0]["newest"]) if last and last[0]["newest"] else None
    quarter = p.Item("home_availability_quarter", "首页可用率（季度）", quarter.rule, quarter.value, quarter.verdict, quarter.near)
    return [week, quarter, p.home_update(newest, bool(last), as_of.date())]


def _last_post_days(store: Store, today: dt.date) -> dict[str, dt.date]:
    return {r["source_id"]: dt.date.fromisoformat(r["day"]) for r in
            store.query("SELECT source_id, max(day) AS day FROM posts WHERE day <= ? GROUP BY source_id", (today.isoformat(),))}


def _columns(config: Config, store: Store, today: dt.date, last: dict, coverage: dict) -> list[p.Item]:
    # Blank only when every read found the page open and its list empty, twice or more a day apart:
    # one empty read may be a layout the selectors no longer fit.
    empty = {r["source_id"] for r in store.query(
        "SELECT source_id FROM fetches WHERE at <= ? GROUP BY source_id "
        "HAVING min(empty) = 1 AND count(*) >= 2 AND julianday(max(at)) - julianday(min(at)) >= 1", (f"{today.isoformat()}T23:59:59",))}
    stale: dict[str, list[str]] = {k: [] for k in p.CLASS_WINDOWS}
    unknown: dict[str, list[str]] = {k: [] for k in p.CLASS_WINDOWS}
    blank = []
    for c in config.columns:
        label = f"{c.unit}「{c.name}」"
        if c.id not in last and c.id in empty:
            blank.append(label)
            continue
        klass = p.column_class(c.name, c.column_class)
        verdict = p.stale(last.get(c.id), coverage.get(c.id, Coverage()), today, p.CLASS_WINDOWS[klass])
        if verdict is None:
            unknown[klass].append(label)
        elif verdict:
            stale[klass].append(label + (f"（最近 {last[c.id].isoformat()}）" if c.id in last else "（无信息）"))
    items = [p.count_line(key, name, rule, stale[k], p.CLASS_LINES[k], unknown[k]) for k, (key, name, rule) in p.STALE_RULES.items()]
    items.append(p.count_line("blank", "空白栏目", p.BLANK_RULE, blank, p.BLANK_LINE, []))
    return items


def _accounts(config: Config, today: dt.date, last: dict, coverage: dict) -> p.Item:
    stale, unknown = [], []
    for a in config.accounts:
        if not a.url:
            continue
        label = f"{a.unit}「{a.name}」"
        verdict = p.stale(last.get(a.id), coverage.get(a.id, Coverage()), today, p.ACCOUNT_STALE_DAYS)
        if verdict is None:
            unknown.append(label)
        elif verdict:
            stale.append(label + (f"（最近 {last[a.id].isoformat()}）" if a.id in last else ""))
    return p.count_line("accounts", "政务新媒体不更新", p.ACCOUNT_RULE, stale, 1, unknown)


def _replies(config: Config, store: Store, today: dt.date) -> p.Item:
    late = []
    limit = dt.timedelta(days=p.UNANSWERED_DAYS)
    for m in store.query("SELECT * FROM messages WHERE asked >= ? AND asked <= ?",
                         ((today - dt.timedelta(days=366)).isoformat(), today.isoformat())):
        asked = dt.date.fromisoformat(m["asked"])
        replied = dt.date.fromisoformat(m["replied"]) if m["replied"] else None
        seen = min(dt.datetime.fromisoformat(m["last_seen"]).date(), today)
        if (replied and replied - asked > limit) or (not is_done(m["state"], replied) and seen - asked > limit):
            late.append(f"“{m['title'][:20]}”（{m['asked']} 留言）")
    return p.count_line("replies", "互动回应", p.REPLY_RULE, late, 1, [], unit="条")
