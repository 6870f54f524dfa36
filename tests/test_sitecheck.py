"""The national site-check profile (issue 13): home page availability and freshness, stale columns
by class, blank columns, accounts — measured from what was observed on 127.0.0.1."""

import datetime as dt

from werkzeug import Response

from monitor.config import load
from monitor.pipeline import run_check
from monitor.sitecheck.home import check_home
from monitor.sitecheck.measure import site_check
from monitor.store import Store
from monitor.collect.http import Fetcher

from .conftest import at, run_cli
from .peers import WeComStub

T = at("2021-12-20T09:00")


def list_page(*days: str) -> str:
    items = "\n".join(f'<li><span class="date">{d}</span><a href="/info/{d}.html" target="_blank">工作动态 {d}</a></li>' for d in days)
    return f"""<html><head><meta charset="utf-8"><title>工作动态</title></head><body>
<div class="top"><a href="/">首页</a></div><div class="list"><ul>{items}</ul></div>
<div class="footer">版权所有：区人民政府办公室</div></body></html>"""


HOME = """<html><head><meta charset="utf-8"><title>区人民政府</title></head><body>
<div class="news"><h2>要闻动态</h2><ul>
<li><a href="/xwzx/t20211201_1.html">区政府召开常务会议</a><span>2021-12-01</span></li>
<li><a href="/xwzx/t20211125_2.html">全区冬季安全生产工作会议召开</a><span>2021-11-25</span></li>
</ul></div><div class="footer">版权所有 2003-2022 区人民政府办公室</div></body></html>"""


def site_config(httpserver, n_stale: int, extra: str = "") -> str:
    columns = "".join(f"""
[[columns]]
id = "dt{i}"
name = "镇街工作动态{i}"
unit = "区政府办"
frequency = "1条/月"
url = "{httpserver.url_for(f'/dt{i}/index.html')}"
""" for i in range(n_stale))
    return f"""
[monitor]
database = "state/m.db"
backfill_since = "2021-10-01"

[http]
timeout = 2
delay_per_host = 0
retries = 0

[content]
scan_articles = false

[site]
home = "{httpserver.url_for('/index.html')}"

[[units]]
name = "区政府办"
{columns}
{extra}
"""


def serve_site(httpserver, n_stale: int, down: set[int] = frozenset()):
    calls = []

    def home(request):
        calls.append(1)
        if len(calls) in down:
            return Response("Service Unavailable", status=503)
        return Response(HOME, headers={"Content-Type": "text/html; charset=utf-8"})

    httpserver.expect_request("/index.html").respond_with_handler(home)
    for i in range(n_stale):    # newest post 15 days before T: past the 2-week line
        httpserver.expect_request(f"/dt{i}/index.html").respond_with_data(
            list_page("2021-12-05", "2021-11-10", "2021-10-20"), content_type="text/html; charset=utf-8")


def item(items, key):
    return next(i for i in items if i.key == key)


def test_a_home_page_down_one_check_in_ten_crosses_the_line(httpserver, write_config):
    serve_site(httpserver, 0, down={4})
    cfg = load(write_config(site_config(httpserver, 0)), env={})
    store = Store(cfg.settings.database)
    fetcher = Fetcher(cfg.http)
    for n in range(9):
        check_home(cfg, store, fetcher, T - dt.timedelta(minutes=30 * (9 - n)))
    nine = item(site_check(cfg, store, T - dt.timedelta(minutes=1)), "home_availability")
    assert nine.verdict == "无数据" and "仅检查 9 次" in nine.value          # too few checks to judge a share
    check_home(cfg, store, fetcher, T)
    week = item(site_check(cfg, store, T), "home_availability")
    assert week.verdict == "单项否决" and "检查 10 次，打不开 1 次（10.0%）" in week.value
    assert store.query("SELECT error FROM home_checks WHERE ok = 0") == [{"error": "HTTP 503"}]
    fresh = item(site_check(cfg, store, T), "home_update")     # newest dated item 2021-12-01: 19 days
    assert fresh.verdict == "单项否决" and fresh.value == "最新信息 2021-12-01（19 天前）"
    assert item(site_check(cfg, store, at("2021-12-10T09:00")), "home_update").verdict == "无数据"   # not read that day


def test_six_stale_news_columns_veto_the_site_and_four_do_not(httpserver, write_config, tmp_path):
    serve_site(httpserver, 6)
    stub = WeComStub(httpserver)
    office = f'\n[[notify]]\ntype = "wecom"\nwebhook = "{stub.webhook("office")}"\n'
    six = load(write_config(site_config(httpserver, 6, office), "six.toml"), env={})
    store = Store(six.settings.database)
    run_check(six, store, T)
    stale = item(site_check(six, store, T), "stale_news")
    assert stale.verdict == "单项否决" and len(stale.names) == 6 and "（最近 2021-12-05）" in stale.names[0]
    told = "\n".join(stub.delivered("office"))
    assert "【单项否决】" in told and "动态要闻类栏目不更新：6 个" in told
    run_check(six, store, T + dt.timedelta(hours=1))
    assert "\n".join(stub.delivered("office")).count("动态要闻类栏目不更新：6 个") == 1   # once, until repeat_every

    md = run_cli("--config", str(tmp_path / "six.toml"), "report", "--period", "2021Q4", "--format", "md",
                 "--as-of", "2021-12-20T10:00").stdout
    assert "## 附表 2021年四季度网站与新媒体体检" in md and "| **动态要闻类栏目不更新** |" in md
    notice = run_cli("--config", str(tmp_path / "six.toml"), "report", "--period", "2021Q4", "--format", "notice",
                     "--as-of", "2021-12-20T10:00").stdout
    assert "对照国家政府网站与政务新媒体检查指标，首页更新：最新信息 2021-12-01（19 天前）；动态要闻类栏目不更新：6 个" in notice
    digest = run_cli("--config", str(tmp_path / "six.toml"), "digest", "--date", "2021-12-20", "--no-send").stdout
    assert "**动态要闻类栏目不更新**：单项否决，6 个" in digest

    four = load(write_config(site_config(httpserver, 4).replace("state/m.db", "state/four.db"), "four.toml"), env={})
    store4 = Store(four.settings.database)
    run_check(four, store4, T, notify=False)
    line = item(site_check(four, store4, T), "stale_news")
    assert line.verdict == "达标" and line.near and len(line.names) == 4       # within one of the line: the digest names it


def test_columns_not_observed_long_enough_are_not_counted(httpserver, write_config):
    serve_site(httpserver, 4)
    httpserver.expect_request("/dt4/index.html").respond_with_data("busy", status=503)
    cfg = load(write_config(site_config(httpserver, 5)), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, T, notify=False)
    line = item(site_check(cfg, store, T), "stale_news")
    # Four seen stale and one never read: it might be the fifth, so the line is not judged either way.
    assert line.verdict == "无数据" and len(line.names) == 4 and line.unknown == ("区政府办「镇街工作动态4」",)


def test_stale_is_judged_only_on_observed_days():
    from monitor.core.coverage import Coverage
    from monitor.sitecheck.profile import stale

    today = dt.date(2021, 12, 20)
    seen = Coverage.of([(dt.date(2021, 10, 1), dt.date(2021, 12, 19))])
    assert stale(dt.date(2021, 12, 5), seen, today, 14) is True        # 15 days, all observed
    assert stale(dt.date(2021, 12, 6), seen, today, 14) is False       # on the line's first day
    assert stale(None, Coverage.of([(dt.date(2021, 12, 10), dt.date(2021, 12, 19))]), today, 14) is None
    assert stale(dt.date(2021, 12, 18), Coverage(), today, 14) is False  # a post seen is a post, observed or not


def test_blank_columns_stale_accounts_and_a_slow_home_page(httpserver, write_config):
    import time

    opened = []

    def slow_home(request):
        opened.append(1)
        if len(opened) == 1:
            time.sleep(1.2)         # the first time the home page opens, too slowly (slow_after = 1s)
        return Response(HOME, headers={"Content-Type": "text/html; charset=utf-8"})

    httpserver.expect_request("/index.html").respond_with_handler(slow_home)
    httpserver.expect_request("/kblm/index.html").respond_with_data(
        '<html><body><div class="list"><ul class="news"></ul></div><p>暂无信息</p></body></html>', content_type="text/html; charset=utf-8")
    httpserver.expect_request("/feed.xml").respond_with_data(
        """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>渭滨发布</title>
<item><title>冬季供暖服务热线开通</title><pubDate>Sun, 05 Dec 2021 02:00:00 GMT</pubDate><guid>g1</guid><link>http://127.0.0.1:9/g1</link></item>
<item><title>区政府常务会议召开</title><pubDate>Mon, 01 Nov 2021 02:00:00 GMT</pubDate><guid>g2</guid><link>http://127.0.0.1:9/g2</link></item>
</channel></rss>""", content_type="application/rss+xml; charset=utf-8")
    extra = f"""
[[columns]]
id = "kblm"
name = "政策解读"
unit = "区政府办"
frequency = "1条/季度"
url = "{httpserver.url_for('/kblm/index.html')}"
item = "ul.news li"

[[accounts]]
id = "wbfb"
name = "渭滨发布"
unit = "区政府办"
feed = "{httpserver.url_for('/feed.xml')}"
"""
    cfg = load(write_config(site_config(httpserver, 0, extra).replace("[site]\n", "[site]\nslow_after = 1\n")), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, T - dt.timedelta(hours=20), notify=False)
    assert item(site_check(cfg, store, T - dt.timedelta(hours=20)), "blank").names == ()     # one empty read: not yet
    run_check(cfg, store, T, notify=False)
    items = site_check(cfg, store, T)
    assert item(items, "blank").names == () and item(items, "blank").verdict == "达标"    # 20 hours apart: not yet
    accounts = item(items, "accounts")
    assert accounts.verdict == "单项否决" and accounts.names == ("区政府办「渭滨发布」（最近 2021-12-05）",)
    run_check(cfg, store, T + dt.timedelta(hours=5), notify=False)
    assert item(site_check(cfg, store, T + dt.timedelta(hours=5)), "blank").names == ("区政府办「政策解读」",)   # a day apart
    home = store.query("SELECT ok, error FROM home_checks")
    assert home[0]["ok"] == 0 and home[0]["error"].startswith("打开用时") and "超过 1 秒" in home[0]["error"]


def test_the_home_pages_newest_date_counts_dates_without_a_year():
    from monitor.sitecheck.home import newest_date

    page = """<html><body><div class="yw"><ul><li><a href="/a.html">区长调研安全生产</a><span>12-18</span></li>
    <li><a href="/b.html">冬季供暖工作会议</a><span>3小时前</span></li></ul></div>
    <div class="footer">网站建设于 2019-05-01　电话：0917-3128019</div><script>var d = "2099-01-01";</script></body></html>"""
    assert newest_date(page, at("2021-12-20T09:00")) == dt.date(2021, 12, 20)      # 3小时前, not the footer's 2019
    assert newest_date(page.replace("3小时前", ""), at("2021-12-20T09:00")) == dt.date(2021, 12, 18)
