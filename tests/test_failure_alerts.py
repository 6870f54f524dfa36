"""Quiet, right failure alerts: a short outage says nothing; a long one is one grouped message
and one grouped recovery; hints fit the cause."""

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time

from werkzeug import Response

from monitor.config import load
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import at
from .peers import WeComStub

T0 = at("2022-01-04T09:00")


class Site:
    def __init__(self, httpserver, day=None):
        self.down = False
        self.day = day            # the posts' date (default: today, for a daemon on the real clock)
        httpserver.expect_request("/list").respond_with_handler(self.page)
        self.url = httpserver.url_for("/list")

    def page(self, request):
        if self.down:
            return Response("维护中", status=503)
        c = request.args.get("c")
        day = self.day or dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
        return Response(f"<ul class='list'><li><a href='/{c}/1.html'>通知</a><span>{day}</span></li></ul>",
                        headers={"Content-Type": "text/html; charset=utf-8"})


def config(site, stub, extra=""):
    columns = "".join(f'\n[[columns]]\nid = "c{i}"\nname = "栏目{i}"\nunit = "财政局"\nfrequency = "1条/月"\nurl = "{site.url}?c={i}"\n'
                      for i in range(6))
    return f"""
[monitor]
database = "state/m.db"
backfill_since = "2021-07-01"
{extra}

[http]
delay_per_host = 0
retries = 0

[[units]]
name = "财政局"
wecom = "{stub.webhook('unit')}"

[column_defaults]
item = "ul.list > li"
date = "span"
{columns}
[[notify]]
type = "wecom"
webhook = "{stub.webhook('office')}"
"""


def failing_messages(stub, key):
    return [m for m in stub.delivered(key) if "抓取失败" in m or "恢复读取" in m]


def test_a_two_minute_outage_says_nothing_and_a_long_one_is_one_message(httpserver, write_config):
    site, stub = Site(httpserver, dt.date(2021, 12, 28)), WeComStub(httpserver)
    cfg = load(write_config(config(site, stub)), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, T0)
    site.down = True
    for minutes in (1, 2):
        run_check(cfg, store, T0 + dt.timedelta(minutes=minutes))
    site.down = False
    run_check(cfg, store, T0 + dt.timedelta(minutes=3))
    assert failing_messages(stub, "office") == []                 # two minutes: nothing, not even a recovery

    site.down = True
    for minutes in (10, 20, 30, 40):                               # 3 failed reads over 30 minutes: told once
        run_check(cfg, store, T0 + dt.timedelta(minutes=minutes))
    told = failing_messages(stub, "office")
    assert len(told) == 1 and "6 个栏目/账号无法读取" in told[0] and "HTTP 503" in told[0]
    assert "临时故障" in told[0]                                     # the hint fits the cause
    assert failing_messages(stub, "unit") == []                    # fetch failures are the office's business
    site.down = False
    run_check(cfg, store, T0 + dt.timedelta(minutes=50))
    told = failing_messages(stub, "office")
    assert len(told) == 2 and "6 个栏目/账号已恢复读取" in told[1]


def test_the_daemon_batches_a_site_outage_into_one_message(httpserver, write_config):
    site, stub = Site(httpserver), WeComStub(httpserver)
    site.down = True
    path = write_config(config(site, stub, 'check_every = "1s"\nfail_after = 2\nfail_span = "1s"\nbatch_alerts = "2s"'))
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(path), "run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not failing_messages(stub, "office"):
            time.sleep(0.2)
        time.sleep(3)                                                # later passes must not repeat it
        down = failing_messages(stub, "office")
        site.down = False
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(failing_messages(stub, "office")) < 2:
            time.sleep(0.2)
        time.sleep(3)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=15)
    finally:
        proc.kill()
    told = failing_messages(stub, "office")
    assert len(down) == 1 and "6 个栏目/账号无法读取" in down[0], down      # one message for the whole site
    recovered = told[1:]
    # Recoveries are gathered per batch_alerts window: one message, or two if the reads straddle a window.
    assert 1 <= len(recovered) <= 2 and all("恢复读取" in m for m in recovered), recovered
    text = "".join(recovered)
    assert sum(int(n) for n in re.findall(r"共 (\d+) 个栏目/账号已恢复读取", text)) + text.count("页面已恢复读取") == 6
