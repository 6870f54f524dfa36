"""Verdicts an office can defend (issue 8): coverage from real reads, 无数据, 截至, evidence, post identity.

Every case reads real pages and feeds from a server on 127.0.0.1.
"""

import datetime as dt
import json
import logging

from lxml import html as lxml_html
from openpyxl import load_workbook
from werkzeug import Response

from monitor.config import load
from monitor.evidence.coverage import coverage_of
from monitor.pipeline import run_check
from monitor.report.build import build
from monitor.store import Store

from .conftest import at, d, run_cli
from .site import account_config, column_config

Q4 = (d("2021-10-01"), d("2021-12-31"))


class TrsColumn:
    """A TRS list: ``index.html``, ``index_1.html`` … announced by createPageHTML, newest first,
    ``per_page`` items a page; pages listed in ``broken`` answer 404."""

    def __init__(self, httpserver, posts, per_page=2, path="/zfxxgk/tzgg"):
        self.posts, self.per_page, self.broken, self.served = posts, per_page, set(), []
        self.pages = (len(posts) + per_page - 1) // per_page
        for n in range(self.pages):
            name = "index.html" if n == 0 else f"index_{n}.html"
            httpserver.expect_request(f"{path}/{name}").respond_with_handler(lambda request, n=n: self.page(n))
        self.url = httpserver.url_for(f"{path}/index.html")

    def page(self, n):
        self.served.append(n)
        if n in self.broken:
            return Response("<html><body>404 Not Found</body></html>", status=404)
        items = self.posts[n * self.per_page:(n + 1) * self.per_page]
        lis = "".join(f'<li><a href="./{day[:7].replace("-", "")}/t{day.replace("-", "")}_{i}.html">{title}</a>'
                      f"<span>{day}</span></li>" for i, (title, day) in enumerate(items, start=n * self.per_page))
        pager = f'<script type="text/javascript">createPageHTML({self.pages}, {n}, "index", "html");</script>'
        return Response(f"<html><head><meta charset='utf-8'></head><body><ul class='list'>{lis}</ul>{pager}</body></html>",
                        headers={"Content-Type": "text/html; charset=utf-8"})


def open_check(write_config, text, name="config.toml"):
    cfg = load(write_config(text, name), env={})
    return cfg, Store(cfg.settings.database)


# ---------------------------------------------------------------- coverage from real reads

def test_a_failed_page_two_is_no_evidence_and_the_backfill_resumes(httpserver, write_config, caplog):
    site = TrsColumn(httpserver, [("招标公告12", "2021-12-20"), ("招标公告11", "2021-11-05"),
                                  ("招标公告10", "2021-10-20"), ("招标公告9", "2021-09-05")])
    cfg, store = open_check(write_config, column_config(site.url, since="2021-10-01", item="ul.list > li", date="span"))
    site.broken = {1}
    first = run_check(cfg, store, at("2022-01-04T09:00"), notify=False)
    assert first.fetches["c1"].ok and "第 2 页读取失败" in first.fetches["c1"].error
    # Page 1 reached back to 11-05 only: October was never seen, so it is 无数据, not 0.
    assert coverage_of(store, "c1").spans == ((d("2021-11-06"), d("2022-01-03")),)
    col = build(cfg, store, *Q4)["columns"][0]
    assert col["months"] == {"2021-10": None, "2021-11": 1, "2021-12": 1}
    assert col["month_notes"]["2021-10"] == "无数据" and col["month_notes"]["2021-11"] == "部分（自11-06起）"
    assert (col["compliant"], col["verdict"]) == (None, "partial")
    assert store.query("SELECT * FROM missed_periods") == []

    # The page comes back: the next check goes on past page 1 although page 1 is unchanged.
    site.broken = set()
    with caplog.at_level(logging.INFO, logger="monitor.evidence.coverage"):
        second = run_check(cfg, store, at("2022-01-04T15:00"), notify=False)
        third = run_check(cfg, store, at("2022-01-04T21:00"), notify=False)
    assert second.fetches["c1"].pages == 2 and third.fetches["c1"].pages == 1
    assert coverage_of(store, "c1").spans == ((d("2021-10-01"), d("2022-01-03")),)
    assert [r.message for r in caplog.records if "补录完成" in r.message] == ["c1「财政资金直达基层」补录完成：已读到 2021-10-01"]
    col = build(cfg, store, *Q4)["columns"][0]
    assert col["months"] == {"2021-10": 1, "2021-11": 1, "2021-12": 1} and col["compliant"] is True


def test_max_pages_reached_before_backfill_since(httpserver, write_config):
    site = TrsColumn(httpserver, [("公告4", "2021-12-20"), ("公告3", "2021-12-02"), ("公告2", "2021-10-20"), ("公告1", "2021-09-05")])
    text = column_config(site.url, since="2021-07-01", item="ul.list > li", date="span") + "max_pages = 1\n"
    cfg, store = open_check(write_config, text)
    result = run_check(cfg, store, at("2022-01-04T09:00"))
    assert site.served == [0]
    # Only page 1 was read: known from the day after its bottom item on.
    assert coverage_of(store, "c1").spans == ((d("2021-12-03"), d("2022-01-03")),)
    assert result.statuses[0].state == "ok"            # December holds a post; nothing missed was seen
    assert store.query("SELECT * FROM missed_periods") == [] and result.alerts == []
    data = build(cfg, store, *Q4, at("2022-01-04T09:00"))
    col = data["columns"][0]
    assert col["months"] == {"2021-10": None, "2021-11": None, "2021-12": 2}
    assert col["month_notes"]["2021-12"] == "部分（自12-03起）" and col["verdict"] == "partial"
    # Later checks keep reading one page and coverage grows forward from there.
    run_check(cfg, store, at("2022-01-05T09:00"), notify=False)
    assert site.served == [0, 0]
    assert coverage_of(store, "c1").spans == ((d("2021-12-03"), d("2022-01-04")),)


def test_a_four_item_feed_starting_mid_quarter_is_not_called_broken(httpserver, write_config, tmp_path):
    """wewe-rss keeps the latest 4 items: four originals from 11-17, read on 11-26."""
    entries = [("普法宣传进社区", "2021-11-25T10:00:00+08:00"), ("人民调解化纠纷", "2021-11-23T09:00:00+08:00"),
               ("法律援助在身边", "2021-11-19T16:00:00+08:00"), ("宪法宣传周预告", "2021-11-17T08:30:00+08:00")]
    atom = "".join(f"<entry><title>{t}</title><id>tag:wewe-rss,2021:wbsf-{i}</id><link href='https://mp.weixin.qq.com/s/{i}'/>"
                   f"<updated>{when}</updated><summary>司法所工作动态。</summary></entry>" for i, (t, when) in enumerate(entries))
    httpserver.expect_request("/feeds/wbsf.atom").respond_with_data(
        f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>渭滨司法</title>{atom}</feed>",
        content_type="application/atom+xml")
    path = write_config(account_config(httpserver.url_for("/feeds/wbsf.atom"), since="2021-10-01"))
    cfg = load(path, env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2021-11-26T09:00"), notify=False)
    assert coverage_of(store, "wbsf").spans == ((d("2021-11-18"), d("2021-11-25")),)
    r = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "json", "--as-of", "2021-11-26T09:00")
    assert r.returncode == 0, r.stderr
    acc = json.loads(r.stdout)["accounts"][0]
    assert (acc["originals"], acc["broken"], acc["verdict"], acc["longest_gap"]) == (4, None, "partial", 1)
    assert acc["required"] == 1 and acc["required_note"] == "按已覆盖的6个工作日计"
    r = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "notice", "--as-of", "2021-11-26T09:00")
    assert "断更" not in r.stdout.split("二、存在问题")[1].split("三、工作要求")[0]
    assert "渭滨司法本期只有部分日期有监测数据" in r.stdout and "统计截至 2021-11-26 09:00" in r.stdout


def test_a_running_quarter_is_judged_up_to_as_of(httpserver, write_config, tmp_path):
    """A column updated every 6 days, reported on 11-26: December is not missed, it has not happened."""
    posts = [(f"教育动态{i}", (d("2021-11-24") - dt.timedelta(days=6 * i)).isoformat()) for i in range(25)]
    site = TrsColumn(httpserver, posts, per_page=10)
    path = write_config(column_config(site.url, since="2021-07-01", item="ul.list > li", date="span", frequency="1条/2周")
                        + '\n[[columns]]\nid = "c2"\nname = "规划信息"\nunit = "财政局"\nfrequency = "1条/月"\n'
                          f'url = "{site.url}"\nitem = "ul.list > li"\ndate = "span"\n')
    cfg = load(path, env={})
    run_check(cfg, Store(cfg.settings.database), at("2021-11-26T10:00"), notify=False)
    outputs = {}
    for fmt in ("json", "md", "html", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        r = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", fmt, "-o", str(out), "--as-of", "2021-11-26T10:00")
        assert r.returncode == 0, r.stderr
        outputs[fmt] = out
    data = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert data["as_of"] == "2021-11-26T10:00:00+08:00" and data["open"] is True
    two_weeks, monthly = data["columns"]
    assert two_weeks["months"] == {"2021-10": 6, "2021-11": 4, "2021-12": None}
    assert two_weeks["month_notes"] == {"2021-10": "", "2021-11": "截至11-26", "2021-12": "未到"}
    assert (two_weeks["compliant"], two_weeks["verdict"]) == (True, "ok")
    assert (monthly["compliant"], monthly["verdict"]) == (None, "open")   # December still to come: 未到期
    assert data["noncompliant_units"] == []
    assert "统计截至 2021-11-26 10:00" in outputs["md"].read_text(encoding="utf-8")
    page = lxml_html.fromstring(outputs["html"].read_text(encoding="utf-8"))
    assert "统计截至 2021-11-26 10:00" in page.text_content()
    heat = page.xpath("//table[contains(@class, 'heat')]/tbody/tr[1]/td[contains(@class, 'cell')]")
    weeks = data["weeks"]
    future = [w for w, cell in zip(weeks, heat) if "future" in cell.get("class")]
    assert future and all(w > "2021-11-26" for w in future) and all(not cell.text for cell in heat if "future" in cell.get("class"))
    assert "未到" in heat[-1].get("title")
    wb = load_workbook(outputs["xlsx"])
    row = next(wb.worksheets[0].iter_rows(min_row=4, max_row=4, values_only=True))
    assert row[3:7] == (6, "4（截至11-26）", "未到", "达标")
    assert "统计截至 2021-11-26 10:00" in wb.worksheets[0].cell(row=wb.worksheets[0].max_row, column=1).value


# ---------------------------------------------------------------- post identity

def test_same_title_posts_with_distinct_links_are_distinct(httpserver, write_config):
    lis = "".join(f'<li><a href="/gs/{n}.html">行政处罚决定书公示</a><span>2021-12-0{n}</span></li>'
                  for n in (6, 6, 3))  # the 12-06 link listed twice (pinned and in the list) is one post
    lis += '<li><a href="/gs/7.html">行政处罚决定书公示</a><span>2021-12-06</span></li>'
    httpserver.expect_request("/gs/index.html").respond_with_data(
        f"<ul class='list'>{lis}</ul>", content_type="text/html; charset=utf-8")
    cfg, store = open_check(write_config, column_config(httpserver.url_for("/gs/index.html"), item="ul.list > li", date="span"))
    run_check(cfg, store, at("2021-12-10"), notify=False)
    assert sorted((r["day"], r["url"][-6:]) for r in store.query("SELECT day, url FROM posts")) == [
        ("2021-12-03", "3.html"), ("2021-12-06", "6.html"), ("2021-12-06", "7.html")]
    run_check(cfg, store, at("2021-12-11"), notify=False)
    assert len(store.query("SELECT * FROM posts")) == 3


def feed_with(items):
    entries = "".join(f"<item><title>{t}</title><link>https://mp.weixin.qq.com/s/{link}</link><guid isPermaLink='false'>{guid}</guid>"
                      f"<pubDate>{when}</pubDate><description>工作动态</description></item>" for t, link, guid, when in items)
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>石鼓镇</title>{entries}</channel></rss>"


def test_feed_posts_same_title_same_day_and_shared_guids(httpserver, write_config):
    items = [
        # Two posts the same day with the same title and different GUIDs: two posts.
        ("疫情防控通告", "a1", "sg-101", "Mon, 13 Dec 2021 02:00:00 GMT"),
        ("疫情防控通告", "a2", "sg-102", "Mon, 13 Dec 2021 09:00:00 GMT"),
        # One GUID on three items with different dates and titles (a generator's habit): three posts.
        ("石鼓镇召开安全生产会", "b1", "sg-fixed", "Fri, 10 Dec 2021 02:00:00 GMT"),
        ("石鼓镇开展环境整治", "b2", "sg-fixed", "Wed, 08 Dec 2021 02:00:00 GMT"),
        ("石鼓镇举办技能培训", "b3", "sg-fixed", "Mon, 06 Dec 2021 02:00:00 GMT"),
        # The same item listed twice: one post.
        ("石鼓镇举办技能培训", "b3", "sg-fixed", "Mon, 06 Dec 2021 02:00:00 GMT"),
    ]
    httpserver.expect_request("/feeds/sg.xml").respond_with_data(feed_with(items), content_type="application/rss+xml")
    cfg, store = open_check(write_config, account_config(httpserver.url_for("/feeds/sg.xml")))
    run_check(cfg, store, at("2021-12-14T09:00"), notify=False)
    run_check(cfg, store, at("2021-12-14T15:00"), notify=False)
    rows = store.query("SELECT title, day FROM posts ORDER BY day, title")
    assert [(r["day"], r["title"]) for r in rows] == [
        ("2021-12-06", "石鼓镇举办技能培训"), ("2021-12-08", "石鼓镇开展环境整治"), ("2021-12-10", "石鼓镇召开安全生产会"),
        ("2021-12-13", "疫情防控通告"), ("2021-12-13", "疫情防控通告")]


def test_a_site_moving_to_https_keeps_one_post_but_a_new_same_title_post_counts(httpserver, write_config):
    served = {"links": ["http://www.example.gov.cn/czj/1.html"]}

    def page(request):
        lis = "".join(f'<li><a href="{link}">财政预算公开</a><span>2021-12-06</span></li>' for link in served["links"])
        return Response(f"<ul class='list'>{lis}</ul>", headers={"Content-Type": "text/html; charset=utf-8"})

    httpserver.expect_request("/czj/index.html").respond_with_handler(page)
    cfg, store = open_check(write_config, column_config(httpserver.url_for("/czj/index.html"), item="ul.list > li", date="span"))
    run_check(cfg, store, at("2021-12-07"), notify=False)
    served["links"] = ["https://www.example.gov.cn/zwgk/czj/1.html"]            # moved: same post
    assert run_check(cfg, store, at("2021-12-08"), notify=False).new_posts == 0
    served["links"] = ["https://www.example.gov.cn/zwgk/czj/1.html", "https://www.example.gov.cn/zwgk/czj/2.html"]
    assert run_check(cfg, store, at("2021-12-09"), notify=False).new_posts == 1   # listed together: distinct
    assert len(store.query("SELECT * FROM posts")) == 2


# ---------------------------------------------------------------- evidence

def test_posts_command_lists_what_was_counted_and_the_coverage(httpserver, write_config):
    site = TrsColumn(httpserver, [("预算执行情况", "2021-11-18"), ("直达资金公示", "2021-10-26"), ("三季度支出", "2021-09-28")])
    path = write_config(column_config(site.url, since="2021-07-01", item="ul.list > li", date="span", frequency="1条/2周"))
    cfg = load(path, env={})
    run_check(cfg, Store(cfg.settings.database), at("2022-01-04T09:00"), notify=False)
    r = run_cli("--config", str(path), "posts", "c1", "--period", "2021Q4", "--as-of", "2022-01-04T09:00")
    assert r.returncode == 0, r.stderr
    assert "有效监测日期：2021-10-01 至 2021-12-31" in r.stdout and "结论：不达标" in r.stdout
    assert "依据：2021-10-26 → 2021-11-18，其间 22 天无更新（要求1条/2周）" in r.stdout
    assert "依据：2021-11-19 → 2021-12-31（统计期末），其间 43 天无更新" not in r.stdout
    assert "依据：2021-11-18 → 2021-12-31（统计期末），其间 43 天无更新（要求1条/2周）" in r.stdout
    assert "预算执行情况" in r.stdout and "三季度支出" not in r.stdout
    r = run_cli("--config", str(path), "posts", "c1", "--period", "2021Q4", "--json", "--as-of", "2022-01-04T09:00")
    data = json.loads(r.stdout)
    assert [p["day"] for p in data["posts"]] == ["2021-10-26", "2021-11-18"] and data["counted"] == 2
    assert data["coverage"] == [["2021-10-01", "2021-12-31"]] and data["verdict"] == "missed"
    assert run_cli("--config", str(path), "posts", "nope").returncode == 2


# ---------------------------------------------------------------- clocks

def test_a_future_timestamp_in_the_store_does_not_silence_later_reminders(httpserver, write_config, caplog, monkeypatch):
    import monitor.clock

    from .peers import WeComStub

    monkeypatch.setattr(monitor.clock, "_warned", set())   # "once" is once per process

    site = TrsColumn(httpserver, [("直达资金分配情况公示", "2021-11-18"), ("监控系统使用说明", "2021-10-26")])
    stub = WeComStub(httpserver)
    text = column_config(site.url, item="ul.list > li", date="span") + f"""
[[notify]]
type = "wecom"
webhook = "{stub.webhook('office')}"
"""
    cfg, store = open_check(write_config, text)
    run_check(cfg, store, at("2022-01-04T09:00"))
    assert any("【逾期】" in m for m in stub.delivered("office"))
    # A run with a future --as-of observes nothing beyond the real moment of its read.
    run_check(cfg, store, at("2030-01-01T09:00"), notify=False)
    assert coverage_of(store, "c1").last < dt.date.today()
    # Timestamps a clock that ran ahead left in the store: the last reminder, and a message's next try.
    from monitor.notify.outbox import Target, enqueue

    with store.transaction():
        store.conn.execute("UPDATE alerts SET notified = '2030-01-01T09:00:00+08:00'")
        enqueue(store, Target("wecom", "办公室", webhook=stub.webhook("office")), "s", "排队中的提醒", "排队中的提醒", None,
                at("2030-01-01T09:00"))
    before = len(stub.delivered("office"))
    with caplog.at_level(logging.WARNING, logger="monitor.clock"):
        run_check(cfg, store, at("2022-01-05T10:00"))
        run_check(cfg, store, at("2022-01-05T16:00"))
    later = stub.delivered("office")[before:]
    assert "排队中的提醒" in later                           # the queued message went out
    reminders = [m for m in later if "逾期" in m]
    assert len(reminders) == 1 and "【仍逾期】" in reminders[0]  # once a day, as before the clock jumped
    warnings = sorted(r.message[:11] for r in caplog.records if "晚于当前时间" in r.message)
    assert warnings == ["数据库中的上次提醒时间", "数据库中的通知重试时间"]     # each said once
    site.posts.insert(0, ("1月直达资金下达", "2022-01-06"))
    run_check(cfg, store, at("2022-01-06T10:00"))
    assert "【恢复】" in stub.delivered("office")[-1]
