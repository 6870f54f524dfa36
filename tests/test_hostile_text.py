"""Hostile text stays text: what a page or feed supplies never becomes a link, heading, colour tag,
terminal escape or spreadsheet formula."""

import datetime as dt

from openpyxl import load_workbook
from werkzeug import Response

from monitor.alerts.lifecycle import ALERT, Event
from monitor.alerts.messages import compose, line_for
from monitor.config import load
from monitor.digest import write_digest
from monitor.evidence.posts import posts_in
from monitor.pipeline import run_check
from monitor.report.build import build
from monitor.report.render import write
from monitor.status import SourceStatus
from monitor.store import Store
from monitor.textutil import clean, md

from .conftest import at, run_cli
from .peers import WeComStub
from .site import column_config

LINK = "[点此领取](http://evil.example/p)"
FONT = '<font color="warning">伪造告警</font>'
ANSI = "\x1b[31m红字\x1b[0m\x1b]0;标题\x07"


def hostile_page(request):
    titles = [f"{LINK}\n# 注入行", FONT, f"{ANSI}通知", "=HYPERLINK(\"http://evil.example\",\"点我\")", "**加粗** `代码` > 引用"]
    items = "".join(f'<li><a href="/p/{i}.html" title="{t.replace(chr(34), "&quot;")}">x</a><span>2021-12-0{i + 1}</span></li>'
                    for i, t in enumerate(titles))
    return Response(f"<ul class='list'>{items}</ul>", headers={"Content-Type": "text/html; charset=utf-8"})


def test_titles_from_a_page_reach_wecom_the_digest_and_the_terminal_as_plain_text(httpserver, write_config, tmp_path):
    httpserver.expect_request("/list").respond_with_handler(hostile_page)
    stub = WeComStub(httpserver)
    text = column_config(httpserver.url_for("/list"), item="ul.list > li", date="span") + f"""
[[notify]]
type = "wecom"
webhook = "{stub.webhook('office')}"
"""
    text = text.replace('backfill_since = "2021-07-01"', 'backfill_since = "2021-07-01"\ndigest_to = ["wecom"]')
    path = write_config(text)
    cfg = load(path, env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2021-12-06T09:00"))
    store.set_meta("last_digest", "2021-11-30T08:30:00+08:00")
    digest = write_digest(cfg, store, at("2021-12-07T08:30"), send=True).read_text(encoding="utf-8")
    sent = "\n".join(stub.delivered("office"))
    for out in (digest, sent):
        assert "点此领取" in out and "伪造告警" in out            # the words are shown …
        assert "](http" not in out and "[点此" not in out          # … but no link,
        assert '<font color="warning">伪造' not in out             # no fake red alert,
        assert not any(line.lstrip("- ").startswith("#") and "注入行" in line for line in out.splitlines())  # no heading,
        assert "\x1b" not in out and "\x07" not in out             # no terminal escapes,
        assert "**加粗**" not in out and "`代码`" not in out
    titles = [r["title"] for r in store.query("SELECT title FROM posts")]
    assert all("\x1b" not in t and "\n" not in t for t in titles)   # stored clean, too

    r = run_cli("--config", str(path), "probe", "c1")
    assert r.returncode == 0 and "\x1b" not in r.stdout and "红字" in r.stdout
    r = run_cli("--config", str(path), "posts", "c1", "--period", "2021Q4", "--as-of", "2021-12-07")
    assert "\x1b" not in r.stdout

    data = build(cfg, store, dt.date(2021, 10, 1), dt.date(2021, 12, 31), at("2022-01-04"))
    out = tmp_path / "r.xlsx"
    write(data, "xlsx", out, posts_in(store, cfg, dt.date(2021, 10, 1), dt.date(2021, 12, 31)))
    detail = load_workbook(out)["明细"]
    cells = [row[6] for row in detail.iter_rows(min_row=2)]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"                                  # text, not a formula


def test_a_unit_named_like_a_formula_stays_text_in_the_xlsx(httpserver, write_config, tmp_path):
    httpserver.expect_request("/list").respond_with_data(
        "<ul class='list'><li><a href='/a.html'>通知</a><span>2021-10-05</span></li></ul>", content_type="text/html")
    text = column_config(httpserver.url_for("/list"), item="ul.list > li", date="span").replace("财政局", "=1+1")
    cfg = load(write_config(text), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2022-01-04T09:00"), notify=False)
    data = build(cfg, store, dt.date(2021, 10, 1), dt.date(2021, 12, 31), at("2022-01-04T09:00"))
    out = tmp_path / "r.xlsx"
    write(data, "xlsx", out, [])
    ws = load_workbook(out).worksheets[0]
    unit = ws.cell(row=4, column=3)
    assert unit.value == "=1+1" and unit.data_type == "s"
    units = load_workbook(out)["未达标单位"]
    assert all(c.data_type != "f" for row in units.iter_rows() for c in row)


def test_an_error_text_with_markup_is_defused_in_a_failing_alert(write_config):
    """A redirect target or server message carrying markdown, quoted in a 抓取失败 alert."""
    cfg = load(write_config(column_config("http://127.0.0.1:9/list.html")), env={})
    error = f"无法连接：{LINK}\n# 注入行 {FONT}{ANSI}"
    status = SourceStatus(cfg.columns[0], "failing", None, None, None, error=error)
    message = compose([line_for(Event(ALERT, "c1", "failing"), status)], at("2022-01-04T09:00"), "办公室")
    assert "点此领取" in message.markdown and "](http" not in message.markdown
    assert '<font color="warning">伪造' not in message.markdown and "\x1b" not in message.text
    assert "\n#" not in message.markdown and "\n# 注入行" not in message.text


def test_clean_and_md_keep_the_words_and_drop_the_markup():
    assert clean("a\x1b[2Jb\r\nc\u202ed\x00e", 100) == "ab c d e"
    assert clean("很长的标题" * 30, 20).endswith("…") and len(clean("很长的标题" * 30, 20)) == 20
    assert md("[a](http://x) <b> *c* #d `e`") == "［a］（http://x） ＜b＞ ＊c＊ ＃d ｀e｀"
