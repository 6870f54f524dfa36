import datetime as dt
import sys
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.core.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def cal():
    return WorkCalendar("china")


def at(text: str) -> dt.datetime:
    """A moment in Beijing time: at("2021-12-20") or at("2021-12-20T09:00")."""
    moment = dt.datetime.fromisoformat(text)
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def write_config(tmp_path):
    """Write a config.toml into tmp_path from a (dedented) string and return its path."""
    def write(text: str, name: str = "config.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return write


def run_cli(*args, env=None, cwd=None, timeout=60):
    import os
    import subprocess

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args], capture_output=True, text=True,
        env=full_env, cwd=cwd, timeout=timeout,
    )


@pytest.fixture(scope="session")
def httpserver_listen_address():
    """pytest-httpserver binds 127.0.0.1 explicitly: fixture sites never leave loopback."""
    return ("127.0.0.1", 0)


def record_read(store, source_id: str, posts, when: dt.datetime, observed_from: dt.date, backdate_after=None):
    """Record a successful read of ``source_id`` at ``when`` that saw every post from ``observed_from`` on,
    as a check does: its posts, and the days it covered."""
    from monitor.evidence.coverage import observe
    from monitor.model import Fetch

    fetch = Fetch(ok=True, posts=list(posts), items=len(posts), observed_from=observed_from, backfill=observed_from)
    new = store.record_fetch(source_id, fetch, when, backdate_after)
    observe(store, source_id, source_id, fetch, when)
    return new
