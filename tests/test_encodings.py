"""Encodings as district sites get them wrong: GBK and Big5 with no charset anywhere, a <meta> that
lies, a stray byte in UTF-8, a BOM. Pages are built from real-looking text, served without a charset."""

import pytest

from monitor.collect.http import decode_html
from monitor.config import load
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import at
from .site import column_config

SIMPLIFIED = ["渭滨区人民政府关于印发2021年度政务公开工作要点的通知", "区财政局关于下达中央财政直达资金的通知",
              "渭滨区疫情防控指挥部关于进一步加强冬季疫情防控工作的通告", "关于公布区级行政许可事项清单的公告"]
TRADITIONAL = ["臺北市政府關於推動數位轉型的說明", "新聞發佈：市長視察防災準備工作", "衛生局提醒民眾注意流感疫苗接種",
               "環境保護局公告空氣品質監測結果"]


def page(titles, meta: str = "", repeat: int = 1) -> str:
    items = "".join(f'<li><a href="/n/{i}.html">{t}</a><span>2021-11-{10 + i % 15:02d}</span></li>'
                    for i, t in enumerate(titles * repeat))
    return f"<html><head>{meta}<title>List</title></head><body><ul class='list'>{items}</ul></body></html>"


@pytest.mark.parametrize("name, raw, expected, titles", [
    ("GBK, no charset, ASCII title (3.9 KB)", page(SIMPLIFIED, repeat=9).encode("gbk"), "gb18030", SIMPLIFIED),
    ("Big5, no charset (35 KB)", page(TRADITIONAL, repeat=80).encode("big5"), "big5", TRADITIONAL),
    ("GBK behind a <meta> that says UTF-8", page(SIMPLIFIED, '<meta charset="utf-8">').encode("gbk"), "gb18030", SIMPLIFIED),
    ("UTF-8 with one stray byte", page(SIMPLIFIED, repeat=5).encode("utf-8").replace("工作要点".encode(), b"\xff" + "作要点".encode(), 1),
     "utf-8", SIMPLIFIED[1:]),
    ("a UTF-8 BOM beats a <meta> GBK", b"\xef\xbb\xbf" + page(SIMPLIFIED, '<meta charset="gbk">').encode("utf-8"), "utf-8-sig", SIMPLIFIED),
])
def test_each_encoding_reads_as_written(name, raw, expected, titles):
    text, encoding = decode_html(raw, "text/html")
    assert encoding == expected, name
    assert all(t in text for t in titles), name


def test_a_gbk_page_without_charset_served_on_127_0_0_1(httpserver, write_config):
    raw = page(SIMPLIFIED, repeat=9).encode("gbk")
    assert len(raw) > 3500 and b"charset" not in raw
    httpserver.expect_request("/gkml/index.htm").respond_with_data(raw, content_type="text/html")
    cfg = load(write_config(column_config(httpserver.url_for("/gkml/index.htm"), item="ul.list > li", date="span")), env={})
    store = Store(cfg.settings.database)
    result = run_check(cfg, store, at("2021-11-26"), notify=False)
    assert result.fetches["c1"].encoding == "gb18030"
    assert {r["title"] for r in store.query("SELECT title FROM posts")} == set(SIMPLIFIED)
