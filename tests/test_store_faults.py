"""Store faults: each a one-line Chinese message with what to do, exit status 1, nothing half-written."""

import datetime as dt
import os
import sqlite3

import pytest

from monitor.model import Fetch, Post
from monitor.store import SCHEMA_VERSION, Store, StoreError

from .conftest import at, run_cli
from .site import column_config

def status(write_config, db: str):
    text = column_config("http://127.0.0.1:9/c1.html").replace('database = "state/m.db"', f'database = "{db}"')
    r = run_cli("--config", str(write_config(text)), "status")
    lines = r.stderr.strip().splitlines()
    return r.returncode, lines


def test_a_file_that_is_not_a_database(write_config, tmp_path):
    (tmp_path / "notes.db").write_text("这不是数据库，是会议记录。" * 200, encoding="utf-8")
    code, lines = status(write_config, "notes.db")
    assert code == 1 and len(lines) == 1 and "不是 monitor 的数据库文件" in lines[0]


def test_a_truncated_database(write_config, tmp_path):
    store = Store(tmp_path / "m.db")
    store.conn.execute("CREATE TABLE filler (x)")
    store.conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(2000)])
    store.close()
    size = (tmp_path / "m.db").stat().st_size
    with open(tmp_path / "m.db", "r+b") as f:
        f.truncate(size // 3)
    for extra in ("m.db-wal", "m.db-shm"):
        (tmp_path / extra).unlink(missing_ok=True)
    code, lines = status(write_config, "m.db")
    assert code == 1 and len(lines) == 1 and "已损坏" in lines[0] and "备份" in lines[0]


def test_a_directory_where_the_database_should_be(write_config, tmp_path):
    (tmp_path / "state").mkdir()
    code, lines = status(write_config, "state")
    assert code == 1 and len(lines) == 1 and "这是一个目录" in lines[0]


def test_a_newer_schema_names_the_fix(write_config, tmp_path):
    conn = sqlite3.connect(tmp_path / "m.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    code, lines = status(write_config, "m.db")
    assert code == 1 and len(lines) == 1 and "请升级 monitor" in lines[0]


def test_a_read_only_state_folder(write_config, tmp_path):
    """Run as an unprivileged user (root ignores permissions), in a forked child."""
    state = tmp_path / "state"
    state.mkdir()
    state.chmod(0o555)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become nobody, try to open the store, report the message
        os.close(read)
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            Store(state / "m.db")
            message = "opened"
        except StoreError as e:
            message = str(e)
        except BaseException as e:  # noqa: BLE001 - anything else is the finding
            message = f"unexpected {type(e).__name__}: {e}"
        os.write(write, message.encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    message = os.read(read, 4096).decode()
    state.chmod(0o755)
    assert "没有写入权限" in message or "只读" in message or "无法打开" in message, message


def test_a_full_disk_loses_nothing(tmp_path):
    store = Store(tmp_path / "m.db")
    from monitor.config import Column, Selectors
    from monitor.core.rules import parse_rule

    column = Column(id="c1", name="栏目", unit="财政局", rule=parse_rule("1条/月"), check_every=dt.timedelta(hours=6),
                    page_url="http://127.0.0.1:9/c1", selectors=Selectors("li", "a", None, "a", None, None, 10))
    store.sync_sources([column], dt.date(2021, 7, 1))
    store.record_fetch("c1", Fetch(ok=True, posts=[Post("a", "第一条", None, dt.date(2021, 12, 1))]), at("2021-12-02"))
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")       # the disk is now full
    big = [Post(f"k{i}", "很长的标题" * 200, None, dt.date(2021, 12, 2)) for i in range(300)]
    with pytest.raises(StoreError, match="磁盘已满"):
        store.record_fetch("c1", Fetch(ok=True, posts=big), at("2021-12-03"))
    assert store.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 1
    assert store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0] == 1
