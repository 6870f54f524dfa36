"""附件3 网民留言办理 (issue 12): a message board read from 127.0.0.1, replies judged against
5 working days on the official calendar (调休 included)."""

import json

from werkzeug import Response

from monitor.config import load
from monitor.pipeline import run_check
from monitor.store import Store

from .conftest import at, run_cli
from .site import FIXTURES, column_config, serve


def board_config(url: str, workdays: str = "china") -> str:
    return column_config("http://127.0.0.1:9/c.html").replace("[[units]]", f"""[calendar]
workdays = "{workdays}"

[[units]]
name = "卫健局"

[[units]]
name = "教体局"
aliases = ["渭滨区教体局"]

[[boards]]
id = "qzxx"
name = "区长信箱"
url = "{url}"
item = "table.board tr.msg"
title = "td.t a"
asked = "td.d"
unit = "td.u"
state = "td.s"
replied = "td.r"
reply_within = "5个工作日"

[[units]]""", 1)


def test_replies_are_judged_on_working_days(httpserver, write_config):
    url = serve(httpserver, "/hdjl/index.html", "pages/board.html")
    path = write_config(board_config(url))
    cfg = load(path, env={})
    run_check(cfg, Store(cfg.settings.database), at("2021-11-20T09:00"), notify=False)
    r = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "json", "--as-of", "2021-11-20T09:00")
    assert r.returncode == 0, r.stderr
    boards = json.loads(r.stdout)["boards"]
    units = {u["unit"]: u for u in boards["units"]}
    # 卫健局: one still open past 11-08, one answered on 11-15 (due 11-09): both late.
    assert units["卫健局"] == {"unit": "卫健局", "received": 2, "closed": 1, "overdue": 2}
    # 教体局: 11-03 → 11-05 on time; 10-08 → 10-15 late: 10-09 (Saturday) was a make-up working day, so it was due 10-14.
    assert units["教体局"] == {"unit": "教体局", "received": 2, "closed": 2, "overdue": 1}
    assert {x["title"] for x in boards["late"]} == {"小区门口路灯不亮", "疫苗接种点咨询", "国庆后开学安排"}
    notice = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "notice", "--as-of", "2021-11-20T09:00").stdout
    assert "网民留言办理情况。受理网民留言共计4条，办结3条，卫健局逾期办理2条，教体局逾期办理1条（具体见附件3）。" in notice
    assert "网民留言办理不及时。卫健局逾期办理2条、教体局逾期办理1条，未在规定的时限内答复。" in notice
    md = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "md", "--as-of", "2021-11-20T09:00").stdout
    assert "## 附件3 2021年四季度网民留言办理情况统计表" in md and "| **卫健局** | **2** | **1** | **2** |" in md


def test_without_the_official_calendar_the_same_reply_is_on_time(httpserver, write_config):
    url = serve(httpserver, "/hdjl/index.html", "pages/board.html")
    path = write_config(board_config(url, workdays="weekdays"))
    cfg = load(path, env={})
    run_check(cfg, Store(cfg.settings.database), at("2021-11-20T09:00"), notify=False)
    boards = json.loads(run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "json",
                                "--as-of", "2021-11-20T09:00").stdout)["boards"]
    assert {u["unit"]: u["overdue"] for u in boards["units"]}["教体局"] == 0     # Mon–Fri only: due 10-15


def test_board_reminders_reach_the_unit_and_the_office_once(httpserver, write_config):
    from .peers import WeComStub

    url = serve(httpserver, "/hdjl/index.html", "pages/board.html")
    stub = WeComStub(httpserver)
    text = board_config(url).replace('name = "卫健局"\n', f'name = "卫健局"\nwecom = "{stub.webhook("wjj")}"\n') + f"""
[[notify]]
type = "wecom"
webhook = "{stub.webhook('office')}"
"""
    cfg = load(write_config(text), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2021-11-08T09:00"))          # 11-01's message is due today (5 working days)
    assert any("【即将到期】" in m and "小区门口路灯不亮" in m for m in stub.delivered("wjj"))
    run_check(cfg, store, at("2021-11-09T09:00"))          # seen still open after its deadline
    assert any("【逾期】" in m and "应于 2021-11-08 前办结，至今未办结" in m for m in stub.delivered("office"))
    def about_it():
        return [m for m in stub.delivered("office") if "小区门口路灯不亮" in m]

    before = len(about_it())
    run_check(cfg, store, at("2021-11-09T15:00"))          # not again the same day
    assert len(about_it()) == before == 2


def test_reply_dates_from_detail_pages_when_the_list_has_none(httpserver, write_config):
    page = (FIXTURES / "pages/board.html").read_text(encoding="utf-8").replace('<td class="r">2021-11-15</td>', '<td class="r"></td>')
    httpserver.expect_request("/hdjl/index.html").respond_with_data(page, content_type="text/html; charset=utf-8")
    detail_reads = []

    def detail(request):
        detail_reads.append(request.path)
        when = "2021-11-15 16:20" if request.path == "/hd/102.html" else ""
        return Response(f"<html><body><div class='reply'><span class='time'>答复时间：{when}</span></div></body></html>",
                        headers={"Content-Type": "text/html; charset=utf-8"})

    httpserver.expect_request("/hd/102.html").respond_with_handler(detail)
    httpserver.expect_request("/hd/101.html").respond_with_handler(detail)
    text = board_config(httpserver.url_for("/hdjl/index.html")).replace(
        'reply_within = "5个工作日"', 'reply_within = "5个工作日"\ndetail_replied = "div.reply span.time"')
    path = write_config(text)
    cfg = load(path, env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2021-11-20T09:00"), notify=False)
    assert sorted(detail_reads) == ["/hd/101.html", "/hd/102.html"]       # only messages the list gives no date for
    assert store.query("SELECT replied FROM messages WHERE key LIKE '%/hd/102.html'") == [{"replied": "2021-11-15"}]
    run_check(cfg, store, at("2021-11-20T15:00"), notify=False)
    assert sorted(detail_reads) == ["/hd/101.html", "/hd/101.html", "/hd/102.html"]   # a known reply is not read again


def test_a_message_open_for_three_months_crosses_the_national_line(httpserver, write_config):
    from monitor.sitecheck.measure import site_check

    url = serve(httpserver, "/hdjl/index.html", "pages/board.html")
    httpserver.expect_request("/index.html").respond_with_data("<html><body>区人民政府</body></html>", content_type="text/html")
    text = board_config(url).replace("[[boards]]", f'[site]\nhome = "{httpserver.url_for("/index.html")}"\n\n[[boards]]', 1)
    cfg = load(write_config(text), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2022-01-20T09:00"), notify=False)     # 11-01's message still open: 80 days
    line = next(i for i in site_check(cfg, store, at("2022-01-20T09:00")) if i.key == "replies")
    assert line.verdict == "达标" and line.names == ()
    run_check(cfg, store, at("2022-02-08T09:00"), notify=False)     # seen open 99 days after it was asked
    line = next(i for i in site_check(cfg, store, at("2022-02-08T09:00")) if i.key == "replies")
    assert line.verdict == "单项否决" and line.names == ("“小区门口路灯不亮”（2021-11-01 留言）",)
