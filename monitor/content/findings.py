"""Findings in the store, with a lifecycle like alerts: new (told at once), still open (told again
every ``repeat_every``), resolved when the page no longer shows it (told once)."""

from __future__ import annotations

import datetime as dt
import hashlib

from ..alerts.messages import Line
from ..clock import told_recently
from ..config import Config
from ..store import Store, iso, parse_iso
from ..textutil import md
from .inspect import DEADLINK, KIND_WORDS, PERSONAL, Problem

TITLE_CHARS = 40


def finding_key(article: str, problem: Problem) -> str:
    return hashlib.sha1(f"{article}|{problem.kind}|{problem.label}|{problem.excerpt}|{problem.fix}".encode()).hexdigest()


def note(store: Store, source_id: str, article: str, title: str, problem: Problem, now: dt.datetime) -> bool:
    """Record that ``article`` shows ``problem`` now; True when it is new (or back after a fix)."""
    key = finding_key(article, problem)
    row = store.conn.execute("SELECT id, resolved FROM findings WHERE key = ?", (key,)).fetchone()
    if row is None:
        store.conn.execute(
            "INSERT INTO findings (key, kind, label, source_id, article, title, excerpt, fix, found, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, problem.kind, problem.label, source_id, article, title, problem.excerpt, problem.fix, iso(now), iso(now)))
        return True
    if row[1] is not None:     # fixed, then back: a new finding from now on
        store.conn.execute("UPDATE findings SET found = ?, last_seen = ?, resolved = NULL, notified = NULL, "
                           "resolved_told = NULL WHERE id = ?", (iso(now), iso(now), row[0]))
        return True
    store.conn.execute("UPDATE findings SET last_seen = ? WHERE id = ?", (iso(now), row[0]))
    return False


def resolve_absent(store: Store, article: str, kinds: tuple[str, ...], present: set[str], now: dt.datetime) -> int:
    """Open findings of these kinds on ``article`` that the page no longer shows are resolved."""
    rows = store.conn.execute(
        f"SELECT id, key FROM findings WHERE article = ? AND resolved IS NULL AND kind IN ({', '.join('?' * len(kinds))})",
        (article, *kinds)).fetchall()
    gone = [r[0] for r in rows if r[1] not in present]
    for fid in gone:
        store.conn.execute("UPDATE findings SET resolved = ? WHERE id = ?", (iso(now), fid))
    return len(gone)


def resolve(store: Store, key: str, now: dt.datetime) -> int:
    return store.conn.execute("UPDATE findings SET resolved = ? WHERE key = ? AND resolved IS NULL", (iso(now), key)).rowcount


def open_findings(store: Store) -> list[dict]:
    return store.query("SELECT * FROM findings WHERE resolved IS NULL ORDER BY found")


def findings_between(store: Store, start: dt.date, end: dt.date) -> list[dict]:
    """Findings open at some moment of the period: found by its end, not resolved before its start."""
    return store.query("SELECT * FROM findings WHERE substr(found, 1, 10) <= ? AND (resolved IS NULL OR substr(resolved, 1, 10) >= ?) "
                       "ORDER BY found", (end.isoformat(), start.isoformat()))


def describe(f: dict) -> str:
    what = f"信息“{md(f['title'], TITLE_CHARS)}”"
    if f["kind"] == PERSONAL:
        return f"{what}含未去标识化的{f['label']}：{md(f['excerpt'])}"
    if f["kind"] == DEADLINK:
        return f"{what}中的链接两次检查（相隔一天以上）均无法打开：{md(f['excerpt'])}"
    return f"{what}有错词，{md(f['fix'])}：{md(f['excerpt'])}"


def finding_lines(config: Config, store: Store, now: dt.datetime) -> list[Line]:
    """Lines for findings not yet told, open ones due again, and resolutions; marks them told.
    Call inside a transaction."""
    sources = {s.id: s for s in config.sources}
    lines = []
    for f in store.query("SELECT * FROM findings WHERE resolved IS NULL OR resolved_told IS NULL ORDER BY found"):
        source = sources.get(f["source_id"])
        if source is None:
            continue
        who = f"{md(source.unit)}「{md(source.name)}」"
        if f["resolved"] is not None:
            if f["notified"] is not None:
                lines.append(Line("已整改", f"{who}{describe(f)}（{KIND_WORDS[f['kind']]}问题已不再出现）", source.unit, f["article"]))
            store.conn.execute("UPDATE findings SET resolved_told = ? WHERE id = ?", (iso(now), f["id"]))
            continue
        notified = parse_iso(f["notified"])
        if notified is not None and told_recently(notified, now, config.settings.repeat_every):
            continue
        tag = "内容问题" if notified is None else "内容问题未整改"
        hint = "，请及时去标识化处理" if f["kind"] == PERSONAL else "，请及时更正" if f["kind"] != DEADLINK else "，请修复或删除链接"
        lines.append(Line(tag, f"{who}{describe(f)}{hint}", source.unit, f["article"]))
        store.conn.execute("UPDATE findings SET notified = ? WHERE id = ?", (iso(now), f["id"]))
    return lines
