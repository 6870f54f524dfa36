"""The SQLite store: sources, posts, fetch attempts, alerts, the outbox.

One file, WAL mode, foreign keys on. The schema is versioned with ``PRAGMA user_version``;
``MIGRATIONS[i]`` takes a database from version i to i+1.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from .model import Fetch, Post

MIGRATIONS = [
    """
    CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,              -- column | account
        name TEXT NOT NULL,
        unit TEXT NOT NULL,
        rule TEXT NOT NULL,
        url TEXT,
        platform TEXT,
        since TEXT,                      -- first day whose posts are known (backfill start)
        first_ok TEXT                    -- first successful fetch
    );
    CREATE TABLE posts (
        id INTEGER PRIMARY KEY,
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        title TEXT NOT NULL,
        url TEXT,
        published TEXT NOT NULL,         -- ISO date or datetime, local time
        day TEXT NOT NULL,               -- local date YYYY-MM-DD
        first_seen TEXT NOT NULL,
        original INTEGER NOT NULL DEFAULT 1,
        backdated INTEGER NOT NULL DEFAULT 0,
        UNIQUE (source_id, key)
    );
    CREATE INDEX posts_day ON posts (day, source_id, original, backdated);
    CREATE INDEX posts_source_day ON posts (source_id, day);
    CREATE INDEX posts_first_seen ON posts (first_seen);
    CREATE TABLE fetches (
        id INTEGER PRIMARY KEY,
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        ok INTEGER NOT NULL,
        not_modified INTEGER NOT NULL DEFAULT 0,
        status INTEGER,
        error TEXT,
        items INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        undated INTEGER NOT NULL DEFAULT 0,
        pages INTEGER NOT NULL DEFAULT 0,
        encoding TEXT,
        seconds REAL
    );
    CREATE INDEX fetches_source_at ON fetches (source_id, at);
    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT
    );
    CREATE TABLE alerts (
        source_id TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        state TEXT NOT NULL,             -- the state last told about
        since TEXT NOT NULL,             -- when the source entered it
        notified TEXT,                   -- when it was last told
        deadline TEXT
    );
    CREATE TABLE missed_periods (
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        start TEXT NOT NULL,
        end TEXT NOT NULL,
        noted TEXT NOT NULL,
        PRIMARY KEY (source_id, start)
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,        -- idempotency key
        channel TEXT NOT NULL,           -- wecom | email
        target TEXT NOT NULL,            -- JSON: webhook, or SMTP settings name and addresses
        recipient TEXT NOT NULL,         -- who it is for, for logs
        subject TEXT NOT NULL,
        body TEXT NOT NULL,              -- plain text / markdown
        html TEXT,
        created TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try TEXT NOT NULL,
        sent TEXT,
        dead INTEGER NOT NULL DEFAULT 0, -- permanently refused by the server
        error TEXT
    );
    CREATE INDEX outbox_pending ON outbox (sent, dead, next_try);
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT
    );
    """,
    # 2: the report reads (source, day, flags) straight from one covering index.
    """
    DROP INDEX posts_source_day;
    CREATE INDEX posts_source_day_flags ON posts (source_id, day, original, backdated);
    """,
    # 3: remember the post-based state told before a source started failing.
    """
    ALTER TABLE alerts ADD COLUMN rule_state TEXT;
    UPDATE alerts SET rule_state = state WHERE state != 'failing';
    """,
    # 4: coverage — the days each source was observed completely. Existing sources are trusted
    # from their first successful read on; their next check resumes the backfill to its start.
    # Feed posts are keyed by GUID, date and title (one GUID may carry several posts).
    """
    CREATE TABLE coverage (
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        start TEXT NOT NULL,             -- first covered day
        end TEXT NOT NULL,               -- last covered day
        PRIMARY KEY (source_id, start)
    );
    ALTER TABLE sources ADD COLUMN observed_at TEXT;   -- last successful read
    ALTER TABLE sources ADD COLUMN backfill TEXT;      -- day the backfill reached; NULL while unfinished
    UPDATE sources SET observed_at = (SELECT max(at) FROM fetches f WHERE f.source_id = sources.id AND f.ok = 1);
    INSERT INTO coverage (source_id, start, end)
        SELECT id, substr(first_ok, 1, 10), date(substr(observed_at, 1, 10), '-1 day') FROM sources
        WHERE first_ok IS NOT NULL AND date(substr(observed_at, 1, 10), '-1 day') >= substr(first_ok, 1, 10);
    UPDATE posts SET key = key || '|' || day || '|' || title
        WHERE source_id IN (SELECT id FROM sources WHERE kind = 'account');
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def iso(moment: dt.datetime | dt.date | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat(timespec="seconds") if isinstance(moment, dt.datetime) else moment.isoformat()


def parse_iso(text: str | None):
    if text is None:
        return None
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)


class Store:
    """Short, plainly named reads and writes over the monitor's database."""

    def __init__(self, path: str | Path):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # One connection shared by the daemon's threads; writers serialise on ``lock``.
        self.conn = sqlite3.connect(path, check_same_thread=False, timeout=10, isolation_level=None)
        self.db = sqlite_utils.Database(self.conn)
        self.lock = threading.RLock()  # one writer at a time across the daemon's threads
        self._depth = 0                 # nesting of transaction()
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.migrate()

    @contextmanager
    def transaction(self):
        """All writes inside (however nested) commit together, or not at all."""
        with self.lock:
            self._depth += 1
            try:
                if self._depth == 1 and not self.conn.in_transaction:
                    self.conn.execute("BEGIN")
                yield self.conn
            except BaseException:
                if self._depth == 1:
                    self.conn.rollback()
                raise
            else:
                if self._depth == 1:
                    self.conn.commit()
            finally:
                self._depth -= 1

    def migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path}: 数据库版本 {version} 高于本程序支持的 {SCHEMA_VERSION}，请升级 monitor")
        for i in range(version, SCHEMA_VERSION):
            self.conn.executescript(f"BEGIN; {MIGRATIONS[i]}; PRAGMA user_version = {i + 1}; COMMIT;")

    def close(self) -> None:
        self.conn.close()

    def query(self, sql: str, params=()) -> list[dict]:
        return list(self.db.query(sql, params))

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
        with self.transaction():
            row = self.conn.execute("SELECT first_ok FROM sources WHERE id = ?", (source_id,)).fetchone()
            backfilled = row is not None and row[0] is not None
            listed = {post.key for post in fetch.posts}
            moved: dict[tuple, int] = {}     # (title, day) → recorded posts matched to new links so far
            new = 0
            for post in fetch.posts:
                if self._recorded(source_id, post, listed, moved):
                    continue
                backdated = bool(
                    backfilled and backdate_after is not None
                    and now.date() - post.day > backdate_after
                )
                cur = self.conn.execute(
                    """INSERT INTO posts (source_id, key, title, url, published, day, first_seen, original, backdated)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (source_id, key) DO NOTHING""",
                    (source_id, post.key, post.title, post.url, iso(post.published), post.day.isoformat(),
                     iso(now), int(post.original), int(backdated)),
                )
                new += cur.rowcount
            self.conn.execute(
                """INSERT INTO fetches (source_id, at, ok, not_modified, status, error, items, new, undated, pages, encoding, seconds)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (source_id, iso(now), int(fetch.ok), int(fetch.not_modified), fetch.status, fetch.error,
                 fetch.items, new, fetch.undated, fetch.pages, fetch.encoding, round(fetch.seconds, 3)),
            )
            if fetch.ok and not backfilled:
                self.conn.execute("UPDATE sources SET first_ok = ? WHERE id = ?", (iso(now), source_id))
        return new

    def _recorded(self, source_id: str, post: Post, listed: set[str], moved: dict[tuple, int]) -> bool:
        """Is ``post`` already recorded, under its key or under a link this read no longer lists
        (a site moved to https or new paths)? Distinct links listed together are distinct posts,
        whatever their titles: each recorded post that is no longer listed stands for one new link."""
        same = (post.title, post.day)
        keys = [k for (k,) in self.conn.execute(
            "SELECT key FROM posts WHERE source_id = ? AND day = ? AND title = ?",
            (source_id, post.day.isoformat(), post.title))]
        if post.key in keys:
            return True
        unlisted = sum(k not in listed for k in keys)
        if unlisted > moved.get(same, 0):
            moved[same] = moved.get(same, 0) + 1
            return True
        return False

    def post_days(self, source_id: str, until: dt.date, originals_only: bool = False) -> list[dt.date]:
        sql = "SELECT day FROM posts WHERE source_id = ? AND day <= ?"
        if originals_only:
            sql += " AND original = 1"
        rows = self.conn.execute(sql + " ORDER BY day", (source_id, until.isoformat()))
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
