"""One store, many users at once: the daemon's threads, several `check`s, `status` and `report`."""

import os
import signal
import subprocess
import sys
import time

from werkzeug import Response

from monitor.store import Store

COLUMNS = 20


def config_text(url: str) -> str:
    columns = "".join(f"""
[[columns]]
id = "c{i:02d}"
name = "栏目{i:02d}"
unit = "财政局"
frequency = "1条/月"
url = "{url}?c={i}"
""" for i in range(COLUMNS))
    return f"""
[monitor]
database = "state/m.db"
backfill_since = "2021-07-01"
check_every = "1s"

[http]
delay_per_host = 0
retries = 0
workers = 4

[[units]]
name = "财政局"

[column_defaults]
item = "ul.list > li"
date = "span"
{columns}
"""


def test_concurrent_checks_status_and_report_beside_a_running_daemon(httpserver, write_config):
    counter = {"n": 0}

    def page(request):
        counter["n"] += 1
        n = counter["n"]
        # Every read brings a new post, so every check writes.
        items = "".join(f'<li><a href="/p/{request.args["c"]}-{k}.html">通知{k}</a><span>2021-12-{1 + k % 28:02d}</span></li>'
                        for k in range(n % 7, n % 7 + 5))
        return Response(f"<ul class='list'>{items}</ul>", headers={"Content-Type": "text/html; charset=utf-8"})

    httpserver.expect_request("/list").respond_with_handler(page)
    path = write_config(config_text(httpserver.url_for("/list")))
    store = Store(path.parent / "state" / "m.db")
    run = [sys.executable, "-m", "monitor", "--config", str(path)]
    daemon = subprocess.Popen([*run, "run"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0] < COLUMNS:
            time.sleep(0.2)
        others = [subprocess.Popen([*run, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for args in [["check", "--no-notify", "--exit-zero"]] * 6 + [["status"], ["status", "--json"],
                                                               ["report", "--period", "2021Q4", "--format", "json"]]]
        results = [(p.args[4:], *p.communicate(timeout=120), p.returncode) for p in others]
        daemon.send_signal(signal.SIGTERM)
        _, daemon_err = daemon.communicate(timeout=15)
    finally:
        daemon.kill()
        for p in locals().get("others", []):
            p.kill()
    for args, out, err, code in results:
        assert code == 0 and "Traceback" not in err and "locked" not in err, (args, err)
    assert daemon.returncode == 0
    assert "出错" not in daemon_err and "Traceback" not in daemon_err, daemon_err
    fetches = store.conn.execute("SELECT count(*), sum(ok) FROM fetches").fetchone()
    assert fetches[0] == fetches[1] and fetches[0] >= COLUMNS * 7   # the daemon's reads and six checks' reads
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_threads_share_a_store_without_stepping_on_each_other(tmp_path):
    """The daemon's threads each write and read at once: no savepoint or transaction errors."""
    import datetime as dt
    import threading

    from monitor.config import Column, Selectors
    from monitor.core.rules import parse_rule
    from monitor.model import Fetch, Post

    from .conftest import at

    store = Store(tmp_path / "m.db")
    sel = Selectors("li", "a", None, "a", None, None, 10)
    sources = [Column(id=f"c{i}", name=f"栏目{i}", unit="财政局", rule=parse_rule("1条/月"),
                      check_every=dt.timedelta(hours=6), page_url=f"http://127.0.0.1:9/{i}", selectors=sel)
               for i in range(8)]
    store.sync_sources(sources, dt.date(2021, 7, 1))
    errors = []

    def work(i):
        try:
            for k in range(40):
                with store.transaction():
                    store.record_fetch(f"c{i}", Fetch(ok=True, posts=[Post(f"{i}-{k}", f"通知{k}", None, dt.date(2021, 12, 1))]),
                                       at("2021-12-02T09:00"))
                store.query("SELECT count(*) AS n FROM posts WHERE source_id = ?", (f"c{i}",))
                store.last_fetch(f"c{i}")
        except Exception as e:  # noqa: BLE001 - any error is the finding
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert store.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 8 * 40
