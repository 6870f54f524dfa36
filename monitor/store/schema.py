"""The schema, versioned with ``PRAGMA user_version``: ``MIGRATIONS[i]`` takes a database from version i to i+1.

A step is SQL, or a function of the connection for what SQL cannot do.
"""

import json

from .. import secrets


def _forget_webhooks(conn) -> None:
    """5: the outbox keeps a webhook's fingerprint, never its URL: the key in it is a secret."""
    for row_id, target in conn.execute("SELECT id, target FROM outbox").fetchall():
        data = json.loads(target)
        if "webhook" in data:
            url = data.pop("webhook")
            data["ref"] = secrets.ref(url) if url else None
            conn.execute("UPDATE outbox SET target = ? WHERE id = ?", (json.dumps(data, ensure_ascii=False), row_id))


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

MIGRATIONS.append(_forget_webhooks)
# 6: submissions units made through the CMS back office (实报), imported from its CSV export.
MIGRATIONS.append("""
    CREATE TABLE submissions (
        period TEXT NOT NULL,            -- 2021Q4
        unit TEXT NOT NULL,
        title TEXT NOT NULL,
        day TEXT NOT NULL,
        imported TEXT NOT NULL,
        PRIMARY KEY (period, unit, title, day)
    );
""")
# 7: messages on the site's boards (区长信箱, 留言板): when asked, which unit, its state, when replied.
MIGRATIONS.append("""
    CREATE TABLE messages (
        board_id TEXT NOT NULL,
        key TEXT NOT NULL,               -- the message's link, or its title and date
        title TEXT NOT NULL,
        url TEXT,
        unit TEXT,
        asked TEXT NOT NULL,             -- local date
        state TEXT,
        replied TEXT,                    -- local date, NULL while unanswered
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (board_id, key)
    );
    CREATE INDEX messages_asked ON messages (asked);
""")
# 8: which required source a repost came from (must_repost).
MIGRATIONS.append("ALTER TABLE posts ADD COLUMN origin TEXT;")

# 9: content checks on new posts (issue 13) and the national site-check profile.
MIGRATIONS.append("""
    CREATE TABLE articles (
        url TEXT PRIMARY KEY,            -- a post's own page, read once for content problems
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        read TEXT,                       -- last time the page was read
        attempts INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL,             -- read | failed | gone
        error TEXT
    );
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,        -- article, kind and masked excerpt: never the full number
        kind TEXT NOT NULL,              -- personal | wording | deadlink
        label TEXT NOT NULL,             -- 身份证号 | 手机号码 | 银行卡号 | 错词 | 断链
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        article TEXT NOT NULL,           -- the post's page
        title TEXT NOT NULL,
        excerpt TEXT NOT NULL,           -- masked
        fix TEXT,                        -- the correction, or the dead link
        found TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        resolved TEXT,
        notified TEXT,
        resolved_told TEXT
    );
    CREATE INDEX findings_open ON findings (resolved, source_id);
    CREATE TABLE links (
        url TEXT NOT NULL,
        article TEXT NOT NULL,
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        checked TEXT NOT NULL,
        first_failed TEXT,               -- first of the failures in a row; NULL while the link answers
        failures INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        PRIMARY KEY (url, article)
    );
    CREATE INDEX links_failing ON links (first_failed);
    CREATE TABLE home_checks (
        at TEXT NOT NULL,
        ok INTEGER NOT NULL,             -- opened within slow_after
        seconds REAL,
        error TEXT,
        newest TEXT                      -- the newest date printed on the page
    );
    CREATE INDEX home_checks_at ON home_checks (at);
    ALTER TABLE fetches ADD COLUMN empty INTEGER NOT NULL DEFAULT 0;   -- the page read fine and listed nothing
""")

SCHEMA_VERSION = len(MIGRATIONS)
