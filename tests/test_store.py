import sqlite3

from monitor.config import Column
from monitor.core.rules import parse_rule
from monitor.model import Fetch, Post
from monitor.store import SCHEMA_VERSION, Store

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
    assert {"sources", "posts", "fetches", "alerts", "outbox", "missed_periods"} <= set(store.db.table_names())
    store.close()
    Store(path).close()  # opening again migrates nothing and does not fail


def test_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "m.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    try:
        Store(path)
    except RuntimeError as e:
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
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    indexes = {r[1] for r in store.conn.execute("PRAGMA index_list(posts)")}
    assert "posts_source_day_flags" in indexes and "posts_source_day" not in indexes
    assert store.post_days("c1", d("2021-12-31")) == [d("2021-10-12")]
    assert store.query("SELECT state, rule_state FROM alerts") == [{"state": "overdue", "rule_state": "overdue"}]


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
