import datetime as dt
import threading
import time

import pytest
from werkzeug import Response

from monitor.collect.dates import find_date
from monitor.collect.feeds import parse_feed
from monitor.collect.http import decode_html
from monitor.config import load
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import TZ, at, d, run_cli
from .site import FIXTURES, account_config, column_config, serve

NOW = at("2022-01-04T09:00")


def check(write_config, text, now=NOW):
    cfg = load(write_config(text), env={})
    store = Store(cfg.settings.database)
    result = run_check(cfg, store, now, notify=False)
    return cfg, store, result


def titles(store, source="c1"):
    return {r["title"]: r["day"] for r in store.query("SELECT title, day FROM posts WHERE source_id = ?", (source,))}


# ---------------------------------------------------------------- dates and decoding

@pytest.mark.parametrize("text, expected", [
    ("2021-10-12", dt.date(2021, 10, 12)),
    ("[2021-10-12]", dt.date(2021, 10, 12)),
    ("2021/10/12", dt.date(2021, 10, 12)),
    ("2021.10.12", dt.date(2021, 10, 12)),
    ("发布时间：2021年10月12日", dt.date(2021, 10, 12)),
    ("2021-10-12 09:30", dt.datetime(2021, 10, 12, 9, 30)),
    ("2021-1-5", dt.date(2021, 1, 5)),
    ("2021-13-45 2021-10-12", dt.date(2021, 10, 12)),
    ("置顶", None),
    ("第20211012号", None),
])
def test_find_date_in_every_format(text, expected):
    assert find_date(text) == expected


def test_gb2312_bytes_without_http_charset_decode_from_meta():
    raw = (FIXTURES / "pages/gb2312_table.htm").read_bytes()
    text, encoding = decode_html(raw, "text/html")
    assert encoding == "gb18030" and "渭滨区行政规范性文件清理结果的公告" in text


def test_a_servlet_default_latin1_header_yields_to_the_meta_charset():
    raw = (FIXTURES / "pages/gb2312_table.htm").read_bytes()
    text, encoding = decode_html(raw, "text/html; charset=ISO-8859-1")
    assert encoding == "gb18030" and "行政执法公示办法" in text


def test_detection_when_no_charset_is_declared_anywhere():
    raw = "<html><body><ul><li>渭滨区人民政府关于开展二〇二一年度政务公开工作考核的通知</li></ul></body></html>".encode("gbk")
    text, _ = decode_html(raw, "text/html")
    assert "政务公开工作考核" in text


# ---------------------------------------------------------------- list pages, served on 127.0.0.1

def test_plain_list_with_next_link(httpserver, write_config):
    url = serve(httpserver, "/czj/czzj/index.html", "pages/plain_1.html")
    serve(httpserver, "/czj/czzj/index_2.html", "pages/plain_2.html")
    cfg, store, result = check(write_config, column_config(url, item="ul.list > li", date="span", next="a.next"))
    f = result.fetches["c1"]
    assert f.ok and f.pages == 2 and f.undated == 1
    got = titles(store)
    assert got == {
        "关于下达2021年第三批中央财政直达资金的通知（全文）": "2021-12-03",  # the full title= wins over the clipped text
        "直达资金分配情况公示": "2021-11-18",
        "直达资金监控系统 使用说明": "2021-10-26",
        "三季度支出进度": "2021-09-28",
        "绩效自评结果": "2021-08-16",
    }
    urls = {r["url"] for r in store.query("SELECT url FROM posts")}
    assert httpserver.url_for("/czj/czzj/202112/t20211203_001.html") in urls
    assert httpserver.url_for("/czj/czzj/t20211118_002.html") in urls
    fetch = store.last_fetch("c1")
    assert (fetch["ok"], fetch["pages"], fetch["undated"], fetch["new"]) == (1, 2, 1, 5)


def test_gb2312_table_served_without_charset(httpserver, write_config):
    url = serve(httpserver, "/sfj/gfxwj/index.htm", "pages/gb2312_table.htm", content_type="text/html")
    _, store, result = check(write_config, column_config(url, item="table.list tr", date="td.date"))
    assert result.fetches["c1"].encoding == "gb18030"
    assert titles(store) == {"渭滨区行政规范性文件清理结果的公告": "2021-12-08",
                             "关于印发《渭滨区行政执法公示办法》的通知": "2021-11-15"}


def test_jcms_datastore_records_read_like_page_items(httpserver, write_config):
    url = serve(httpserver, "/col/col4711/index.html", "pages/jcms.html")
    _, store, _ = check(write_config, column_config(url, item="div[id='4711'] li", date="span", frequency="1条/2周"))
    assert titles(store) == {"渭滨区召开冬季校园安全工作会": "2021-12-28", "区教体局开展双减督查": "2021-12-15",
                             "渭滨区中小学生艺术展演举行": "2021-12-01"}
    assert httpserver.url_for("/art/2021/12/28/art_4711_1003.html") in {r["url"] for r in store.query("SELECT url FROM posts")}


def test_trs_create_page_html_is_followed_without_config(httpserver, write_config):
    url = serve(httpserver, "/fgj/zbtb/index.html", "pages/trs_index.html")
    serve(httpserver, "/fgj/zbtb/index_1.html", "pages/trs_index_1.html")
    serve(httpserver, "/fgj/zbtb/index_2.html", "pages/trs_index_2.html")
    _, store, result = check(write_config, column_config(url, item=".xxgk_list li", date="em"))
    assert result.fetches["c1"].pages == 3
    assert sorted(titles(store).values()) == ["2021-07-05", "2021-08-20", "2021-09-05", "2021-10-20", "2021-11-05", "2021-12-20"]


def test_backfill_stops_at_backfill_since(httpserver, write_config):
    url = serve(httpserver, "/fgj/zbtb/index.html", "pages/trs_index.html")
    serve(httpserver, "/fgj/zbtb/index_1.html", "pages/trs_index_1.html")
    serve(httpserver, "/fgj/zbtb/index_2.html", "pages/trs_index_2.html")
    _, store, result = check(write_config, column_config(url, since="2021-10-01", item=".xxgk_list li", date="em"))
    assert result.fetches["c1"].pages == 2
    assert not any(req.path.endswith("index_2.html") for req, _ in httpserver.log)
    assert sorted(titles(store).values()) == ["2021-10-20", "2021-11-05", "2021-12-20"]


def test_pages_template(httpserver, write_config):
    url = serve(httpserver, "/list/index.html", "pages/trs_index.html")
    serve(httpserver, "/list/list_1.html", "pages/trs_index_1.html")
    text = column_config(url, item=".xxgk_list li", date="em", pages="list_{n}.html", max_pages=2)
    text = text.replace('max_pages = "2"', "max_pages = 2")
    _, _, result = check(write_config, text)
    assert result.fetches["c1"].pages == 2  # max_pages stops before index_2 / list_2


def test_chinese_dates_with_times(httpserver, write_config):
    url = serve(httpserver, "/mzj/index.html", "pages/cn_dates.html")
    _, store, _ = check(write_config, column_config(url, item=".news .item", date="p.time"))
    published = {r["title"]: r["published"] for r in store.query("SELECT title, published FROM posts")}
    assert published == {"12月城乡低保资金发放情况": "2021-12-22T10:15:00", "临时救助审批结果公示": "2021-10-12"}


def test_as_of_bounds_what_is_published(httpserver, write_config):
    url = serve(httpserver, "/mzj/index.html", "pages/cn_dates.html")
    _, store, _ = check(write_config, column_config(url, item=".news .item", date="p.time"), now=at("2021-12-01"))
    assert titles(store) == {"临时救助审批结果公示": "2021-10-12"}


def test_a_site_moving_to_new_links_does_not_double_its_posts(httpserver, write_config):
    served = {"prefix": "http://www.example.gov.cn/czj/"}

    def handler(request):
        items = "".join(f'<li><a href="{served["prefix"]}{n}.html">通知{n}</a><span>2021-1{n}-05</span></li>' for n in (0, 1, 2))
        return Response(f"<ul class='list'>{items}</ul>", headers={"Content-Type": "text/html; charset=utf-8"})

    httpserver.expect_request("/c.html").respond_with_handler(handler)
    cfg = load(write_config(column_config(httpserver.url_for("/c.html"), item="ul.list > li", date="span")), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, NOW, notify=False)
    served["prefix"] = "https://www.example.gov.cn/czj/"         # the site moved to https
    assert run_check(cfg, store, NOW + dt.timedelta(hours=6), notify=False).new_posts == 0
    served["prefix"] = "https://www.example.gov.cn/zwgk/czj/"    # and reorganised its paths
    assert run_check(cfg, store, NOW + dt.timedelta(hours=12), notify=False).new_posts == 0
    assert len(store.query("SELECT * FROM posts")) == 3


def test_second_check_adds_nothing_and_uses_conditional_get(httpserver, write_config):
    body = (FIXTURES / "pages/cn_dates.html").read_bytes()

    def handler(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(body, headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'})

    httpserver.expect_request("/mzj/index.html").respond_with_handler(handler)
    path = write_config(column_config(httpserver.url_for("/mzj/index.html"), item=".news .item", date="p.time"))
    cfg = load(path, env={})
    store = Store(cfg.settings.database)
    first = run_check(cfg, store, NOW, notify=False)
    second = run_check(cfg, store, NOW + dt.timedelta(hours=6), notify=False)
    assert (first.new_posts, second.new_posts) == (2, 0)
    assert second.fetches["c1"].ok and second.fetches["c1"].not_modified
    assert len(store.query("SELECT * FROM posts")) == 2
    assert second.statuses[0].state != "failing"
    # New selectors must read the unchanged page again rather than trust the 304.
    cfg2 = load(write_config(column_config(httpserver.url_for("/mzj/index.html"), item=".news .item", date="p.time",
                                           title=".item > a")), env={})
    third = run_check(cfg2, store, NOW + dt.timedelta(hours=12), notify=False)
    assert not third.fetches["c1"].not_modified and third.fetches["c1"].items == 2


# ---------------------------------------------------------------- failing, never silent

def test_redesigned_page_is_failing_and_keeps_earlier_posts(httpserver, write_config):
    served = {"file": "pages/plain_1.html"}
    httpserver.expect_request("/c.html").respond_with_handler(
        lambda r: Response((FIXTURES / served["file"]).read_bytes(), headers={"Content-Type": "text/html; charset=utf-8"}))
    path = write_config(column_config(httpserver.url_for("/c.html"), item="ul.list > li", date="span"))
    cfg = load(path, env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, NOW, notify=False)
    served["file"] = "pages/redesigned.html"
    result = run_check(cfg, store, NOW + dt.timedelta(days=1), notify=False)
    status = result.statuses[0]
    assert status.state == "failing"
    assert "ul.list > li" in status.error and "改版" in status.error
    assert len(store.query("SELECT * FROM posts")) == 3


def test_http_404_is_failing(httpserver, write_config):
    httpserver.expect_request("/gone.html").respond_with_data("not found", status=404)
    _, _, result = check(write_config, column_config(httpserver.url_for("/gone.html")))
    assert result.statuses[0].state == "failing" and result.statuses[0].error == "HTTP 404"


def test_http_500_that_recovers_on_retry(httpserver, write_config):
    calls = []
    body = (FIXTURES / "pages/cn_dates.html").read_bytes()

    def handler(request):
        calls.append(request.path)
        if len(calls) == 1:
            return Response("busy", status=500)
        return Response(body, headers={"Content-Type": "text/html; charset=utf-8"})

    httpserver.expect_request("/flaky.html").respond_with_handler(handler)
    _, store, result = check(write_config, column_config(httpserver.url_for("/flaky.html"), item=".news .item", date="p.time"))
    assert len(calls) == 2
    assert result.fetches["c1"].ok and len(store.query("SELECT * FROM posts")) == 2


def test_http_500_that_persists_is_failing(httpserver, write_config):
    httpserver.expect_request("/down.html").respond_with_data("busy", status=503)
    _, _, result = check(write_config, column_config(httpserver.url_for("/down.html")))
    assert result.statuses[0].state == "failing" and "HTTP 503" in result.statuses[0].error
    assert len(httpserver.log) == 3  # one try and two retries


def test_slow_server_hits_the_timeout(httpserver, write_config):
    release = threading.Event()

    def slow(request):
        release.wait(3)
        return Response("<ul></ul>", headers={"Content-Type": "text/html"})

    httpserver.expect_request("/slow.html").respond_with_handler(slow)
    text = column_config(httpserver.url_for("/slow.html")).replace("timeout = 2", "timeout = 0.3").replace("retries = 2", "retries = 0")
    started = time.monotonic()
    _, _, result = check(write_config, text)
    release.set()
    assert result.statuses[0].state == "failing" and "超时" in result.statuses[0].error
    assert time.monotonic() - started < 2.5


def test_oversized_page_is_refused(httpserver, write_config):
    httpserver.expect_request("/big.html").respond_with_data("<li>x</li>" * 300, content_type="text/html")
    text = column_config(httpserver.url_for("/big.html"), http="max_bytes = 1024")
    _, _, result = check(write_config, text)
    assert result.statuses[0].state == "failing" and "1024" in result.statuses[0].error


def test_requests_to_one_host_are_spaced_by_delay_per_host(httpserver, write_config):
    starts = []
    body = (FIXTURES / "pages/cn_dates.html").read_bytes()

    def handler(request):
        starts.append(time.monotonic())
        return Response(body, headers={"Content-Type": "text/html; charset=utf-8"})

    httpserver.expect_request("/a.html").respond_with_handler(handler)
    httpserver.expect_request("/b.html").respond_with_handler(handler)
    extra = f"""
[[columns]]
id = "c2"
name = "第二个栏目"
unit = "财政局"
frequency = "1条/月"
url = "{httpserver.url_for('/b.html')}"
item = ".news .item"
"""
    text = column_config(httpserver.url_for("/a.html"), item=".news .item", extra=extra).replace("delay_per_host = 0", "delay_per_host = 0.5")
    check(write_config, text)
    # Seen by the server, whose threads a busy machine may schedule late: a tenth of a second of slack.
    assert len(starts) == 2 and starts[1] - starts[0] >= 0.4


# ---------------------------------------------------------------- feeds

def test_rsshub_feed_reposts_gmt_and_duplicates():
    result = parse_feed((FIXTURES / "feeds/rsshub.xml").read_bytes(), TZ, ("转发", "转载", "【转载】", "[转载]", "转自"))
    by_key = {p.key.split("|")[0]: p for p in result.posts}
    assert len(result.posts) == 5  # the duplicated entry counts once
    assert {k for k, p in by_key.items() if p.original} == {"wbxj-5", "wbxj-1"}
    assert by_key["wbxj-1"].day == d("2021-10-01")            # 16:30 GMT on 09-30 is October in Beijing
    assert by_key["wbxj-5"].published.isoformat() == "2021-12-13T17:45:00+08:00"
    assert by_key["wbxj-3"].published.isoformat() == "2021-12-08T10:00:00+08:00"


def test_atom_feed_with_custom_markers(httpserver, write_config):
    url = serve(httpserver, "/wbsf.atom", "feeds/wewe.atom", content_type="application/atom+xml")
    text = account_config(url)
    _, store, result = check(write_config, text, now=at("2021-12-20"))
    rows = {r["title"]: (r["day"], r["original"]) for r in store.query("SELECT * FROM posts")}
    assert rows == {"【转载】全国普法办发布年度普法清单": ("2021-12-16", 0), "普法宣传进社区": ("2021-12-14", 1),
                    "人民调解化纠纷": ("2021-12-08", 1)}
    status = result.statuses[0]
    assert status.last_post["title"] == "普法宣传进社区"       # only originals count
    assert status.deadline == d("2021-12-21")
    # With repost_markers replaced, 【转载】 no longer marks a repost.
    _, store2, _ = check(write_config, text.replace('feed = "', 'repost_markers = ["转发"]\nfeed = "').replace("m.db", "m2.db"), now=at("2021-12-20"))
    assert all(r["original"] for r in store2.query("SELECT * FROM posts"))


def test_feed_that_is_not_a_feed_is_failing(httpserver, write_config):
    httpserver.expect_request("/feed").respond_with_data("<html>维护中</html>", content_type="text/html")
    _, _, result = check(write_config, account_config(httpserver.url_for("/feed")))
    assert result.statuses[0].state == "failing"


# ---------------------------------------------------------------- probe

def test_probe_shows_items_dates_links_and_next_page(httpserver, write_config):
    url = serve(httpserver, "/czj/czzj/index.html", "pages/plain_1.html")
    path = write_config(column_config(url, item="ul.list > li", date="span", next="a.next"))
    r = run_cli("--config", str(path), "probe", "c1")
    assert r.returncode == 0, r.stderr
    assert "2021-12-03" in r.stdout and "关于下达2021年第三批中央财政直达资金的通知（全文）" in r.stdout
    assert httpserver.url_for("/czj/czzj/index_2.html") in r.stdout
    assert "跳过 1 条" in r.stdout and "没有日期的一条" in r.stdout
    assert "utf-8" in r.stdout


def test_probe_a_bare_url_with_column_defaults(httpserver, write_config):
    url = serve(httpserver, "/sfj/index.htm", "pages/gb2312_table.htm", content_type="text/html")
    path = write_config(column_config(url, item="table.list tr", date="td.date") + '\n[column_defaults]\nitem = "table.list tr"\ndate = "td.date"\n')
    r = run_cli("--config", str(path), "probe", url)
    assert r.returncode == 0, r.stderr
    assert "gb18030" in r.stdout and "渭滨区行政规范性文件清理结果的公告" in r.stdout


def test_a_check_that_breaks_while_alerting_records_nothing(httpserver, write_config, monkeypatch):
    import monitor.alerts.notify_pass as notify_pass

    url = serve(httpserver, "/mzj/index.html", "pages/cn_dates.html")
    cfg = load(write_config(column_config(url, item=".news .item", date="p.time")), env={})
    store = Store(cfg.settings.database)

    def broken(*args, **kwargs):
        raise RuntimeError("alerting failed")

    monkeypatch.setattr(notify_pass, "queue_alerts", broken)
    with pytest.raises(RuntimeError):
        run_check(cfg, store, NOW)
    assert store.query("SELECT * FROM posts") == [] and store.query("SELECT * FROM fetches") == []


def test_pages_go_through_the_configured_proxy(write_config):
    """[http] proxy: a loopback proxy answers for a site name that is never resolved."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    asked = []
    body = (FIXTURES / "pages/cn_dates.html").read_bytes()

    class Proxy(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        text = column_config("http://www.weibin.gov.cn/mzj/index.html", item=".news .item", date="p.time",
                             http=f'proxy = "http://127.0.0.1:{server.server_address[1]}"')
        _, store, result = check(write_config, text)
    finally:
        server.shutdown()
    # The list, then the new posts' own pages (read for content problems): every request through the proxy.
    assert asked[0] == "http://www.weibin.gov.cn/mzj/index.html" and len(asked) > 1
    assert all(a.startswith("http://www.weibin.gov.cn/") for a in asked)
    assert result.fetches["c1"].ok and len(store.query("SELECT * FROM posts")) == 2


def test_the_link_shortcut_agrees_with_urljoin():
    from urllib.parse import urljoin

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from monitor.collect.pages import absolute

    bases = st.sampled_from(["http://a.gov.cn/x/y/index.html", "https://a.gov.cn:8080/x/", "http://a.gov.cn",
                             "http://a.gov.cn?q=1", "http://a.gov.cn/x?y=/z", "http://a.gov.cn#f"])
    hrefs = st.one_of(st.text(alphabet="/.?#:ab中 %\\", max_size=12),
                      st.builds(lambda s: "/" + s, st.text(alphabet="/.?#ab中", max_size=10)),
                      st.builds(lambda s: "http://b.cn/" + s, st.text(alphabet="/.?#ab", max_size=10)))

    @settings(max_examples=300, deadline=None)
    @given(bases, hrefs)
    def same(base, href):
        assert absolute(base, href) == urljoin(base, href)

    same()
