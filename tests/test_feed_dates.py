"""Feed times as Chinese feed generators write them, JSON Feed, and a feed that says it stopped."""

import datetime as dt
from zoneinfo import ZoneInfo

from monitor.collect.feeds import feed_time, parse_feed
from monitor.config import load
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import TZ, at
from .site import FIXTURES, account_config, serve

MARKERS = ("转发", "转载", "【转载】")


def read(name, content_type="application/rss+xml", naive_tz=None):
    result = parse_feed((FIXTURES / "feeds" / name).read_bytes(), TZ, MARKERS, content_type, naive_tz)
    return {p.title: p.published.isoformat() for p in result.posts}, result


def test_cst_zone_less_and_chinese_times_are_beijing_time():
    got, _ = read("chinese_dates.xml")
    assert got == {
        "国庆假期出行提示": "2021-09-30T12:00:00+08:00",        # CST is China Standard Time, not US Central
        "区政府常务会议召开": "2005-05-28T16:05:36+08:00",      # no zone: local time, not UTC
        "秋季森林防火宣传": "2021-09-30T20:00:00+08:00",        # not a phantom 2021-11-01
        "重阳节敬老活动": "2021-10-01T00:30:00+08:00",          # GMT is converted: October in Beijing
    }


def test_zone_less_atom_times_follow_the_accounts_timezone():
    assert read("naive.atom", "application/atom+xml")[0] == {"石鼓镇夜间巡查": "2021-09-30T20:00:00+08:00"}
    utc = read("naive.atom", "application/atom+xml", naive_tz=ZoneInfo("UTC"))[0]
    assert utc == {"石鼓镇夜间巡查": "2021-10-01T04:00:00+08:00"}


def test_feed_time_forms():
    assert feed_time("2021-09-30T12:00:00Z", TZ) == dt.datetime(2021, 9, 30, 20, 0, tzinfo=TZ)
    assert feed_time("Thu, 30 Sep 2021 12:00:00 +0800", TZ) == dt.datetime(2021, 9, 30, 12, 0, tzinfo=TZ)
    assert feed_time("2021-09-30", TZ) == dt.datetime(2021, 9, 30, 0, 0, tzinfo=TZ)
    assert feed_time("下周一", TZ) is None and feed_time("", TZ) is None


def test_json_feed_is_read(httpserver, write_config):
    url = serve(httpserver, "/feeds/sf.json", "feeds/items.jsonfeed", content_type="application/feed+json")
    cfg = load(write_config(account_config(url)), env={})
    store = Store(cfg.settings.database)
    result = run_check(cfg, store, at("2021-12-20"), notify=False)
    assert result.fetches["wbsf"].ok
    rows = {r["title"]: (r["day"], r["original"]) for r in store.query("SELECT * FROM posts")}
    assert rows == {"【转载】全国普法办发布年度普法清单": ("2021-12-16", 0), "普法宣传进社区": ("2021-12-14", 1),
                    "人民调解化纠纷：司法所调解一起邻里纠纷": ("2021-12-08", 1)}


def test_a_feed_that_says_it_stopped_is_failing_not_a_post(httpserver, write_config):
    url = serve(httpserver, "/feeds/wbxj.xml", "feeds/stopped.xml", content_type="application/rss+xml")
    cfg = load(write_config(account_config(url)), env={})
    store = Store(cfg.settings.database)
    result = run_check(cfg, store, at("2021-11-26T09:00"), notify=False)
    status = result.statuses[0]
    assert status.state == "failing" and "订阅源提示已停止更新" in status.error
    assert store.query("SELECT * FROM posts") == []
