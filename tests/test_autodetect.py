"""Pages without selectors (issue 10): the list is found by itself — TRS tables, Hanweb JCMS
datastores, DedeCMS-like lists with category tags, summaries, sidebars and 下一页 links."""

import pytest

from monitor.collect.pages import extract
from monitor.config import Selectors, load
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import at, run_cli
from .site import FIXTURES, column_config, serve

AUTO = Selectors(None, "a", None, "a", None, None, 10)
NOW = at("2021-11-26T09:00")


def read(name):
    return (FIXTURES / "pages" / name).read_text(encoding="utf-8")


def test_a_trs_table_without_selectors():
    page = extract(read("auto/trs_table.htm"), "http://www.weibin.gov.cn/zwgk/tzgg/index.htm", AUTO, NOW)
    assert [(i.title, i.day.isoformat()) for i in page.items] == [
        ("关于2021年第三季度政务公开工作考核结果的通报", "2021-11-20"),      # the full title= text
        ("渭滨区关于开展冬季安全生产大检查的通知", "2021-11-05"),
        ("关于公布区级权责清单的公告", "2021-10-21")]
    assert page.items[0].url == "http://www.weibin.gov.cn/zwgk/tzgg/202111/t20211120_2231.html"
    assert page.detected.item == "table.list-table > tr"       # the header row and the footer are left out
    assert page.next_url == "http://www.weibin.gov.cn/zwgk/tzgg/index_1.htm" and page.pager == "trs"


def test_category_tags_summaries_and_a_hot_sidebar_are_not_the_list():
    page = extract(read("auto/dede_category.html"), "http://www.weibin.gov.cn/gzdt/list_1.html", AUTO, NOW)
    assert [(i.title, i.day.isoformat()) for i in page.items] == [
        ("渭滨区开展冬季供暖安全检查", "2021-11-22"),    # not [社会]; not 2022-03-15 from the summary
        ("区商务局召开外贸企业座谈会", "2021-11-18"),    # not 2021-10-01 from the summary
        ("渭滨区举办就业援助月招聘会", "2021-11-09")]
    assert all(i.url.startswith("http://www.weibin.gov.cn/a/") for i in page.items)
    assert page.detected.item == "ul.newslist > li"
    assert page.next_url == "http://www.weibin.gov.cn/gzdt/list_2.html" and page.pager == "text"


def test_a_jcms_datastore_without_selectors():
    page = extract(read("jcms.html"), "http://www.weibin.gov.cn/col/col4711/index.html", AUTO, NOW)
    assert {i.title: i.day.isoformat() for i in page.items} == {
        "渭滨区召开冬季校园安全工作会": "2021-12-28", "区教体局开展双减督查": "2021-12-15",
        "渭滨区中小学生艺术展演举行": "2021-12-01"}
    assert page.style == "jcms" and page.detected.item == "div.default_pgContainer > li"


def test_a_check_without_selectors_follows_the_pages(httpserver, write_config):
    url = serve(httpserver, "/gzdt/list_1.html", "pages/auto/dede_category.html")
    serve(httpserver, "/gzdt/list_2.html", "pages/auto/dede_category_2.html")
    cfg = load(write_config(column_config(url, since="2021-10-01")), env={})
    store = Store(cfg.settings.database)
    result = run_check(cfg, store, NOW, notify=False)
    assert result.fetches["c1"].ok and result.fetches["c1"].pages == 2
    assert sorted(r["day"] for r in store.query("SELECT day FROM posts")) == [
        "2021-10-12", "2021-10-28", "2021-11-09", "2021-11-18", "2021-11-22"]


def test_probe_shows_what_it_chose_as_selectors(httpserver, write_config):
    url = serve(httpserver, "/zwgk/tzgg/index.htm", "pages/auto/trs_table.htm")
    r = run_cli("--config", str(write_config(column_config(url))), "probe", "c1")
    assert r.returncode == 0, r.stderr
    assert "已自动识别" in r.stdout and "item = " in r.stdout and "关于公布区级权责清单的公告" in r.stdout


def test_a_json_list_endpoint(httpserver, write_config):
    import json

    body = {"code": 0, "data": {"total": 3, "list": [
        {"info": {"title": "渭滨区人民政府关于印发2022年重点工作的通知"}, "pubTime": 1640851200000, "href": "/art/2021/12/30/art_1.html"},
        {"info": {"title": "区财政局预算公开"}, "pubTime": "2021-12-15 10:30", "href": "/art/2021/12/15/art_2.html"},
        {"info": {"title": "无日期的一条"}, "pubTime": None, "href": "/art/3.html"}]}}
    httpserver.expect_request("/api/list").respond_with_data(json.dumps(body, ensure_ascii=False),
                                                            content_type="application/json")
    extra = 'json_items = "data.list"\njson_title = "info.title"\njson_date = "pubTime"\njson_link = "href"\n'
    cfg = load(write_config(column_config(httpserver.url_for("/api/list"), extra=extra)), env={})
    store = Store(cfg.settings.database)
    result = run_check(cfg, store, at("2022-01-04T09:00"), notify=False)
    assert result.fetches["c1"].ok and result.fetches["c1"].undated == 1
    rows = {r["title"]: (r["day"], r["url"]) for r in store.query("SELECT * FROM posts")}
    assert rows == {"渭滨区人民政府关于印发2022年重点工作的通知": ("2021-12-30", httpserver.url_for("/art/2021/12/30/art_1.html")),
                    "区财政局预算公开": ("2021-12-15", httpserver.url_for("/art/2021/12/15/art_2.html"))}
    bad = column_config(httpserver.url_for("/api/list"), extra='json_title = "info.title"\n')
    r = run_cli("--config", str(write_config(bad, "bad.toml")), "validate")
    assert r.returncode == 2 and "json_items" in r.stderr


def test_probe_reads_a_json_column(httpserver, write_config):
    httpserver.expect_request("/api/list").respond_with_data(
        '{"rows": [{"t": "区教体局招生公告", "d": "2021-12-20", "u": "/a.html"}]}', content_type="application/json")
    extra = 'json_items = "rows"\njson_title = "t"\njson_date = "d"\njson_link = "u"\n'
    r = run_cli("--config", str(write_config(column_config(httpserver.url_for("/api/list"), extra=extra))), "probe", "c1")
    assert r.returncode == 0 and "区教体局招生公告" in r.stdout and "2021-12-20" in r.stdout




@pytest.mark.parametrize("name, now, expected", [
    ("dates/dede_yearless.html", "2022-01-04T09:00",
     {"[置顶] 2022年元旦春节期间安全提示": "2021-12-30", "渭滨区召开经济运行分析会": "2021-11-20",
      "区政协开展专题调研": "2021-08-01", "印刷日期与链接不一致的一条": "2021-11-25"}),
    ("cn_dates.html", "2022-01-04T09:00", {"12月城乡低保资金发放情况": "2021-12-22", "临时救助审批结果公示": "2021-10-12"}),
    ("plain_1.html", "2022-01-04T09:00",
     {"关于下达2021年第三批中央财政直达资金的通知（全文）": "2021-12-03", "直达资金分配情况公示": "2021-11-18",
      "直达资金监控系统 使用说明": "2021-10-26"}),
])
def test_the_configured_fixtures_read_the_same_without_selectors(name, now, expected):
    page = extract(read(name), "http://www.weibin.gov.cn/list/index.html", AUTO, at(now))
    assert {i.title: i.day.isoformat() for i in page.items} == expected
