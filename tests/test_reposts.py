"""Required reposts (issue 12, seed 二.3): an account must repost named sources; a shortfall observed
over covered days is a finding in 附件4 and the draft."""

import datetime as dt
import json

from monitor.config import load
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import at, run_cli


def feed(items):
    entries = "".join(f"<item><title>{t}</title><link>https://mp.weixin.qq.com/s/{i}</link><guid>{i}</guid>"
                      f"<pubDate>{when}</pubDate><description>{body}</description></item>"
                      for i, (t, when, body) in enumerate(items))
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>x</title>{entries}</channel></rss>"


# An original every other day from late September to January: neither account is 断更.
SHARED = [(f"本单位工作动态{k}", (dt.datetime(2021, 9, 24, 2) + dt.timedelta(days=2 * k)).strftime("%a, %d %b %Y %H:%M:%S GMT"),
           "本单位工作") for k in range(52)]
REPOSTS = [("转发：国务院常务会议部署", "Fri, 17 Dec 2021 02:00:00 GMT", "来源：中国政府网"),
           ("转载：政策解读", "Wed, 10 Nov 2021 02:00:00 GMT", "来源：国务院客户端"),
           ("转发：政务公开要点", "Tue, 12 Oct 2021 02:00:00 GMT", "来源：中国政府网"),
           ("转发：本市新闻", "Mon, 11 Oct 2021 02:00:00 GMT", "来源：宝鸡日报")]

HEADER = """
[monitor]
database = "state/m.db"
backfill_since = "2021-10-01"

[http]
delay_per_host = 0
"""


def test_an_account_short_of_required_reposts_is_named(httpserver, write_config):
    httpserver.expect_request("/a.xml").respond_with_data(feed(SHARED + REPOSTS), content_type="application/rss+xml")
    httpserver.expect_request("/b.xml").respond_with_data(feed(SHARED + REPOSTS[3:]), content_type="application/rss+xml")
    path = write_config(f"""{HEADER}
[account_defaults]
must_repost = {{ from = ["中国政府网", "国务院客户端"], rule = "1条/月" }}

[[units]]
name = "石鼓镇"

[[units]]
name = "清姜办"

[[accounts]]
id = "a"
name = "印象石鼓"
unit = "石鼓镇"
feed = "{httpserver.url_for('/a.xml')}"

[[accounts]]
id = "b"
name = "清姜故事"
unit = "清姜办"
feed = "{httpserver.url_for('/b.xml')}"
""")
    cfg = load(path, env={})
    run_check(cfg, Store(cfg.settings.database), at("2022-01-04T09:00"), notify=False)
    data = json.loads(run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "json",
                              "--as-of", "2022-01-04T09:00").stdout)
    a, b = data["accounts"]
    assert (a["reposts"], a["reposts_required"], a["reposts_missed"]) == (3, 3, False)
    assert (b["reposts"], b["reposts_required"], b["reposts_missed"]) == (0, 3, True)   # 宝鸡日报 is not a required source
    assert (a["broken"], b["broken"]) == (False, False)
    assert data["noncompliant_units"] == ["清姜办"]                      # named for the reposts alone
    md = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "md", "--as-of", "2022-01-04T09:00").stdout
    assert "转发（要求）" in md and "0（要求3）" in md and "3（要求3）" in md
    notice = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "notice", "--as-of", "2022-01-04T09:00").stdout
    assert "清姜办开设的微信公众号“清姜故事”未按要求转发中国政府网、国务院客户端的信息（要求1条/月，转发数量为0）" in notice


def test_a_bad_must_repost_is_a_config_error(write_config):
    from .site import account_config

    text = account_config("http://127.0.0.1:9/f.xml").replace('feed = "', 'must_repost = { from = "中国政府网", rule = "每月" }\nfeed = "')
    r = run_cli("--config", str(write_config(text)), "validate")
    assert r.returncode == 2 and "must_repost" in r.stderr and "rule" in r.stderr


def test_a_month_short_of_reposts_is_told_once(httpserver, write_config):
    from .peers import WeComStub

    httpserver.expect_request("/b.xml").respond_with_data(feed(SHARED + REPOSTS[:1] + REPOSTS[3:]), content_type="application/rss+xml")
    stub = WeComStub(httpserver)
    path = write_config(f"""{HEADER}
[[units]]
name = "清姜办"
wecom = "{stub.webhook('qjb')}"

[[accounts]]
id = "b"
name = "清姜故事"
unit = "清姜办"
feed = "{httpserver.url_for('/b.xml')}"
must_repost = {{ from = ["中国政府网"], rule = "1条/月" }}

[[notify]]
type = "wecom"
webhook = "{stub.webhook('office')}"
""")
    cfg = load(path, env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2021-12-20T09:00"))
    told = [m for m in stub.delivered("qjb") if "转发不足" in m]
    # October and November ended without a 中国政府网 repost (the 宝鸡日报 one does not count); December is not over.
    assert len(told) == 1 and "2021年10月转发中国政府网的信息0条" in told[0] and "2021年11月" in told[0]
    assert "2021年12月" not in told[0]
    run_check(cfg, store, at("2021-12-21T09:00"))
    assert len([m for m in stub.delivered("qjb") if "转发不足" in m]) == 1      # told once
