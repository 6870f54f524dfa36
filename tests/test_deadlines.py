"""Every wait is bounded: a trickling server fails in about `timeout` seconds, and a stop signal
ends the daemon within 10 s even while a read is in flight."""

import os
import signal
import subprocess
import sys
import time

import pytest

from monitor.config import load
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import at, run_cli
from .peers import TrickleServer
from .site import column_config, serve


@pytest.fixture
def trickle(request):
    server = TrickleServer(getattr(request, "param", "body"))
    yield server
    server.stop()


@pytest.mark.parametrize("trickle", ["body", "headers"], indirect=True)
def test_a_trickling_server_fails_in_about_timeout_and_the_rest_is_recorded(httpserver, write_config, trickle):
    good = serve(httpserver, "/mzj/index.html", "pages/cn_dates.html")
    extra = f"""
[[columns]]
id = "slow"
name = "慢栏目"
unit = "财政局"
frequency = "1条/月"
url = "{trickle.url}"
item = "ul.list > li"
"""
    text = column_config(good, item=".news .item", date="p.time", extra=extra).replace("timeout = 2", "timeout = 1")
    cfg = load(write_config(text), env={})
    store = Store(cfg.settings.database)
    started = time.monotonic()
    result = run_check(cfg, store, at("2022-01-04T09:00"), notify=False)
    assert time.monotonic() - started < 4
    by_id = {s.source.id: s for s in result.statuses}
    assert by_id["slow"].state == "failing" and "超时（1 秒内未读完" in by_id["slow"].error
    assert by_id["c1"].state != "failing" and len(store.query("SELECT * FROM posts WHERE source_id = 'c1'")) == 2
    assert trickle.connections == 1        # cut off at the deadline, not retried


def test_probe_of_a_trickling_page_ends(write_config, trickle):
    text = column_config(trickle.url, item="ul.list > li").replace("timeout = 2", "timeout = 1")
    path = write_config(text)
    started = time.monotonic()
    r = run_cli("--config", str(path), "probe", trickle.url, timeout=30)
    assert time.monotonic() - started < 8 and "超时" in r.stdout + r.stderr


def test_sigterm_during_a_slow_read_stops_the_daemon_within_10_seconds(write_config, trickle):
    text = column_config(trickle.url, item="ul.list > li").replace("timeout = 2", "timeout = 60")
    text = text.replace('backfill_since = "2021-07-01"', 'backfill_since = "2021-07-01"\ncheck_every = "1s"')
    path = write_config(text)
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(path), "run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 20
        while trickle.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert trickle.connections == 1, "the daemon did not start reading"
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        _, err = proc.communicate(timeout=15)
        assert time.monotonic() - stopped < 10
    finally:
        proc.kill()
    assert proc.returncode == 0 and "已退出" in err, err
    # The cut-off read is no evidence either way: nothing recorded, no 抓取失败 for the office.
    cfg = load(path, env={})
    assert Store(cfg.settings.database).query("SELECT * FROM fetches") == []
