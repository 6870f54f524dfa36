"""Dates as real list pages print them (issue 10): year-less, split badges, relative times, group
headings, dates in links and link text, attributes, a column's own pattern. Fixture pages mimic
real layouts and are read both directly and from a server on 127.0.0.1."""

import datetime as dt

import pytest

from monitor.collect.dates import find_date, link_date
from monitor.collect.pages import extract
from monitor.config import Selectors, load
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import at, d, run_cli
from .site import FIXTURES, column_config, serve


def sel(item, title="a", date=None, **extra):
    return Selectors(item, title, date, "a", None, None, 10, **extra)


def page(name):
    return (FIXTURES / "pages" / "dates" / name).read_text(encoding="utf-8")


def dates(html, selectors, now, url="http://www.weibin.gov.cn/list/index.html"):
    return {i.title: i.published for i in extract(html, url, selectors, now).items}


def test_year_less_dates_take_the_link_year_or_the_latest_past_one():
    got = dates(page("dede_yearless.html"), sel("ul.e2 > li", date="span.date"), at("2022-01-04T09:00"))
    assert got["[置顶] 2022年元旦春节期间安全提示"] == d("2021-12-30")   # pinned: its own date, last year
    assert got["渭滨区召开经济运行分析会"] == d("2021-11-20")
    assert got["区政协开展专题调研"] == d("2021-08-01")
    assert got["印刷日期与链接不一致的一条"] == d("2021-11-25")            # the printed date wins over t20211122
    assert "区长信箱回复" not in got                                       # the sidebar is not the list
    # A year-less date whose link says another year: the link's year.
    html = '<ul><li><a href="/a/t20201120_1.html">去年的</a><span>11-20</span></li></ul>'
    assert dates(html, sel("li", date="span"), at("2021-11-26")) == {"去年的": d("2020-11-20")}


def test_split_badges_and_relative_times():
    html = page("badges_relative.html")
    now = at("2021-11-26T09:40")
    assert dates(html, sel("ul.news > li", date="div.time"), now) == {
        "石鼓镇开展冬季防火演练": d("2021-11-18"), "神农镇召开干部大会": d("2021-11-09")}
    assert dates(html, sel("ul.flash > li", date="span.ago"), now) == {
        "区医保局开展政策宣讲": dt.datetime(2021, 11, 26, 7, 40),        # the title= attribute beats "2小时前"
        "区市场监管局检查冬季食品安全": dt.datetime(2021, 11, 25, 21, 26),
        "区交通局部署道路除雪": d("2021-11-23")}
    # Without the moment of reading, a relative time is no date at all.
    assert extract(html, "http://x/", sel("ul.flash > li", date="span.ago"), None).undated == [
        "区市场监管局检查冬季食品安全", "区交通局部署道路除雪"]


def test_group_headings_links_link_text_and_a_columns_own_pattern():
    html = page("grouped_links.html")
    now = at("2021-11-26T09:00")
    assert dates(html, sel("div.day-list li"), now) == {
        "区长主持召开常务会议": d("2021-11-22"), "副区长调研安全生产": d("2021-11-22"), "区委中心组学习": d("2021-11-19")}
    links = dates(html, sel("div.links p", date_pattern=r"(?P<y>\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"), now)
    assert links == {"按日期分目录的通知": d("2021-11-20"), "年月合写的目录": d("2021-11-15"),
                     "关于2021年11月10日停电的通知": d("2021-11-10"), "区财政局的公告": d("2021-11-08")}


@pytest.mark.parametrize("url, expected", [
    ("http://x/zwgk/202111/t20211120_3612.html", "2021-11-20"),
    ("http://x/art/2021/11/20/art_4711_1.html", "2021-11-20"),
    ("http://x/xxgk/202111/20/c_1.html", "2021-11-20"),
    ("http://x/news/20211120/1.html", "2021-11-20"),
    ("http://x/news/1120.html", None),
])
def test_dates_in_links(url, expected):
    assert link_date(url) == (d(expected) if expected else None)


def test_no_false_dates_in_titles_or_times():
    now = at("2021-11-26")
    assert find_date("2021年1-2月财政收支情况", now) is None
    assert find_date("09:30", now) is None
    assert find_date("第3-5名", now) is None and find_date("1-2月", now) is None
    assert find_date("11-20", now) == d("2021-11-20") and find_date("11月20日 14:00", now) == dt.datetime(2021, 11, 20, 14, 0)
    assert find_date("12-31", now) == d("2020-12-31")               # never a date after the moment of reading


def test_a_year_less_list_read_by_a_check(httpserver, write_config):
    url = serve(httpserver, "/a/gzdt/index.html", "pages/dates/dede_yearless.html")
    cfg = load(write_config(column_config(url, item="ul.e2 > li", date="span.date")), env={})
    store = Store(cfg.settings.database)
    result = run_check(cfg, store, at("2022-01-04T09:00"), notify=False)
    assert result.fetches["c1"].ok
    assert sorted(r["day"] for r in store.query("SELECT day FROM posts")) == ["2021-08-01", "2021-11-20", "2021-11-25", "2021-12-30"]


def test_probe_tries_selectors_from_the_command_line(httpserver, write_config):
    url = serve(httpserver, "/a/gzdt/index.html", "pages/dates/dede_yearless.html")
    path = write_config(column_config(url))           # the defaults: item = "li", no date selector
    r = run_cli("--config", str(path), "probe", "c1", "--item", "ul.e2 > li", "--date", "span.date")
    assert r.returncode == 0, r.stderr
    assert "渭滨区召开经济运行分析会" in r.stdout and "区长信箱回复" not in r.stdout
    assert 'item = "ul.e2 > li"' in r.stdout and 'date = "span.date"' in r.stdout   # ready to paste
    r = run_cli("--config", str(path), "probe", url, "--item", "div.nothing li")
    assert r.returncode == 1 and "没有任何元素匹配" in r.stdout
    r = run_cli("--config", str(path), "probe", url, "--item", "ul[[")
    assert r.returncode == 2 and "--item" in r.stderr and "CSS" in r.stderr
    r = run_cli("--config", str(path), "probe", url, "--item", "ul.e2 > li", "--date-pattern", r"(\d+)-(\d+)")
    assert r.returncode == 2 and "命名分组" in r.stderr
