import json
import re

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook

from monitor.report.build import build, parse_period
from monitor.report.render import write

from .conftest import d, run_cli
from .seed_q4_2021 import BROKEN, NOTICE_COLUMN_UNITS, Q4, accounts, columns, seed


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    cfg, store = seed(tmp_path_factory.mktemp("seed"))
    return cfg, store, build(cfg, store, *Q4)


def test_period_forms():
    assert parse_period("2021Q4") == Q4
    assert parse_period("2021-10") == (d("2021-10-01"), d("2021-10-31"))
    assert parse_period("2021") == (d("2021-01-01"), d("2021-12-31"))
    assert parse_period("2021-10-01..2021-12-31") == Q4


def test_every_month_count_of_the_notice_is_reproduced(seeded):
    _, _, data = seeded
    got = [(c["name"], c["unit"], list(c["months"].values())) for c in data["columns"]]
    assert got == [(c["name"], c["unit"], c["counts"]) for c in columns()]


def test_exactly_the_units_the_notice_names_miss_their_columns(seeded):
    _, _, data = seeded
    assert set(data["noncompliant_column_units"]) == NOTICE_COLUMN_UNITS
    assert len(data["noncompliant_column_units"]) == 8


def test_accounts_required_12_originals_and_broken(seeded):
    _, _, data = seeded
    for row, spec in zip(data["accounts"], accounts()):
        if spec["originals"] is None:
            assert row["required"] is None and row["broken"] is None and not row["monitored"]
            continue
        assert row["required"] == 12
        assert row["originals"] == spec["originals"]
        assert row["broken"] == (row["name"] in BROKEN), row["name"]
    xiaojing = next(a for a in data["accounts"] if a["name"] == "渭滨小警")
    assert xiaojing["posts"] > xiaojing["originals"] and xiaojing["longest_gap"] >= 5
    assert set(data["broken_account_units"]) == {"公安分局", "姜谭工业园"}


def test_backdated_posts_are_counted_and_marked(seeded):
    _, _, data = seeded
    eco = next(c for c in data["columns"] if c["name"] == "生态环境")
    assert eco["months"]["2021-12"] == 7 and eco["months_backdated"]["2021-12"] == 1
    md = write_text(data, "md")
    assert "7（含补发1）" in md


def test_source_without_data_has_no_verdict(tmp_path):
    """规范性文件 had no post all quarter: 不达标 when observed, but never observed it is 无数据, not 0."""
    cfg, store = seed(tmp_path)
    store.conn.execute("DELETE FROM coverage WHERE source_id = 'c00'")
    store.conn.commit()
    data = build(cfg, store, *Q4)
    col = next(c for c in data["columns"] if c["id"] == "c00")
    assert (col["compliant"], col["verdict"], col["total"]) == (None, "no_data", None)
    assert col["months"] == {"2021-10": None, "2021-11": None, "2021-12": None}
    assert "司法局" not in data["noncompliant_units"]
    assert "| 规范性文件 | 1条/月 | 司法局 | 无数据 | 无数据 | 无数据 | 无数据 |" in write_text(data, "md")


def write_text(data, fmt):
    import io
    from contextlib import redirect_stdout

    buf = io.StringIO()
    with redirect_stdout(buf):
        write(data, fmt, None)
    return buf.getvalue()


def test_xlsx_has_the_values_and_highlights(seeded, tmp_path):
    from monitor.evidence.posts import posts_in

    cfg, store, data = seeded
    path = tmp_path / "r.xlsx"
    details = list(posts_in(store, cfg, *Q4))
    write(data, "xlsx", path, details)
    wb = load_workbook(path)
    assert wb.sheetnames == ["附件2 区政府网站栏目更新统计表", "附件4 政务新媒体更新情况统计表", "未达标单位", "明细"]
    ws = wb["附件2 区政府网站栏目更新统计表"]
    assert (ws["A1"].value, ws["A2"].value) == ("附件2", "2021年四季度区政府网站栏目更新统计表")
    assert [c.value for c in ws[3]] == ["栏目名称", "更新频次", "保障单位", "10月", "11月", "12月", "是否达标", "说明"]
    rows = list(ws.iter_rows(min_row=4, max_row=3 + len(columns()), values_only=True))
    assert rows[0] == ("规范性文件", "1条/月", "司法局", 0, 0, 0, "不达标",
                       "2021年10月未更新（要求1条/月）；2021年11月未更新（要求1条/月）；2021年12月未更新（要求1条/月）")
    assert rows[1] == ("决策预公开", "1条/月", "发改局", 1, 1, 1, "达标", None)
    # A 1条/2周 column names its gap with the posts on either side.
    culture = next(r for r in rows if r[:3] == ("公共文化体育", "1条/2周", "教体局"))
    assert culture[6] == "不达标" and "2021-10-01（统计期初） → " in culture[7] and "无更新（要求1条/2周）" in culture[7]
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$2:$3"
    assert ws["A2"].font.name == "黑体" and ws["A4"].font.name == "宋体"          # not Calibri in WPS
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    fills = {ws.cell(row=i, column=1).value: ws.cell(row=i, column=1).fill.fgColor.rgb for i in range(4, 4 + len(rows))}
    assert fills["规范性文件"] == "FFFDE2E1" and fills["决策预公开"] != "FFFDE2E1"
    acc = wb["附件4 政务新媒体更新情况统计表"]
    assert [c.value for c in acc[3]][:5] == ["序号", "责任单位", "开设主体", "账号名称", "账号类型"]
    by_name = {r[3]: r for r in acc.iter_rows(min_row=4, max_row=23, values_only=True)}
    assert by_name["渭滨小警"][5:8] == (12, 7, "断更") and by_name["渭滨小警"][2] == "公安分局"
    assert by_name["渭滨司法"][5:8] == (12, 12, "否")
    assert by_name["城市之眼"][7] == "未监测"
    xj_row = next(i for i in range(4, 24) if acc.cell(row=i, column=4).value == "渭滨小警")
    assert acc.cell(row=xj_row, column=2).fill.fgColor.rgb == "FFFDE2E1"
    units = {r[0]: r for r in wb["未达标单位"].iter_rows(min_row=2, values_only=True)}
    assert set(units) == NOTICE_COLUMN_UNITS | {"公安分局", "姜谭工业园"}
    assert "财政资金直达基层（2021年12月未更新（要求1条/月））" in units["财政局"][1]
    # 明细: every post counted, one row each, with what the tables count.
    detail = list(wb["明细"].iter_rows(min_row=2, values_only=True))
    assert len(detail) == len(details) == store.conn.execute(
        "SELECT count(*) FROM posts WHERE day BETWEEN '2021-10-01' AND '2021-12-31'").fetchone()[0]
    eco = [r for r in detail if r[2] == "生态环境"]
    assert len(eco) == 23 and sum(r[10] == "补发" for r in eco) == 1
    xiaojing = [r for r in detail if r[2] == "渭滨小警"]
    assert sum(r[8] == "原创" for r in xiaojing) == 7 and any(r[8] == "转发" for r in xiaojing)


def test_html_is_self_contained_with_tables_and_heat_map(seeded):
    _, _, data = seeded
    text = write_text(data, "html")
    doc = lxml_html.fromstring(text)
    assert not doc.xpath("//link[@rel='stylesheet'] | //script[@src] | //img")
    tables = doc.xpath("//table")
    assert len(tables) == 3
    heat = doc.xpath("//table[contains(@class, 'heat')]")[0]
    rows = heat.xpath("./tbody/tr")
    assert len(rows) == len(columns()) + 19
    assert all(len(r.xpath("./td[contains(@class, 'cell')]")) == len(data["weeks"]) for r in rows)
    assert len(data["weeks"]) == 14
    bad_names = {r.xpath("./td[1]/text()")[0] for r in doc.xpath("//table[1]//tr[@class='bad']")}
    assert "规范性文件" in bad_names and "决策预公开" not in bad_names
    assert 'name="viewport"' in text
    # On a phone the verdict column stays in view; on paper the page is A4 landscape and tables are not clipped.
    assert len(doc.xpath("(//table)[1]//td[@class='verdict']")) == len(columns())
    assert "size: A4 landscape" in text and "position: sticky; right: 0" in text


def test_draft_notice_names_the_units(seeded, tmp_path):
    _, _, data = seeded
    text = write_text(data, "notice")
    problems = text.split("二、存在问题")[1].split("三、工作要求")[0]
    sentence = re.search(r"专栏内容更新不及时。(.*?)负责维护的专栏更新频次不达标", problems).group(1)
    assert set(sentence.split("、")) == NOTICE_COLUMN_UNITS
    assert "公安分局开设的微信公众号“渭滨小警”" in problems and "陕西姜谭经济技术开发区" in problems and "「" not in text.split("---")[0]
    assert "区政府网站41个责任栏目公开信息计" in text
    path = tmp_path / "notice.docx"
    write(data, "docx", path)
    from docx import Document

    doc = Document(path)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "专栏内容更新不及时" in body and len(doc.tables) == 2


def test_report_command_writes_each_format(seeded, tmp_path):
    cfg, _, _ = seeded
    for fmt, name in [("json", "r.json"), ("md", "r.md"), ("html", "r.html"), ("xlsx", "r.xlsx"), ("notice", "r.docx")]:
        out = tmp_path / name
        r = run_cli("--config", str(cfg.path), "report", "--period", "2021Q4", "--format", fmt, "-o", str(out))
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 500
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert set(NOTICE_COLUMN_UNITS) <= set(data["noncompliant_units"])


def test_the_draft_follows_gb_t_9704_and_the_offices_own_words(tmp_path, write_config):
    from dataclasses import asdict

    from docx import Document

    from monitor.config import ReportWords

    cfg, store = seed(tmp_path)
    data = build(cfg, store, *Q4)
    data["words"] = asdict(ReportWords(issuer="渭滨区人民政府办公室", office="区政府办", site="区政府门户网站",
                                       recipients="各镇人民政府、街道办事处：", column_attachment=1, account_attachment=2,
                                       contact="联系人：荣夺刚　电话：3128019", deadline="1月20日", signed="2022年1月17日"))
    path = tmp_path / "n.docx"
    write(data, "docx", path)
    doc = Document(path)
    first = doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)            # A4, not Letter
    assert [round(m.mm) for m in (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)] == [37, 35, 28, 26]
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "渭滨区人民政府办公室关于2021年四季度政务公开工作情况的通报"
    assert texts[1] == "各镇人民政府、街道办事处："
    assert doc.paragraphs[0].runs[0].font.name == "方正小标宋简体" and doc.paragraphs[0].runs[0].font.size.pt == 22
    heading = next(p for p in doc.paragraphs if p.text == "一、基本情况")
    assert heading.runs[0].font.name == "黑体"
    assert doc.styles["Normal"].font.name == "仿宋_GB2312" and doc.styles["Normal"].font.size.pt == 16
    body = "\n".join(texts)
    assert "区政府门户网站41个责任栏目" in body and "（具体见附件1）" in body and "（具体见附件2）" in body
    assert "须在1月20日前向区政府办提交书面整改报告" in body
    assert "附件：1. 2021年四季度区政府门户网站栏目更新统计表" in texts and "2. 2021年四季度政务新媒体更新情况统计表" in texts
    signed = texts.index("渭滨区人民政府办公室")                                           # 落款, 成文日期, 联系人
    assert texts[signed:signed + 3] == ["渭滨区人民政府办公室", "2022年1月17日", "（联系人：荣夺刚　电话：3128019）"]
    assert "附件1" in texts[signed + 3:]
    assert "「" not in body and "“渭滨小警”" in body                                       # mainland quotes
    footer = first.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in first.footer.paragraphs[0].text
    assert doc.settings.odd_and_even_pages_header_footer
    assert [t.rows[0].cells[2].text for t in doc.tables][1] == "开设主体"
    import zipfile

    fonts = zipfile.ZipFile(path).read("word/fontTable.xml").decode()                  # stand-ins for the 公文 fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts


def test_report_words_come_from_the_config(write_config, tmp_path):
    from .seed_q4_2021 import config_text

    path = tmp_path / "config.toml"
    path.write_text(config_text() + '\n[report]\nissuer = "某县人民政府办公室"\nsite = "县政府网站"\noffice = "县政府办"\n',
                    encoding="utf-8")
    from monitor.config import load

    cfg = load(path, env={})
    assert (cfg.report.issuer, cfg.report.site, cfg.report.office, cfg.report.column_attachment) == (
        "某县人民政府办公室", "县政府网站", "县政府办", 2)
    bad = tmp_path / "bad.toml"
    bad.write_text(config_text() + '\n[report]\nissur = "x"\n', encoding="utf-8")
    r = run_cli("--config", str(bad), "validate")
    assert r.returncode == 2 and "是否应为 issuer" in r.stderr
