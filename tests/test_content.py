"""读网盯网 (issue 13): new posts' pages read from 127.0.0.1 for personal data, error words and dead
links; the full number is in no output, the masked excerpt in every one."""

import datetime as dt
import json
import sqlite3

import pytest
from openpyxl import load_workbook
from werkzeug import Response

from monitor.content import personal, wording
from monitor.content.inspect import inspect

from .conftest import at, run_cli
from .peers import WeComStub
from .site import FIXTURES

TODAY = dt.date(2021, 11, 19)
FULL_NUMBERS = ["610302199001011232", "11010519491231002X", "13891712345", "13891712346", "6228480402564890018",
                "6228 4804 0256 4890 018"]


# ---------------------------------------------------------------- the pure checks

def test_id_numbers_need_region_birth_date_and_check_digit():
    assert personal.valid_id("11010519491231002X", TODAY)
    assert personal.valid_id("610302199001011232", TODAY)
    assert not personal.valid_id("610302199001011234", TODAY)        # check digit
    assert not personal.valid_id("610302199013011234", TODAY)        # month 13
    assert not personal.valid_id("990302199001011232", TODAY)        # no province 99
    assert not personal.valid_id("610302203001011230", TODAY)        # born in the future


def test_numbers_in_document_numbers_dates_and_amounts_are_no_findings():
    text = ("渭区政发〔2021〕12号，自2021年11月20日起施行。专项资金13500000000元。文号索引：20211120123456789012345。"
            "项目编码4532015112830366。编号 610302199013011234。")
    assert personal.find(text, today=TODAY) == []


def test_cards_need_luhn_and_a_word_near_them():
    found = personal.find("户名：赵某某，账号：6228 4804 0256 4890 018。", today=TODAY)
    assert [(m.label, m.masked) for m in found] == [("银行卡号", "6228 **** **** ***0 018")]
    assert personal.find("账号：6228 4804 0256 4890 017。", today=TODAY) == []          # fails Luhn
    assert personal.find("订单 6228480402564890018 已完成", today=TODAY) == []          # no 卡号/账号 near it


def test_listed_hotlines_are_allowed_and_mobiles_are_masked():
    text = "请联系王科长 13891712345，或拨打热线 13909170000。"
    found = personal.find(text, frozenset({"13909170000"}), TODAY)
    assert [(m.label, m.masked) for m in found] == [("手机号码", "138****2345")]
    safe = personal.masked(text, found)
    assert "13891712345" not in safe and "138****2345" in personal.excerpt(safe, found[0].start, found[0].end)


def test_error_words_are_found_but_not_inside_their_correct_form():
    words = wording.merged((wording.Wording("区长信箱", "区长信箱（书记信箱）", "本单位规定"),))
    problems = inspect("", "区人民代表大会常务委员会召开会议，各单位要再接再励。区长信箱（书记信箱）开通。", words, frozenset(), TODAY)
    assert [(p.label, p.fix) for p in problems] == [("错词", "“再接再励”应为“再接再厉”")]


# ---------------------------------------------------------------- a site read end to end

@pytest.fixture
def site(httpserver):
    pages = {f"/art/{n}.html": (FIXTURES / f"pages/articles/{n}.html").read_bytes() for n in range(1, 6)}
    pages["/tzgg/index.html"] = (FIXTURES / "pages/content_list.html").read_bytes()

    def handler(request):
        if request.path not in pages:
            return Response("<h1>404 Not Found</h1>", status=404, headers={"Content-Type": "text/html"})
        # GBK article pages name no charset, as many old CMS templates do.
        charset = "" if request.path == "/art/1.html" else "; charset=utf-8"
        return Response(pages[request.path], headers={"Content-Type": "text/html" + charset})

    for path in [*pages, "/files/huiyi-jiyao.pdf"]:
        httpserver.expect_request(path).respond_with_handler(handler)
    return httpserver, pages


def content_config(httpserver, stub) -> str:
    return f"""
[monitor]
database = "state/m.db"
backfill_since = "2021-10-01"

[http]
timeout = 2
delay_per_host = 0
retries = 0

[content]
allow_numbers = ["13909170000"]

[[units]]
name = "民政局"
wecom = "{stub.webhook('mzj')}"

[[columns]]
id = "tzgg"
name = "通知公告"
unit = "民政局"
frequency = "1条/月"
url = "{httpserver.url_for('/tzgg/index.html')}"
item = "ul.list li"
date = "span.date"

[[notify]]
type = "wecom"
webhook = "{stub.webhook('office')}"
"""


def test_findings_are_told_masked_and_the_full_number_is_nowhere(site, write_config, tmp_path):
    httpserver, pages = site
    stub = WeComStub(httpserver)
    path = write_config(content_config(httpserver, stub))
    first = run_cli("--config", str(path), "-v", "check", "--as-of", "2021-11-19T09:00", "--exit-zero")
    assert first.returncode == 0, first.stderr
    # WeCom markdown shows * as ＊ (site text never becomes markup).
    unit_messages = "\n".join(stub.delivered("mzj")).replace("＊", "*")
    office_messages = "\n".join(stub.delivered("office")).replace("＊", "*")
    for masked in ("610302********1232", "110105********002X", "138****2345", "6228 **** **** ***0 018", "138****2346"):
        assert masked in unit_messages and masked in office_messages, first.stderr
    assert "“再接再励”应为“再接再厉”" in unit_messages and "“布署”应为“部署”" in unit_messages
    assert "13909170000" not in unit_messages          # the listed hotline is no finding
    assert "财政资金管理办法" not in unit_messages      # document numbers, dates, amounts: nothing
    assert "链接" not in unit_messages                  # one failed check is not yet a dead link

    # The dead attachment, seen dead again a day later, is a finding; the fixed error word is resolved.
    pages["/art/2.html"] = pages["/art/2.html"].replace("再接再励".encode(), "再接再厉".encode())
    told_before = len(stub.delivered("mzj"))
    second = run_cli("--config", str(path), "-v", "check", "--as-of", "2021-11-20T10:00", "--exit-zero")
    assert second.returncode == 0, second.stderr
    later = "\n".join(stub.delivered("mzj")[told_before:]).replace("＊", "*")
    assert "两次检查（相隔一天以上）均无法打开" in later and "/files/huiyi-jiyao.pdf" in later
    assert "【已整改】" in later and "再接再励" in later
    assert "【内容问题未整改】" in later and "110105********002X" in later    # told 25 h ago: due again (repeat_every 24h)

    report = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "json", "--as-of", "2021-11-20T10:00")
    content = json.loads(report.stdout)["content"]
    kinds = sorted((f["label"], f["resolved"] is not None) for f in content)
    assert kinds == sorted([("身份证号", False), ("身份证号", False), ("手机号码", False), ("手机号码", False),
                            ("银行卡号", False), ("错词", False), ("错词", True), ("断链", False)])
    md = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "md", "--as-of", "2021-11-20T10:00").stdout
    assert "## 附表 2021年四季度内容问题清单" in md and "610302********1232" in md
    notice = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "notice", "--as-of", "2021-11-20T10:00").stdout
    assert "发布内容把关不严。民政局8处（" in notice and "断链）" in notice
    xlsx = tmp_path / "r.xlsx"
    run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "xlsx", "-o", str(xlsx), "--as-of", "2021-11-20T10:00")
    cells = " ".join(str(c) for ws in load_workbook(xlsx) for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "110105********002X" in cells
    digest = run_cli("--config", str(path), "digest", "--date", "2021-11-20", "--no-send")
    assert "## 内容问题（未整改 7 处）" in digest.stdout

    # Nowhere: not in any message, log, the store's bytes (database and WAL), the digest or the reports.
    store_bytes = b"".join(p.read_bytes() for p in (tmp_path / "state").glob("m.db*"))
    outputs = [office_messages, "\n".join(stub.delivered("mzj")), first.stderr, second.stderr, report.stdout, md, cells,
               digest.stdout, *(p.read_text() for p in (tmp_path / "state" / "digests").glob("*"))]
    for number in FULL_NUMBERS:
        assert number.encode() not in store_bytes
        assert not [o for o in outputs if number in o], number


def test_a_page_taken_down_resolves_its_findings(site, write_config):
    from monitor.config import load
    from monitor.pipeline import run_check
    from monitor.store import Store

    httpserver, pages = site
    stub = WeComStub(httpserver)
    cfg = load(write_config(content_config(httpserver, stub)), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2021-11-19T09:00"))
    del pages["/art/4.html"]
    run_check(cfg, store, at("2021-11-20T10:00"))
    rows = store.query("SELECT label, resolved FROM findings WHERE article LIKE '%/art/4.html'")
    assert rows == [{"label": "银行卡号", "resolved": "2021-11-20T10:00:00+08:00"}]
    assert any("【已整改】" in m and "6228 ＊＊＊＊ ＊＊＊＊ ＊＊＊0 018" in m for m in stub.delivered("mzj"))
    # The store's own check: it holds no number in full.
    conn = sqlite3.connect(cfg.settings.database)
    dump = "\n".join(conn.iterdump())
    assert not [n for n in FULL_NUMBERS if n in dump]


def rss(*items: str) -> bytes:
    body = "".join(f"""<item><title><![CDATA[{title}]]></title><description><![CDATA[<p>{text}</p>]]></description>
<pubDate>{when}</pubDate><guid isPermaLink="false">wx-{n}</guid><link>http://127.0.0.1:9/s/{n}</link></item>"""
                   for n, (title, text, when) in enumerate(items))
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>渭滨司法</title>
<generator>RSSHub</generator>{body}</channel></rss>""".encode()


def test_feed_items_are_read_from_the_feed_itself(httpserver, write_config):
    """An account's post is inspected in the feed's own text (the platform's page is not fetched);
    an edit that drops the number resolves it; an item leaving a short feed does not."""
    from monitor.config import load
    from monitor.pipeline import run_check
    from monitor.store import Store

    from .site import account_config

    feed = {"body": rss(("普法讲座走进社区", "咨询请联系律师 13891712345。", "Wed, 17 Nov 2021 02:00:00 GMT"),
                        ("调解员上门化解纠纷", "当事人张某（身份证号 11010519491231002X）达成协议。", "Tue, 16 Nov 2021 02:00:00 GMT"))}
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: Response(feed["body"], headers={"Content-Type": "application/rss+xml; charset=utf-8"}))
    cfg = load(write_config(account_config(httpserver.url_for("/feed.xml"))), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2021-11-18T09:00"), notify=False)
    assert sorted(r["label"] for r in store.query("SELECT label FROM findings WHERE resolved IS NULL")) == ["手机号码", "身份证号"]
    # The first item is edited to drop the number; the second falls off the end of the feed.
    feed["body"] = rss(("普法讲座走进社区", "咨询请拨打 12348 法律服务热线。", "Wed, 17 Nov 2021 02:00:00 GMT"))
    run_check(cfg, store, at("2021-11-19T09:00"), notify=False)
    rows = {r["label"]: r["resolved"] for r in store.query("SELECT label, resolved FROM findings")}
    assert rows == {"手机号码": "2021-11-19T09:00:00+08:00", "身份证号": None}
    assert store.query("SELECT url FROM articles") == []        # no platform page was fetched


def test_a_link_is_dead_only_when_it_fails_twice_a_day_apart(httpserver, write_config):
    """A refused connection twice a day apart is a dead link; a 404 that is fixed by the next day is not."""
    from monitor.config import load
    from monitor.content.scan import scan
    from monitor.collect.http import Fetcher
    from monitor.pipeline import run_check
    from monitor.store import Store

    from .peers import free_port

    closed = f"http://127.0.0.1:{free_port()}/files/old-plan.pdf"
    state = {"fixed": False}
    httpserver.expect_request("/tzgg/index.html").respond_with_data(
        '<ul class="list"><li><a href="/art/9.html">关于公布年度计划的通知</a><span class="date">2021-11-18</span></li></ul>',
        content_type="text/html; charset=utf-8")
    httpserver.expect_request("/art/9.html").respond_with_data(
        f'<html><body><div class="TRS_Editor"><p>现将年度计划公布如下，详见附件。请各单位认真组织实施，按时报送进展情况。</p>'
        f'<p>附件：<a href="/files/plan.pdf">年度计划.pdf</a>　<a href="{closed}">上年计划.pdf</a></p></div></body></html>',
        content_type="text/html; charset=utf-8")
    httpserver.expect_request("/files/plan.pdf").respond_with_handler(
        lambda request: Response(b"%PDF-1.4", headers={"Content-Type": "application/pdf"}) if state["fixed"]
        else Response("not found", status=404))
    stub = WeComStub(httpserver)
    cfg = load(write_config(content_config(httpserver, stub)), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2021-11-19T09:00"), notify=False)
    assert {r["url"]: r["failures"] for r in store.query("SELECT url, failures FROM links")} == {
        httpserver.url_for("/files/plan.pdf"): 1, closed: 1}
    assert store.query("SELECT * FROM findings") == []
    state["fixed"] = True
    scan(cfg, store, Fetcher(cfg.http), at("2021-11-19T20:00"))          # the same day: too soon to look again
    assert store.query("SELECT * FROM findings") == []
    scan(cfg, store, Fetcher(cfg.http), at("2021-11-20T09:30"))
    rows = store.query("SELECT label, excerpt FROM findings")
    assert rows == [{"label": "断链", "excerpt": closed}]
    assert store.query("SELECT error FROM links WHERE url = ?", (closed,))[0]["error"].startswith("无法连接")


def test_a_page_that_opens_only_on_a_later_pass_still_has_its_links_checked(httpserver, write_config):
    from monitor.config import load
    from monitor.content.scan import scan
    from monitor.collect.http import Fetcher
    from monitor.pipeline import run_check
    from monitor.store import Store

    state = {"up": False}
    httpserver.expect_request("/tzgg/index.html").respond_with_data(
        '<ul class="list"><li><a href="/art/7.html">关于公布年度计划的通知</a><span class="date">2021-11-18</span></li></ul>',
        content_type="text/html; charset=utf-8")
    httpserver.expect_request("/art/7.html").respond_with_handler(
        lambda request: Response('<html><body><div class="TRS_Editor"><p>现将年度计划公布如下，详见附件，请各单位认真组织实施。</p>'
                                 '<p>附件：<a href="/files/plan.pdf">年度计划.pdf</a></p></div></body></html>',
                                 headers={"Content-Type": "text/html; charset=utf-8"}) if state["up"]
        else Response("busy", status=503))
    httpserver.expect_request("/files/plan.pdf").respond_with_data(b"%PDF-1.4", content_type="application/pdf")
    stub = WeComStub(httpserver)
    cfg = load(write_config(content_config(httpserver, stub)), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2021-11-19T09:00"), notify=False)
    assert store.query("SELECT state FROM articles") == [{"state": "failed"}] and store.query("SELECT * FROM links") == []
    state["up"] = True
    scan(cfg, store, Fetcher(cfg.http), at("2021-11-20T09:30"))
    assert store.query("SELECT state FROM articles") == [{"state": "read"}]
    assert [r["url"] for r in store.query("SELECT url FROM links")] == [httpserver.url_for("/files/plan.pdf")]
