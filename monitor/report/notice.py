"""A draft 通报 in the notice's own sentence patterns: the officer edits it rather than writes it."""

from __future__ import annotations

from pathlib import Path

from ..evidence.explain import summary
from .tables import account_table, column_table


IN_TOTAL = "等 {total} 处"


def _facts(data: dict) -> dict:
    cols, accs = data["columns"], data["accounts"]
    monitored = [a for a in accs if a["monitored"]]
    broken = [a for a in accs if a["broken"]]
    return {
        "title": data["period"]["title"],
        "n_columns": len(cols),
        "column_posts": sum(c["total"] or 0 for c in cols),
        "n_accounts": len(accs),
        "n_account_units": len({a["unit"] for a in accs}),
        "account_posts": sum(a["posts"] or 0 for a in monitored),
        "originals": sum(a["originals"] or 0 for a in monitored),
        "column_units": data["noncompliant_column_units"],
        "missed_columns": [c for c in cols if c["compliant"] is False],
        "broken": broken,
        "no_data": [c["name"] for c in cols if c["verdict"] == "no_data"] + [a["name"] for a in monitored if a["verdict"] == "no_data"],
        "partial": [c["name"] for c in cols if c["verdict"] == "partial"] + [a["name"] for a in monitored if a["verdict"] == "partial"],
        "as_of_note": data.get("as_of_note", ""),
    }


def paragraphs(data: dict) -> list[tuple[str, str]]:
    """(style, text) pairs: title, salutation, heading, body."""
    f = _facts(data)
    out = [("title", f"关于{f['title']}政务公开工作情况的通报（草稿）")]
    if f["as_of_note"]:
        out.append(("body", f"（{f['as_of_note']}。统计期尚未结束，以下情况只反映此前的更新，之后的日期不计入。）"))
    out += [("salutation", "各镇人民政府、街道办事处，区政府各部门，区直各单位："),
           ("body", f"根据政务公开工作绩效评估指标要求，区政府办对{f['title']}各镇街、各部门政府网站栏目和政务新媒体更新情况进行了检查。现将有关情况通报如下："),
           ("heading", "一、基本情况"),
           ("body", f"1. 政府信息公开栏目更新情况。区政府网站{f['n_columns']}个责任栏目公开信息计{f['column_posts']}条（具体见附件2）。"),
           ("body", f"2. 政务新媒体管理情况。纳入监测的政务新媒体账号共 {f['n_accounts']} 个，涉及单位 {f['n_account_units']} 家，"
                    f"共发布信息 {f['account_posts']} 条，其中原创 {f['originals']} 条（具体见附件4）。"),
           ("heading", "二、存在问题")]
    n = 0
    if f["column_units"]:
        n += 1
        facts = "；".join(f"{c['unit']}「{c['name']}」{summary(c['evidence'], 2, IN_TOTAL)}" for c in f["missed_columns"])
        out.append(("body", f"{n}. 专栏内容更新不及时。{'、'.join(f['column_units'])}负责维护的专栏更新频次不达标，重视程度有待加强，"
                            "对政府门户网站维护目标任务和要求不明确，未落实专人负责政府网站内容保障，网站信息更新不及时，政府信息公开滞后。"
                            f"其中：{facts}。"))
    if f["broken"]:
        n += 1
        who = "；".join(f"{a['unit']}开设的{a['platform_name']}「{a['name']}」（{summary(a['evidence'], 2, IN_TOTAL)}）"
                       for a in f["broken"])
        out.append(("body", f"{n}. 政务新媒体发布不规范。{who}，存在断更问题。"))
    if not n:
        out.append(("body", "本季度各单位栏目和政务新媒体均按要求频次更新。"))
    if f["no_data"]:
        out.append(("body", f"（核对提示：{'、'.join(f['no_data'])} 本期没有监测数据，未作判定，请人工核实。）"))
    if f["partial"]:
        out.append(("body", f"（核对提示：{'、'.join(f['partial'])} 本期只有部分日期有监测数据，已有数据未发现问题，其余日期未作判定，请人工核实。）"))
    out += [("heading", "三、工作要求"),
            ("body", "各单位要对照通报列举的问题认真检查，举一反三，限期整改。栏目和政务新媒体要落实专人负责，按要求频次更新，"
                     "政务新媒体5个工作日内至少发布1篇原创信息。以上通报涉及的单位须在规定时间内向区政府办提交书面整改报告。"),
            ("body", "附件：2. 区政府网站栏目更新统计表　4. 政务新媒体更新情况统计表")]
    return out


def render_notice(data: dict) -> str:
    lines = []
    for style, text in paragraphs(data):
        lines += [f"# {text}" if style == "title" else f"## {text}" if style == "heading" else text, ""]
    from .markdown import render_markdown

    return "\n".join(lines) + "\n---\n\n" + render_markdown(data).split("\n", 2)[2]


def write_docx(data: dict, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    for kind, text in paragraphs(data):
        if kind == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            run.bold, run.font.size = True, Pt(20)
        elif kind == "heading":
            p = doc.add_paragraph()
            p.add_run(text).bold = True
        elif kind == "salutation":
            doc.add_paragraph(text)
        else:
            doc.add_paragraph(text).paragraph_format.first_line_indent = Pt(28)
    for table in (column_table(data), account_table(data)):
        section = doc.add_section()
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
        doc.add_paragraph(table.label)
        heading = doc.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(table.title).bold = True
        t = doc.add_table(rows=1, cols=len(table.headers))
        t.style = "Table Grid"
        for cell, h in zip(t.rows[0].cells, table.headers):
            cell.text = h
        for row, bad in zip(table.rows, table.flagged):
            cells = t.add_row().cells
            for cell, v in zip(cells, row):
                cell.text = str(v)
                if bad:
                    for run in cell.paragraphs[0].runs:
                        run.font.color.rgb = RGBColor(0xB4, 0x23, 0x18)
                        run.bold = True
        doc.add_paragraph(f"备注：{table.note}")
    doc.save(path)
