"""The SQLite store: sources, posts, fetch attempts, alerts, the outbox.

One file in WAL mode, safe for the daemon's threads and for any number of processes at once:
each thread has its own connection, every write runs in ``BEGIN IMMEDIATE`` and waits up to
``BUSY_TIMEOUT`` for another writer, and readers never wait. The schema lives in ``schema.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import weakref
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ..model import Fetch, Post
from .errors import StoreError, explain
from .schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT = 30.0     # seconds a write waits for another process's write to finish

_open_stores: weakref.WeakSet = weakref.WeakSet()


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit on its own)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return [s for s in out if s.strip(" ;\n")]


def iso(moment: dt.datetime | dt.date | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat(timespec="seconds") if isinstance(moment, dt.datetime) else moment.isoformat()


def parse_iso(text: str | None):
    if text is None:
        return None
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)


def _scrubbed(post: Post, scrub) -> Post:
    title, key = scrub(post.title), scrub(post.key)
    return post if (title, key) == (post.title, post.key) else replace(post, title=title, key=key)


def _already_recorded(post: Post, keys: list[str], listed: set[str], moved: dict[tuple, int]) -> bool:
    """Is ``post`` already recorded (``keys``: those of its day and title), under its key or under a
    link this read no longer lists (a site moved to https or new paths)? Distinct links listed together
    are distinct posts, whatever their titles: each recorded post that is no longer listed stands for one new link."""
    if post.key in keys:
        return True
    same = (post.title, post.day)
    unlisted = sum(k not in listed for k in keys)
    if unlisted > moved.get(same, 0):
        moved[same] = moved.get(same, 0) + 1
        return True
    return False


class Store:
    """Short, plainly named reads and writes over the monitor's database."""

    def __init__(self, path: str | Path, busy_timeout: float = BUSY_TIMEOUT):
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._local = threading.local()          # this thread's connection and transaction depth
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        # A sqlite3 connection sits in a reference cycle (its statement cache): left to the garbage
        # collector it stays open long after the store is gone. Close them with the store.
        weakref.finalize(self, _close_connections, self._connections, self._connections_lock)
        _open_stores.add(self)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(explain(e, self.path)) from None
        with self.errors():
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.migrate()

    # ------------------------------------------------------------ connections and transactions

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; transactions are explicit)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self.errors():
                conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None,
                                       check_same_thread=False)
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA secure_delete = ON")   # what is replaced (e.g. a secret) is zeroed, not left behind
            self._local.conn, self._local.depth = conn, 0
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def errors(self):
        """SQLite and file-system failures become one Chinese sentence (``StoreError``)."""
        try:
            yield
        except StoreError:
            raise
        except (sqlite3.Error, OSError) as e:
            raise StoreError(explain(e, self.path)) from None

    @contextmanager
    def transaction(self):
        """All writes inside (however nested) commit together, or not at all. The outermost
        block takes the write lock at once (``BEGIN IMMEDIATE``), waiting for other writers."""
        conn = self.conn
        local = self._local
        if local.depth:
            local.depth += 1
            try:
                yield conn
            finally:
                local.depth -= 1
            return
        with self.errors():
            conn.execute("BEGIN IMMEDIATE")
        local.depth = 1
        try:
            yield conn
        except BaseException as e:
            if conn.in_transaction:
                conn.rollback()
            if isinstance(e, sqlite3.Error):
                raise StoreError(explain(e, self.path)) from None
            raise
        else:
            try:
                conn.commit()
            except (sqlite3.Error, OSError) as e:
                if conn.in_transaction:
                    conn.rollback()
                raise StoreError(explain(e, self.path)) from None
        finally:
            local.depth = 0

    def migrate(self) -> None:
        conn = self.conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}：数据库版本 {version} 高于本程序支持的 {SCHEMA_VERSION}，"
                             "它由更新版本的 monitor 写入：请升级 monitor，或换一个 database 路径")
        migrated = False
        while version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while this one waited for the lock.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version < SCHEMA_VERSION:
                    step = MIGRATIONS[version]
                    if callable(step):
                        step(conn)
                    else:
                        for statement in _statements(step):
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {version + 1}")
                    version += 1
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            migrated = True
        if migrated:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")   # old pages leave the WAL file too

    def close(self) -> None:
        """Close every thread's connection (the last one to close folds the WAL back into the file)."""
        _close_connections(self._connections, self._connections_lock)
        self._local = threading.local()

    def query(self, sql: str, params=()) -> list[dict]:
        """Rows as dicts."""
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur]

    # ------------------------------------------------------------ sources

    def sync_sources(self, sources, default_since: dt.date) -> None:
        """Write the configured sources; keep what was learnt about existing ones."""
        with self.transaction():
            for s in sources:
                self.conn.execute(
                    """INSERT INTO sources (id, kind, name, unit, rule, url, platform, since)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                         unit = excluded.unit, rule = excluded.rule, url = excluded.url,
                         platform = excluded.platform""",
                    (s.id, s.kind, s.name, s.unit, str(s.rule), s.url, getattr(s, "platform", None),
                     default_since.isoformat()),
                )

    def source_row(self, source_id: str) -> dict | None:
        rows = self.query("SELECT * FROM sources WHERE id = ?", (source_id,))
        return rows[0] if rows else None

    def sources(self) -> list[dict]:
        return self.query("SELECT * FROM sources ORDER BY kind, id")

    # ------------------------------------------------------------ posts and fetches

    def record_fetch(self, source_id: str, fetch: Fetch, now: dt.datetime, backdate_after: dt.timedelta | None = None) -> int:
        """Store one fetch attempt and its posts in one transaction; return how many posts were new.

        A post first seen more than ``backdate_after`` after its shown date, once the source's
        initial backfill is done, is flagged as backdated (补发).
        """
        from ..content.personal import scrub

        # A title that shows someone's ID or phone number is kept masked: the store never holds it.
        posts = [_scrubbed(p, scrub) for p in fetch.posts]
        with self.transaction():
            row = self.conn.execute("SELECT first_ok FROM sources WHERE id = ?", (source_id,)).fetchone()
            backfilled = row is not None and row[0] is not None
            listed = {post.key for post in posts}
            moved: dict[tuple, int] = {}     # (title, day) → recorded posts matched to new links so far
            recorded = self._keys_by_day_and_title(source_id, posts)
            new = 0
            for post in posts:
                if _already_recorded(post, recorded.get((post.day.isoformat(), post.title), []), listed, moved):
                    continue
                backdated = bool(
                    backfilled and backdate_after is not None
                    and now.date() - post.day > backdate_after
                )
                cur = self.conn.execute(
                    """INSERT INTO posts (source_id, key, title, url, published, day, first_seen, original, backdated, origin)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (source_id, key) DO NOTHING""",
                    (source_id, post.key, post.title, post.url, iso(post.published), post.day.isoformat(),
                     iso(now), int(post.original), int(backdated), post.origin),
                )
                new += cur.rowcount
                recorded.setdefault((post.day.isoformat(), post.title), []).append(post.key)
            self.conn.execute(
                """INSERT INTO fetches (source_id, at, ok, not_modified, status, error, items, new, undated, pages, encoding,
                                       seconds, empty)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (source_id, iso(now), int(fetch.ok), int(fetch.not_modified), fetch.status, fetch.error,
                 fetch.items, new, fetch.undated, fetch.pages, fetch.encoding, round(fetch.seconds, 3), int(fetch.empty)),
            )
            if fetch.ok and not backfilled:
                self.conn.execute("UPDATE sources SET first_ok = ? WHERE id = ?", (iso(now), source_id))
        return new

    def _keys_by_day_and_title(self, source_id: str, posts: list[Post]) -> dict[tuple[str, str], list[str]]:
        """The recorded keys of this source's posts on the days ``posts`` cover, by (day, title): one
        query for a whole read instead of one per post."""
        if not posts:
            return {}
        days = [p.day.isoformat() for p in posts]
        out: dict[tuple[str, str], list[str]] = {}
        for key, day, title in self.conn.execute(
                "SELECT key, day, title FROM posts WHERE source_id = ? AND day BETWEEN ? AND ?", (source_id, min(days), max(days))):
            out.setdefault((day, title), []).append(key)
        return out

    def post_days(self, source_id: str, until: dt.date, originals_only: bool = False,
                  since: dt.date | None = None, before: int = 0) -> list[dt.date]:
        """Sorted post days up to ``until``: from ``since`` on, plus the ``before`` latest ones
        earlier than it (what a deadline counts from), so the cost does not grow with history."""
        only = " AND original = 1" if originals_only else ""
        rows = list(self.conn.execute(
            f"SELECT day FROM posts WHERE source_id = ? AND day BETWEEN ? AND ?{only} ORDER BY day",
            (source_id, (since or dt.date.min).isoformat(), until.isoformat())))
        if since and before:
            earlier = self.conn.execute(
                f"SELECT day FROM posts WHERE source_id = ? AND day < ?{only} ORDER BY day DESC LIMIT ?",
                (source_id, min(since, until + dt.timedelta(days=1)).isoformat(), before)).fetchall()
            rows = earlier[::-1] + rows
        return [dt.date.fromisoformat(r[0]) for r in rows]

    def last_post(self, source_id: str, until: dt.date, originals_only: bool = False) -> dict | None:
        sql = "SELECT * FROM posts WHERE source_id = ? AND day <= ?"
        if originals_only:
            sql += " AND original = 1"
        rows = self.query(sql + " ORDER BY day DESC, published DESC LIMIT 1", (source_id, until.isoformat()))
        return rows[0] if rows else None

    def last_fetch(self, source_id: str, until: dt.datetime | None = None) -> dict | None:
        if until is None:
            rows = self.query("SELECT * FROM fetches WHERE source_id = ? ORDER BY at DESC, id DESC LIMIT 1", (source_id,))
        else:
            rows = self.query(
                "SELECT * FROM fetches WHERE source_id = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1",
                (source_id, iso(until)),
            )
        return rows[0] if rows else None

    def failed_streak(self, source_id: str, until: dt.datetime) -> tuple[int, dt.timedelta]:
        """The failed reads in a row up to ``until`` (since the last good one), and the time they span."""
        last_ok = self.conn.execute("SELECT max(at) FROM fetches WHERE source_id = ? AND ok = 1 AND at <= ?",
                                    (source_id, iso(until))).fetchone()[0]
        count, first, last = self.conn.execute(
            "SELECT count(*), min(at), max(at) FROM fetches WHERE source_id = ? AND ok = 0 AND at <= ? AND at > ?",
            (source_id, iso(until), last_ok or "")).fetchone()
        if not count:
            return 0, dt.timedelta(0)
        return count, dt.datetime.fromisoformat(last) - dt.datetime.fromisoformat(first)

    def post_days_by_source(self, start: dt.date, end: dt.date):
        """(source_id, days, original days, backdated days) for posts dated in [start, end]; sorted.

        One row per source from a covering index; each distinct day is parsed once.
        """
        calendar = {}
        day = start
        while day <= end:
            calendar[day.isoformat()] = day
            day += dt.timedelta(days=1)
        rows = self.conn.execute(
            "SELECT source_id, group_concat(day), group_concat(CASE WHEN original THEN day END), "
            "group_concat(CASE WHEN backdated THEN day END) FROM posts "
            "WHERE day BETWEEN ? AND ? GROUP BY source_id", (start.isoformat(), end.isoformat()))

        def days(packed: str | None) -> list[dt.date]:
            return [calendar[d] for d in sorted(packed.split(","))] if packed else []

        for source_id, all_days, originals, backdated in rows:
            yield source_id, days(all_days), days(originals), days(backdated)

    # ------------------------------------------------------------ conditional GET

    def cache_headers(self, key: str) -> dict:
        rows = self.query("SELECT etag, last_modified FROM http_cache WHERE url = ?", (key,))
        return rows[0] if rows else {}

    def save_cache_headers(self, key: str, etag: str | None, last_modified: str | None) -> None:
        with self.transaction():
            if etag or last_modified:
                self.conn.execute(
                    "INSERT OR REPLACE INTO http_cache (url, etag, last_modified) VALUES (?, ?, ?)",
                    (key, etag, last_modified),
                )

    # ------------------------------------------------------------ meta

    def get_meta(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, key: str, value) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value)))


def _close_connections(connections: list[sqlite3.Connection], lock: threading.Lock) -> None:
    with lock:
        for conn in connections:
            conn.close()
        connections.clear()


def close_all() -> None:
    """Close every store this process opened."""
    for store in list(_open_stores):
        store.close()
