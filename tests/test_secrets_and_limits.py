"""Secrets stay out of the store, the logs and the screen; every config value is checked at validate."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from monitor.store import Store

from .conftest import run_cli
from .peers import SmtpServer, WeComStub, free_port
from .site import column_config

KEY = "693axxxx-SECRET-KEY-7f3e"
PASSWORD = "Pa55-word-XYZ"


def secret_config(page_url, stub, smtp_port, ssl_line="ssl = false"):
    return column_config(page_url, item="ul.list > li", date="span") + f"""
[[notify]]
type = "wecom"
webhook = "{stub.webhook(KEY)}"

[[notify]]
type = "email"
smtp_host = "127.0.0.1"
smtp_port = {smtp_port}
{ssl_line}
username = "monitor"
password_env = "MONITOR_SMTP_PASSWORD"
sender = "monitor@example.gov.cn"
to = ["gkb@example.gov.cn"]
"""


def files_text(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_secrets_never_reach_the_database_the_logs_or_validate(httpserver, write_config, tmp_path):
    httpserver.expect_request("/list").respond_with_data(
        "<ul class='list'><li><a href='/a.html'>通知</a><span>2021-10-05</span></li></ul>", content_type="text/html")
    stub = WeComStub(httpserver)
    smtp = SmtpServer(free_port()).start()
    try:
        path = write_config(secret_config(httpserver.url_for("/list"), stub, smtp.port))
        env = {"MONITOR_SMTP_PASSWORD": PASSWORD}
        r = run_cli("-v", "--config", str(path), "check", "--exit-zero", "--as-of", "2022-01-04T09:00", env=env)
        assert r.returncode == 0, r.stderr
        assert stub.delivered(KEY), "the alert went out through the robot"
        assert "webhook/send" in r.stderr                   # urllib3 logged its request line at -v …
        assert KEY not in r.stderr and PASSWORD not in r.stderr   # … with the key masked
        store = Store(path.parent / "state" / "m.db")
        assert store.query("SELECT count(*) AS n FROM outbox")[0]["n"] >= 1
        store.close()
        state = files_text(path.parent / "state")
        assert KEY.encode() not in state and PASSWORD.encode() not in state
        v = run_cli("--config", str(path), "validate", env=env)
        assert v.returncode == 0 and KEY not in v.stdout and PASSWORD not in v.stdout
        assert "明文" in v.stdout                              # a password over a plain connection is warned of
    finally:
        smtp.stop()


def test_validate_never_echoes_a_literal_password(write_config):
    text = column_config("http://127.0.0.1:9/c.html") + f"""
[[notify]]
type = "email"
smtp_host = "127.0.0.1"
password = "{PASSWORD}"
sender = "monitor@example.gov.cn"
to = ["gkb@example.gov.cn"]
"""
    r = run_cli("--config", str(write_config(text)), "validate")
    assert r.returncode == 2 and "password_env" in r.stderr and PASSWORD not in r.stderr


def test_an_older_store_forgets_the_webhooks_it_kept(tmp_path):
    from monitor.store import MIGRATIONS

    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path)
    conn.executescript("".join(MIGRATIONS[:4]) + "; PRAGMA user_version = 4;")
    target = json.dumps({"webhook": f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}", "smtp": None, "to": []})
    conn.execute("INSERT INTO outbox (key, channel, target, recipient, subject, body, created, next_try) "
                 "VALUES ('k1', 'wecom', ?, '办公室', 's', 'b', '2022-01-04T09:00:00+08:00', '2022-01-04T09:00:00+08:00')",
                 (target,))
    conn.commit()
    conn.close()
    assert KEY.encode() in path.read_bytes()
    store = Store(path)
    assert json.loads(store.query("SELECT target FROM outbox")[0]["target"])["ref"]
    store.close()
    assert KEY.encode() not in files_text(tmp_path)


BAD = """
[monitor]
database = ""
check_every = "99999999999d"

[http]
timeout = inf
delay_per_host = nan

[[units]]
name = "财政局"

[[units]]
name = "司法局"
email = ["sfj@example.gov.cn, bgs@example.gov.cn"]

[[columns]]
id = "c1"
name = "一"
unit = "财政局"
frequency = "99999999999条/5天"
url = "http://127.0.0.1:9/a.html"

[[columns]]
id = "c2"
name = "二"
unit = "财政局"
frequency = "1条/99999999天"
url = "http://[::1/ok"

[[columns]]
id = "c3"
name = "三"
unit = "财政局"
frequncy = "1条/月"
url = "http://127.0.0.1:9/c.html"

[[columns]]
id = "c4"
name = "四"
unit = "财政局"
frequency = "1条/月"
url = "http://127.0.0.1:9/d.html"
pages = "index_{n}_{page}.html"

[[notify]]
type = "email"
smtp_host = "127.0.0.1"
smtp_port = 99999
sender = "monitor@example.gov.cn"
to = ["gkb@example.gov.cn"]
"""


def test_every_bad_value_is_named_at_once_without_a_traceback(write_config):
    r = run_cli("--config", str(write_config(BAD)), "validate")
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    err = r.stderr
    for expected in ["monitor.database", "http.timeout", "columns[1]「一」.frequency", "条数不能超过",
                     "columns[2]「二」.frequency", "周期太长", "columns[3]「三」: 缺少必填项 frequency（是否把 frequency 写成了 frequncy？）",
                     "columns[4]「四」.pages", "只能使用 {n}", "notify[1].smtp_port", "应不大于 65535",
                     "units[2]「司法局」.email", "每个字符串写一个地址"]:
        assert expected in err, expected
    assert err.startswith("错误：配置中有 ") and "处错误" in err
    one = run_cli("--config", str(write_config(BAD.replace('database = ""\n', "").replace("timeout = inf", "timeout = 5")
                                               .replace("delay_per_host = nan", ""))), "validate")
    assert "monitor.check_every" in one.stderr and "不能超过" in one.stderr
    ipv6 = run_cli("--config", str(write_config(column_config("http://[::1/ok"))), "validate")
    assert ipv6.returncode == 2 and "不是有效的网址" in ipv6.stderr and "Traceback" not in ipv6.stderr


def test_sighup_with_an_invalid_config_keeps_the_old_one(httpserver, write_config):
    httpserver.expect_request("/list").respond_with_data(
        "<ul class='list'><li><a href='/a.html'>通知</a><span>2021-10-05</span></li></ul>", content_type="text/html")
    good = column_config(httpserver.url_for("/list"), item="ul.list > li", date="span").replace(
        'backfill_since = "2021-07-01"', 'backfill_since = "2021-07-01"\ncheck_every = "1s"')
    path = write_config(good)
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(path), "run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    store = None
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if (path.parent / "state" / "m.db").exists():
                store = store or Store(path.parent / "state" / "m.db")
                if store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0] >= 1:
                    break
        path.write_text(good.replace('frequency = "1条/月"', 'frequency = "1条/99999999天"'), encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        before = store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0] < before + 2:
            time.sleep(0.2)
        assert proc.poll() is None, "the daemon ended"
        assert store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0] >= before + 2   # still checking
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert "新配置有误，继续使用原配置" in err and "周期太长" in err
