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


def test_the_fast_path_reads_every_fixture_as_feedparser_does(monkeypatch):
    """RSS 2.0 and Atom are read with lxml directly; feedparser is the yardstick."""
    import monitor.collect.feeds as feeds

    def posts(raw):
        result = parse_feed(raw, TZ, MARKERS, "application/xml")
        return [(p.key, p.title, p.url, p.published, p.original) for p in result.posts], result.undated

    for path in [*(FIXTURES / "feeds").glob("*.xml"), *(FIXTURES / "feeds").glob("*.atom")]:
        raw = path.read_bytes()
        assert feeds._plain_feed(raw) is not None, path.name
        fast = posts(raw)
        with monkeypatch.context() as m:
            m.setattr(feeds, "_plain_feed", lambda content: None)
            assert posts(raw) == fast, path.name


def test_other_feed_formats_fall_back_to_feedparser():
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="x"><title>t</title></channel>
      <item rdf:about="http://x/1"><title>RSS 1.0 item</title><link>http://x/1</link><dc:date>2021-11-20T10:00:00+08:00</dc:date></item>
      </rdf:RDF>"""
    from monitor.collect.feeds import _plain_feed

    assert _plain_feed(rdf) is None
    result = parse_feed(rdf, TZ, MARKERS, "application/rdf+xml")
    assert [(p.title, p.published.isoformat()) for p in result.posts] == [("RSS 1.0 item", "2021-11-20T10:00:00+08:00")]
