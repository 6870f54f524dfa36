"""钉钉 and 飞书 group robots beside WeCom: signed requests, @ by mobile, the same outbox discipline."""

import datetime as dt

from monitor.config import load
from monitor.notify.outbox import deliver
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import at
from .peers import SignedRobotStub, WeComStub
from .site import column_config

NOW = at("2022-01-04T09:00")


def setup(httpserver, write_config, ding_secret="ding-secret"):
    httpserver.expect_request("/list").respond_with_data(
        "<ul class='list'><li><a href='/a.html'>直达资金分配公示</a><span>2021-11-18</span></li></ul>", content_type="text/html")
    ding = SignedRobotStub(httpserver, "dingtalk", "ding-secret")
    feishu = SignedRobotStub(httpserver, "feishu", "fs-secret")
    wecom = WeComStub(httpserver)
    text = column_config(httpserver.url_for("/list"), item="ul.list > li", date="span") + f"""
[[notify]]
type = "dingtalk"
webhook = "{ding.url}"
secret_env = "DING_SECRET"
mention_mobiles = ["13800000001"]

[[notify]]
type = "feishu"
webhook = "{feishu.url}"
secret_env = "FS_SECRET"

[[notify]]
type = "wecom"
webhook = "{wecom.webhook('office')}"
mention_mobiles = ["13800000002"]
"""
    cfg = load(write_config(text), env={"DING_SECRET": ding_secret, "FS_SECRET": "fs-secret"})
    return cfg, Store(cfg.settings.database), ding, feishu, wecom


def test_dingtalk_and_feishu_get_signed_alerts_and_mentions(httpserver, write_config):
    cfg, store, ding, feishu, wecom = setup(httpserver, write_config)
    run_check(cfg, store, NOW)
    [d] = ding.delivered()
    assert d["msgtype"] == "markdown" and "财政资金直达基层" in d["markdown"]["text"]
    assert d["at"]["atMobiles"] == ["13800000001"] and "@13800000001" in d["markdown"]["text"]
    [f] = feishu.delivered()
    assert f["msg_type"] == "text" and "【逾期】" in f["content"]["text"] and "<font" not in f["content"]["text"]
    mention = [p for _, p, code in wecom.received if p["msgtype"] == "text"]
    assert mention and mention[0]["text"]["mentioned_mobile_list"] == ["13800000002"]


def test_rate_limits_wait_and_bad_signatures_are_not_retried(httpserver, write_config):
    cfg, store, ding, feishu, _ = setup(httpserver, write_config, ding_secret="wrong-secret")
    feishu.script = [11232]                          # 飞书: too many requests
    run_check(cfg, store, NOW)
    assert ding.delivered() == [] and feishu.delivered() == []
    rows = {r["channel"]: r for r in store.query("SELECT * FROM outbox")}
    assert rows["dingtalk"]["dead"] == 1 and "签名" in rows["dingtalk"]["error"]     # a wrong secret will not fix itself
    assert rows["feishu"]["sent"] is None and rows["feishu"]["dead"] == 0          # queued, to be retried
    deliver(store, cfg, NOW + dt.timedelta(seconds=61))
    assert len(feishu.delivered()) == 1 and ding.delivered() == []
