import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from werkzeug import Response

from monitor.alerts.lifecycle import ALERT, RECOVERED, REPEAT, Told, decide
from monitor.config import load
from monitor.digest import write_digest
from monitor.notify import wecom
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import at, run_cli
from .peers import SmtpServer, WeComStub, free_port

NOW = at("2022-01-04T09:00")


class Site:
    """A column list page whose posts a test can change between passes."""

    def __init__(self, httpserver):
        self.posts = [("直达资金分配情况公示", "2021-11-18"), ("直达资金监控系统使用说明", "2021-10-26")]
        self.down = False
        httpserver.expect_request("/czzj/index.html").respond_with_handler(self.page)
        self.url = httpserver.url_for("/czzj/index.html")

    def page(self, request):
        if self.down:
            return Response("maintenance", status=503)
        items = "".join(f"<li><a href=\"/czzj/{d}-{len(t)}.html\">{t}</a><span>{d}</span></li>" for t, d in self.posts)
        return Response(f"<html><body><ul class='list'>{items}</ul></body></html>",
                        headers={"Content-Type": "text/html; charset=utf-8"})


def config_text(site_url, stub, smtp_port, extra_columns=""):
    return f"""
[monitor]
database = "state/m.db"
digest_dir = "state/digests"
backfill_since = "2021-07-01"
digest_to = ["wecom", "email"]
fail_after = 1          # these tests follow the alert lifecycle from the first failed read
fail_span = "0s"

[http]
delay_per_host = 0
retries = 0

[[units]]
name = "财政局"
email = ["czj@example.gov.cn"]
wecom = "{stub.webhook('czj')}"

[column_defaults]
item = "ul.list > li"
date = "span"

[[columns]]
id = "czzj"
name = "财政资金直达基层"
unit = "财政局"
frequency = "1条/月"
url = "{site_url}"
{extra_columns}

[[notify]]
type = "wecom"
name = "政务公开工作群"
webhook = "{stub.webhook('office')}"

[[notify]]
type = "email"
name = "政务公开办邮箱"
smtp_host = "127.0.0.1"
smtp_port = {smtp_port}
ssl = false
sender = "monitor@example.gov.cn"
to = ["gkb@example.gov.cn"]
"""


@pytest.fixture
def world(httpserver, write_config):
    site = Site(httpserver)
    stub = WeComStub(httpserver)
    smtp = SmtpServer(free_port()).start()
    path = write_config(config_text(site.url, stub, smtp.port))
    cfg = load(path, env={})
    store = Store(cfg.settings.database)

    class World:
        pass

    w = World()
    w.site, w.stub, w.smtp, w.path, w.cfg, w.store = site, stub, smtp, path, cfg, store
    w.check = lambda now: run_check(cfg, store, now)
    yield w
    smtp.stop()


# ---------------------------------------------------------------- lifecycle (pure)

def test_lifecycle_decisions():
    day = dt.timedelta(days=1)
    events, told = decide(None, "overdue", NOW, day, "s")
    assert [e.kind for e in events] == [ALERT] and told == Told("overdue", NOW, NOW, "overdue")
    assert decide(told, "overdue", NOW + day / 2, day, "s")[0] == []
    events, told2 = decide(told, "overdue", NOW + day, day, "s")
    assert [e.kind for e in events] == [REPEAT] and told2.since == NOW and told2.notified == NOW + day
    events, told3 = decide(told2, "ok", NOW + 2 * day, day, "s")
    assert [(e.kind, e.state) for e in events] == [(RECOVERED, "overdue")] and told3.state == "ok"
    assert decide(Told("due_soon", NOW, NOW, "due_soon"), "ok", NOW, day, "s")[0] == []
    assert decide(Told("ok", NOW, None, "ok"), "ok", NOW + day, day, "s") == ([], Told("ok", NOW, None, "ok"))


def test_failing_neither_clears_nor_repeats_an_overdue_alert():
    day = dt.timedelta(days=1)
    overdue = Told("overdue", NOW, NOW, "overdue")
    events, failing = decide(overdue, "failing", NOW + day / 2, day, "s")
    assert [(e.kind, e.state) for e in events] == [(ALERT, "failing")]
    assert failing.rule_state == "overdue"
    # Readable again and still overdue: the office hears the page is back, the unit is not re-alerted.
    events, again = decide(failing, "overdue", NOW + day * 0.6, day, "s")
    assert [(e.kind, e.state) for e in events] == [(RECOVERED, "failing")] and again.state == "overdue"
    # Readable again and fixed: both recoveries.
    events, _ = decide(failing, "ok", NOW + day * 0.6, day, "s")
    assert [(e.kind, e.state) for e in events] == [(RECOVERED, "failing"), (RECOVERED, "overdue")]


# ---------------------------------------------------------------- passes against real peers

def test_first_pass_tells_office_and_unit_then_repeats_nothing(world):
    result = world.check(NOW)
    assert [l.plain() for l in result.alerts] == [
        "【逾期】财政局「财政资金直达基层」要求1条/月，2021年12月未更新，截止 2021-12-31（最近更新 2021-11-18）"]
    office, unit = world.stub.delivered("office"), world.stub.delivered("czj")
    assert len(office) == 1 and len(unit) == 1
    assert "财政资金直达基层" in office[0] and "截止 2021-12-31" in unit[0]
    mail = world.smtp.box.for_address("gkb@example.gov.cn")
    assert len(mail) == 1 and "逾期" in mail[0]["Subject"]
    text = mail[0].get_body(("plain",)).get_content()
    html = mail[0].get_body(("html",)).get_content()
    assert "财政局「财政资金直达基层」要求1条/月" in text and "<li " in html and "color:#b42318" in html
    assert "查看页面</a>" in html and "政务公开监测" in str(mail[0]["From"])
    assert len(world.smtp.box.for_address("czj@example.gov.cn")) == 1

    world.check(NOW + dt.timedelta(hours=1))
    assert len(world.stub.received) == 2 and len(world.smtp.box.messages) == 2


def test_a_restart_sends_nothing_new(world):
    world.check(NOW)
    before = (len(world.stub.received), len(world.smtp.box.messages))
    r = run_cli("--config", str(world.path), "check", "--as-of", "2022-01-04T10:00")
    assert r.returncode == 2, r.stderr          # the column is still overdue
    assert (len(world.stub.received), len(world.smtp.box.messages)) == before
    r = run_cli("--config", str(world.path), "check", "--as-of", "2022-01-04T11:00", "--exit-zero")
    assert r.returncode == 0, r.stderr
    world.site.down = True
    r = run_cli("--config", str(world.path), "check", "--as-of", "2022-01-04T12:00", "--no-notify")
    assert r.returncode == 3                    # a source could not be read


def test_new_post_sends_recovery(world):
    world.check(NOW)
    world.site.posts.insert(0, ("2022年1月直达资金下达情况", "2022-01-05"))
    result = world.check(at("2022-01-05T15:00"))
    assert [l.tag for l in result.alerts] == ["恢复"]
    assert "已更新（最近更新 2022-01-05），逾期解除" in world.stub.delivered("czj")[-1]


def test_a_failing_page_goes_to_the_office_only_and_recovery_reaches_the_unit(world):
    world.check(NOW)
    world.site.down = True
    result = world.check(NOW + dt.timedelta(hours=2))
    assert [l.tag for l in result.alerts] == ["抓取失败"]
    assert "HTTP 503" in world.stub.delivered("office")[-1]
    assert len(world.stub.delivered("czj")) == 1                  # the unit only ever heard "overdue"
    world.site.down = False
    world.site.posts.insert(0, ("2022年1月直达资金下达情况", "2022-01-05"))
    result = world.check(at("2022-01-05T15:00"))
    texts = [l.plain() for l in result.alerts]
    assert len(texts) == 2 and any("页面已恢复读取" in t for t in texts) and any("逾期解除" in t for t in texts)
    assert "逾期解除" in world.stub.delivered("czj")[-1] and "页面已恢复读取" not in world.stub.delivered("czj")[-1]


def test_repeat_every_is_honoured_as_time_moves(world):
    world.check(NOW)
    assert world.check(NOW + dt.timedelta(hours=23)).alerts == []
    repeated = world.check(NOW + dt.timedelta(hours=24)).alerts
    assert [l.tag for l in repeated] == ["仍逾期"]
    assert world.check(NOW + dt.timedelta(hours=30)).alerts == []


def test_smtp_down_queues_then_delivers_exactly_once(world):
    world.smtp.stop()
    world.check(NOW)
    queued = world.store.query("SELECT * FROM outbox WHERE channel = 'email'")
    assert len(queued) == 2 and all(r["sent"] is None and r["dead"] == 0 and r["error"] for r in queued)
    assert len(world.stub.delivered("office")) == 1      # WeCom is not held up by SMTP
    status = run_cli("--config", str(world.path), "status", "--as-of", "2022-01-04T09:01")
    assert "通知：待发送 2 条，无法送达 0 条" in status.stdout
    world.smtp.start()
    world.check(NOW + dt.timedelta(minutes=2))
    world.check(NOW + dt.timedelta(minutes=10))
    assert len(world.smtp.box.for_address("gkb@example.gov.cn")) == 1
    assert len(world.smtp.box.for_address("czj@example.gov.cn")) == 1
    assert all(r["sent"] for r in world.store.query("SELECT * FROM outbox"))


def test_rate_limited_robot_is_retried(world):
    world.stub.script = [45009]
    world.check(NOW)
    row = world.store.query("SELECT * FROM outbox WHERE recipient LIKE '办公室%' AND channel = 'wecom'")[0]
    assert row["sent"] is None and "45009" in row["error"]
    world.check(NOW + dt.timedelta(minutes=2))
    assert len(world.stub.delivered("office")) == 1
    codes = [code for key, _, code in world.stub.received if key == "office"]
    assert codes == [45009, 0]


def test_invalid_content_is_not_retried_forever(world):
    world.stub.script = [40058]
    world.check(NOW)
    row = world.store.query("SELECT * FROM outbox WHERE recipient LIKE '办公室%' AND channel = 'wecom'")[0]
    assert row["dead"] == 1 and "40058" in row["error"]
    world.check(NOW + dt.timedelta(hours=2))
    assert [code for key, _, code in world.stub.received if key == "office"] == [40058]


def test_long_alerts_are_split_below_4096_bytes(httpserver, write_config):
    site = Site(httpserver)
    stub = WeComStub(httpserver)
    extra = "".join(f"""
[[columns]]
id = "col{i}"
name = "第{i}号信息公开栏目（用于测试很长的告警消息）"
unit = "财政局"
frequency = "1条/月"
url = "{site.url}?n={i}"
""" for i in range(60))
    path = write_config(config_text(site.url, stub, free_port(), extra))
    cfg = load(path, env={})
    store = Store(cfg.settings.database)
    result = run_check(cfg, store, NOW)
    assert len(result.alerts) == 61
    parts = stub.delivered("office")
    assert len(parts) >= 3
    assert all(len(p.encode()) <= 4096 for p in parts)
    assert [code for _, _, code in stub.received if code] == []
    joined = "\n".join(parts)
    assert all(f"第{i}号信息公开栏目" in joined for i in range(60))
    assert parts[0].endswith(f"（续 1/{len(parts)}）")


def test_split_lines_keeps_lines_whole_and_cuts_a_giant_line():
    text = "\n".join(f"第{i}行" + "长" * 50 for i in range(200))
    parts = wecom.split_lines(text)
    assert all(len(p.encode()) <= wecom.MARKDOWN_LIMIT for p in parts)
    body = [line for p in parts for line in p.split("\n")[:-1]]
    assert body == text.split("\n")
    giant = wecom.split_lines("字" * 3000)
    assert all(len(p.encode()) <= wecom.MARKDOWN_LIMIT for p in giant) and len(giant) == 3


def test_robot_takes_at_most_20_messages_a_minute(world):
    from monitor.notify.outbox import Target, deliver, enqueue

    target = Target("wecom", "办公室", webhook=world.stub.webhook("office"))
    with world.store.transaction():
        for i in range(25):
            enqueue(world.store, target, "s", f"第{i}条", f"第{i}条", None, NOW)
    first = deliver(world.store, world.cfg, NOW)
    assert (first.sent, first.retrying) == (20, 5)
    second = deliver(world.store, world.cfg, NOW + dt.timedelta(seconds=61))
    assert second.sent == 5
    assert len(world.stub.delivered("office")) == 25


def test_digest_lists_what_the_spec_names(world, httpserver):
    world.check(at("2021-12-29T09:00"))
    world.site.posts.insert(0, ("12月直达资金下达情况", "2021-12-30"))
    world.check(at("2021-12-30T15:00"))
    path = write_digest(world.cfg, world.store, at("2021-12-31T08:30"), send=True)
    text = path.read_text(encoding="utf-8")
    assert path.name == "2021-12-31.md"
    assert "# 政务公开监测日报 2021-12-31" in text
    for heading in ("## 逾期", "## 即将到期", "## 抓取失败", "## 本季度漏更", "## 新增信息"):
        assert heading in text
    assert "**财政局**：12-30「12月直达资金下达情况」（财政资金直达基层）" in text
    assert "11-18" not in text.split("## 新增信息")[1]    # old posts are not "new"
    assert any("政务公开监测日报 2021-12-31" in c for c in world.stub.delivered("office"))


def test_digest_command_for_a_date(world):
    world.site.posts = [("九月", "2021-09-10")]
    world.check(at("2021-11-20T09:00"))
    r = run_cli("--config", str(world.path), "digest", "--date", "2021-11-21", "--no-send")
    assert r.returncode == 0, r.stderr
    assert "## 逾期（1）" in r.stdout and "财政局「财政资金直达基层」" in r.stdout
    missed = r.stdout.split("## 本季度漏更")[1].split("##")[0]
    assert "2021年10月未更新（要求1条/月）" in missed and "2021年11月" not in missed


def test_test_notify_reports_each_channel(world):
    r = run_cli("--config", str(world.path), "test-notify")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("成功") == 4
    world.smtp.stop()
    r = run_cli("--config", str(world.path), "test-notify")
    assert r.returncode == 1 and "失败  办公室「政务公开办邮箱」" in r.stdout


def test_run_checks_and_stops_on_sigterm(world):
    text = world.path.read_text(encoding="utf-8").replace('backfill_since = "2021-07-01"', 'backfill_since = "2021-07-01"\ncheck_every = "1s"')
    world.path.write_text(text, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(world.path), "run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())

    def wait_for_fetches(n: int) -> int:
        deadline = time.monotonic() + 20
        fetched = 0
        while time.monotonic() < deadline and fetched < n:
            time.sleep(0.2)
            fetched = world.store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0]
        return fetched

    try:
        fetched = wait_for_fetches(2)
        assert fetched >= 2, "the daemon did not check the source"
        proc.send_signal(signal.SIGHUP)          # re-read the config and go on checking
        assert wait_for_fetches(fetched + 2) >= fetched + 2 and proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "重新读取配置" in err and err.count("开始运行") == 2 and "已退出" in err
    assert world.store.get_meta("heartbeat") is not None


def test_the_digest_is_also_a_page_and_an_html_email(world):
    world.check(at("2021-12-29T09:00"))
    path = write_digest(world.cfg, world.store, at("2021-12-31T08:30"), send=True)
    page = path.with_suffix(".html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h2" in page and "<li>" in page and "**" not in page
    mail = [m for m in world.smtp.box.for_address("gkb@example.gov.cn") if "日报" in m["Subject"]][-1]
    plain = mail.get_body(("plain",)).get_content()
    assert "**" not in plain and not any(line.startswith("#") for line in plain.splitlines())
    assert "<h1>政务公开监测日报 2021-12-31</h1>" in mail.get_body(("html",)).get_content()
    wecom = [c for c in world.stub.delivered("office") if "日报" in c][-1]
    assert wecom.startswith("# 政务公开监测日报")                     # WeCom keeps its markdown
