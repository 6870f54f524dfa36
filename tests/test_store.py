import sqlite3

from monitor.config import Column
from monitor.core.rules import parse_rule
from monitor.model import Fetch, Post
from monitor.store import SCHEMA_VERSION, Store, StoreError

from .conftest import at, d


def column(cid="c1"):
    return Column(id=cid, name="栏目", unit="财政局", rule=parse_rule("1条/月"), check_every=None,
                  page_url="http://127.0.0.1/x.html")


def test_migrates_an_empty_file(tmp_path):
    path = tmp_path / "m.db"
    path.touch()
    store = Store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sources", "posts", "fetches", "alerts", "outbox", "missed_periods", "coverage"} <= tables
    store.close()
    Store(path).close()  # opening again migrates nothing and does not fail


def test_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "m.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    try:
        Store(path)
    except StoreError as e:
        assert "升级" in str(e)
    else:
        raise AssertionError("a newer schema must not be opened")


def test_same_post_twice_is_one_post_and_first_seen_is_kept(tmp_path):
    store = Store(tmp_path / "m.db")
    store.sync_sources([column()], d("2021-07-01"))
    post = Post("http://127.0.0.1/a.html", "标题", "http://127.0.0.1/a.html", d("2021-10-12"))
    assert store.record_fetch("c1", Fetch(ok=True, posts=[post], items=1), at("2021-10-13")) == 1
    assert store.record_fetch("c1", Fetch(ok=True, posts=[post], items=1), at("2021-10-14")) == 0
    rows = store.query("SELECT * FROM posts")
    assert len(rows) == 1 and rows[0]["first_seen"].startswith("2021-10-13")
    assert [f["new"] for f in store.query("SELECT new FROM fetches ORDER BY id")] == [1, 0]


def test_backdated_posts_are_flagged_after_the_backfill(tmp_path):
    import datetime as dt

    store = Store(tmp_path / "m.db")
    store.sync_sources([column()], d("2021-07-01"))
    old = Post("a", "补发之前的", None, d("2021-08-01"))
    store.record_fetch("c1", Fetch(ok=True, posts=[old]), at("2021-10-13"), dt.timedelta(days=2))
    late = Post("b", "补发", None, d("2021-10-01"))
    fresh = Post("c", "当天", None, d("2021-10-19"))
    store.record_fetch("c1", Fetch(ok=True, posts=[late, fresh]), at("2021-10-20"), dt.timedelta(days=2))
    flags = {r["key"]: r["backdated"] for r in store.query("SELECT key, backdated FROM posts")}
    assert flags == {"a": 0, "b": 1, "c": 0}


def test_a_failed_fetch_keeps_earlier_posts(tmp_path):
    store = Store(tmp_path / "m.db")
    store.sync_sources([column()], d("2021-07-01"))
    store.record_fetch("c1", Fetch(ok=True, posts=[Post("a", "t", None, d("2021-10-12"))]), at("2021-10-13"))
    store.record_fetch("c1", Fetch(ok=False, error="HTTP 500"), at("2021-10-14"))
    assert store.post_days("c1", d("2021-12-31")) == [d("2021-10-12")]
    assert store.last_fetch("c1")["ok"] == 0
    assert store.last_fetch("c1", until=at("2021-10-13T12:00"))["ok"] == 1


def test_migrates_a_version_1_database_keeping_its_posts_and_alerts(tmp_path):
    from monitor.store import MIGRATIONS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    conn.execute("INSERT INTO sources (id, kind, name, unit, rule) VALUES ('c1', 'column', '栏目', '财政局', '1条/月')")
    conn.execute("INSERT INTO posts (source_id, key, title, published, day, first_seen) "
                 "VALUES ('c1', 'a', 't', '2021-10-12', '2021-10-12', '2021-10-13T00:00:00+08:00')")
    conn.execute("INSERT INTO alerts (source_id, state, since, notified) VALUES ('c1', 'overdue', '2022-01-04', '2022-01-04')")
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 9
    indexes = {r[1] for r in store.conn.execute("PRAGMA index_list(posts)")}
    assert "posts_source_day_flags" in indexes and "posts_source_day" not in indexes
    assert store.post_days("c1", d("2021-12-31")) == [d("2021-10-12")]
    assert store.query("SELECT state, rule_state FROM alerts") == [{"state": "overdue", "rule_state": "overdue"}]


def test_a_version_3_store_is_covered_from_its_first_successful_read(tmp_path):
    """Before coverage was kept, nothing says how far back a read reached: trust the days from the
    first successful read on, and let the next check resume the backfill."""
    from monitor.evidence.coverage import coverage_of, read_target
    from monitor.store import MIGRATIONS

    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path)
    conn.executescript("".join(MIGRATIONS[:3]) + "; PRAGMA user_version = 3;")
    conn.executescript("""
        INSERT INTO sources (id, kind, name, unit, rule, since, first_ok) VALUES
            ('c1', 'column', '栏目', '财政局', '1条/月', '2021-07-01', '2021-11-17T09:00:00+08:00'),
            ('a1', 'account', '账号', '司法局', '1条/5个工作日', '2021-07-01', '2021-11-20T07:30:00+08:00'),
            ('c2', 'column', '从未读到', '财政局', '1条/月', '2021-07-01', NULL);
        INSERT INTO fetches (source_id, at, ok) VALUES
            ('c1', '2021-11-17T09:00:00+08:00', 1), ('c1', '2021-11-26T07:00:00+08:00', 1),
            ('c1', '2021-11-26T13:00:00+08:00', 0),
            ('a1', '2021-11-20T07:30:00+08:00', 1), ('c2', '2021-11-20T07:30:00+08:00', 0);
        INSERT INTO posts (source_id, key, title, published, day, first_seen) VALUES
            ('a1', 'guid-1', '普法宣传', '2021-11-19T10:00:00+08:00', '2021-11-19', '2021-11-20T07:30:00+08:00');
    """)
    conn.close()
    store = Store(path)
    assert coverage_of(store, "c1").spans == ((d("2021-11-17"), d("2021-11-25")),)
    assert coverage_of(store, "a1").spans == () and coverage_of(store, "c2").spans == ()
    assert store.source_row("c1")["observed_at"] == "2021-11-26T07:00:00+08:00"
    assert read_target(store, "c1") is None         # the next check reads back to backfill_since
    assert store.query("SELECT key FROM posts") == [{"key": "guid-1|2021-11-19|普法宣传"}]


def test_a_transaction_rolls_back_whole(tmp_path):
    store = Store(tmp_path / "m.db")
    store.sync_sources([column()], d("2021-07-01"))
    try:
        with store.transaction():
            store.record_fetch("c1", Fetch(ok=True, posts=[Post("a", "t", None, d("2021-10-12"))]), at("2021-10-13"))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert store.query("SELECT * FROM posts") == [] and store.query("SELECT * FROM fetches") == []
