"""A draft 通报 in the notice's own sentence patterns: the officer edits it rather than writes it."""

from __future__ import annotations

from pathlib import Path

from ..evidence.explain import summary
from .tables import all_tables


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
    """(style, text) pairs: title, salutation, heading, body, attachments, signature, date, contact.
    Every office-specific word comes from ``data["words"]`` ([report] in config.toml)."""
    f = _facts(data)
    w = _words(data)
    col_no, acc_no = w["column_attachment"], w["account_attachment"]
    out = [("title", f"{w['issuer']}关于{f['title']}政务公开工作情况的通报")]
    if f["as_of_note"]:
        out.append(("body", f"（{f['as_of_note']}。统计期尚未结束，以下情况只反映此前的更新，之后的日期不计入。）"))
    out += [("salutation", w["recipients"]),
            ("body", f"根据政务公开工作绩效评估指标要求，{w['office']}对{f['title']}各镇街、各部门政府网站栏目和政务新媒体更新情况进行了检查。"
                     "现将有关情况通报如下："),
            ("heading", "一、基本情况")]
    basics = []
    subs = data.get("submissions")
    if subs:
        sub_no = w.get("submission_attachment", 1)
        published = sum(u["published"] for u in subs["units"])
        if subs["imported"]:
            submitted = sum(u["submitted"] or 0 for u in subs["units"])
            basics.append(f"政务信息报送及采用情况。各单位共报送政务信息{submitted}条，网站采用{published}条（具体见附件{sub_no}）。")
        else:
            basics.append(f"政务信息报送及采用情况。{w['site']}采用各单位报送的政务信息{published}条（具体见附件{sub_no}）。")
    basics.append(f"政府信息公开栏目更新情况。{w['site']}{f['n_columns']}个责任栏目公开信息计{f['column_posts']}条（具体见附件{col_no}）。")
    boards = data.get("boards")
    if boards:
        received = sum(u["received"] for u in boards["units"])
        closed = sum(u["closed"] for u in boards["units"])
        late = "，".join(f"{u['unit']}逾期办理{u['overdue']}条" for u in boards["units"] if u["overdue"])
        basics.append(f"网民留言办理情况。受理网民留言共计{received}条，办结{closed}条"
                      f"{'，' + late if late else ''}（具体见附件{w.get('board_attachment', 3)}）。")
    basics.append(f"政务新媒体管理情况。纳入监测的政务新媒体账号共{f['n_accounts']}个，涉及单位{f['n_account_units']}家，"
                  f"共发布信息{f['account_posts']}条，其中原创{f['originals']}条（具体见附件{acc_no}）。")
    out += [("body", f"{i}. {text}") for i, text in enumerate(basics, start=1)]
    out.append(("heading", "二、存在问题"))
    n = 0
    zero = [u["unit"] for u in subs["units"] if u["zero"]] if subs else []
    if zero:
        n += 1
        out.append(("body", f"{n}. 政务信息报送不积极。{'、'.join(zero)}{len(zero)}家单位未按要求时限和频次报送，报送数量为0。"))
    if f["column_units"]:
        n += 1
        facts = "；".join(f"{c['unit']}“{c['name']}”{summary(c['evidence'], 2, IN_TOTAL)}" for c in f["missed_columns"])
        out.append(("body", f"{n}. 专栏内容更新不及时。{'、'.join(f['column_units'])}负责维护的专栏更新频次不达标，重视程度有待加强，"
                            f"对政府门户网站维护目标任务和要求不明确，未落实专人负责{w['site']}内容保障，网站信息更新不及时，政府信息公开滞后。"
                            f"其中：{facts}。"))
    if f["broken"]:
        n += 1
        who = "；".join(f"{a['owner'] or a['unit']}开设的{a['platform_name']}“{a['name']}”（{summary(a['evidence'], 2, IN_TOTAL)}）"
                       for a in f["broken"])
        out.append(("body", f"{n}. 政务新媒体发布不规范。{who}，存在断更问题。"))
    late_units = [u for u in (data.get("boards") or {}).get("units", []) if u["overdue"]]
    if late_units:
        n += 1
        who = "、".join(f"{u['unit']}逾期办理{u['overdue']}条" for u in late_units)
        out.append(("body", f"{n}. 网民留言办理不及时。{who}，未在{w.get('board_reply', '规定的')}时限内答复。"))
    short = [a for a in data["accounts"] if a.get("reposts_missed")]
    if short:
        n += 1
        who = "；".join(f"{a['owner'] or a['unit']}开设的{a['platform_name']}“{a['name']}”未按要求转发{'、'.join(a['reposts_from'])}"
                       f"的信息（要求{a['reposts_rule']}，转发数量为{a['reposts']}）" for a in short)
        out.append(("body", f"{n}. 政务新媒体转发不到位。{who}。"))
    found: dict[str, list[str]] = {}
    for finding in data.get("content") or []:
        found.setdefault(finding["unit"], []).append(finding["label"])
    if found:
        n += 1
        who = "；".join(f"{unit}{len(labels)}处（{'、'.join(dict.fromkeys(labels))}）" for unit, labels in found.items())
        out.append(("body", f"{n}. 发布内容把关不严。{who}，存在个人信息未去标识化、错别字或链接无法打开等问题（具体见内容问题清单）。"))
    vetoes = [i for i in data.get("sitecheck") or [] if i["verdict"] == "单项否决"]
    if vetoes:
        n += 1
        lines = "；".join(f"{i['name']}：{i['value']}" for i in vetoes)
        out.append(("body", f"{n}. 对照国家政府网站与政务新媒体检查指标，{lines}，达到单项否决标准。"))
    if not n:
        out.append(("body", "本期各单位栏目和政务新媒体均按要求频次更新。"))
    if f["no_data"]:
        out.append(("body", f"（核对提示：{'、'.join(f['no_data'])}本期没有监测数据，未作判定，请人工核实。）"))
    if f["partial"]:
        out.append(("body", f"（核对提示：{'、'.join(f['partial'])}本期只有部分日期有监测数据，已有数据未发现问题，其余日期未作判定，请人工核实。）"))
    deadline = f"在{w['deadline']}前" if w["deadline"] else "在规定时间内"
    out += [("heading", "三、工作要求"),
            ("body", "各单位要对照通报列举的问题认真检查，举一反三，限期整改。栏目和政务新媒体要落实专人负责，按要求频次更新，"
                     f"政务新媒体5个工作日内至少发布1篇原创信息。以上通报涉及的单位须{deadline}向{w['office']}提交书面整改报告"
                     "（单位主要负责同志签字并盖单位公章）。"),
            *_attachment_lines(data),
            ("signature", w["issuer"]),
            ("date", w["signed"] or _chinese_date(data.get("generated")))]
    if w["contact"]:
        out.append(("contact", f"（{w['contact']}）"))
    return out


def _attachment_lines(data: dict) -> list[tuple[str, str]]:
    names = [f"{t.label.removeprefix('附件')}. {t.title}" for t in all_tables(data)]
    return [("attachments", ("附件：" if i == 0 else "") + name) for i, name in enumerate(names)]


def _words(data: dict) -> dict:
    from .tables import _words as table_words

    return table_words(data)


def _chinese_date(iso: str | None) -> str:
    import datetime as dt

    day = dt.datetime.fromisoformat(iso).date() if iso else dt.date.today()
    return f"{day.year}年{day.month}月{day.day}日"


def render_notice(data: dict) -> str:
    lines = ["> 本稿由政务公开监测生成，请核对后使用。", ""]
    for style, text in paragraphs(data):
        lines += [f"# {text}" if style == "title" else f"## {text}" if style == "heading" else text, ""]
    from .markdown import render_markdown

    return "\n".join(lines) + "\n---\n\n" + render_markdown(data).split("\n", 2)[2]


# GB/T 9704-2012: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters
# with 三号 (16 pt) text; title 二号 (22 pt) 方正小标宋简体; 一级标题 黑体, 二级标题 楷体_GB2312, body
# 仿宋_GB2312; page numbers 四号 “— 1 —”, odd pages right, even pages left, one character in.
TITLE_FONT, BODY_FONT, HEADING_FONT, NUMBER_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "宋体"
# What Word and WPS use where the 公文 fonts are not installed (a PC without the 方正 or _GB2312 fonts).
FALLBACKS = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}
BODY_PT, TITLE_PT, LINE_PT = 16, 22, 28.95


def write_docx(data: dict, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    _font(doc.styles["Normal"], BODY_FONT, BODY_PT)
    body_format = doc.styles["Normal"].paragraph_format
    body_format.line_spacing_rule, body_format.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
    body_format.space_before = body_format.space_after = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_numbers(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_numbers(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    for kind, text in paragraphs(data):
        p = doc.add_paragraph()
        run = p.add_run(text)
        if kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run_font(run, TITLE_FONT, TITLE_PT)
            p.paragraph_format.line_spacing = Pt(35)
            p.paragraph_format.space_after = Pt(LINE_PT)
        elif kind == "heading":
            _run_font(run, HEADING_FONT, BODY_PT)
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        elif kind in ("signature", "date"):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(BODY_PT * 4)
            if kind == "signature":
                p.paragraph_format.space_before = Pt(LINE_PT * 2)
        elif kind == "attachments":
            p.paragraph_format.left_indent = Pt(BODY_PT * (2 if text.startswith("附件") else 5))
        elif kind == "contact":
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        elif kind != "salutation":
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    for table in all_tables(data):
        section = doc.add_section()
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(28), Mm(26), Mm(37), Mm(35)
        label = doc.add_paragraph()
        _run_font(label.add_run(table.label), HEADING_FONT, BODY_PT)
        heading = doc.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run_font(heading.add_run(table.title), TITLE_FONT, 18)
        t = doc.add_table(rows=1, cols=len(table.headers))
        t.style = "Table Grid"
        for cell, h in zip(t.rows[0].cells, table.headers):
            _cell_text(cell, h, bold=True)
        for row, bad in zip(table.rows, table.flagged):
            for cell, v in zip(t.add_row().cells, row):
                run = _cell_text(cell, v, bold=bad)
                if bad:
                    run.font.color.rgb = RGBColor(0xB4, 0x23, 0x18)
        note = doc.add_paragraph()
        _run_font(note.add_run(f"备注：{table.note}"), BODY_FONT, 12)
    _declare_fallbacks(doc)
    doc.save(path)


def _declare_fallbacks(doc) -> None:
    """Name a stand-in for each 公文 font in the document's font table (``w:altName``)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    table = parse_xml(part.blob)
    for name, alt in FALLBACKS.items():
        font = next((f for f in table.findall(qn("w:font")) if f.get(qn("w:name")) == name), None)
        if font is None:
            font = parse_xml(f'<w:font {nsdecls("w")} w:name="{name}"/>')
            table.append(font)
        font.insert(0, parse_xml(f'<w:altName {nsdecls("w")} w:val="{alt}"/>'))
        font.append(parse_xml(f'<w:charset {nsdecls("w")} w:val="86"/>'))   # GB2312
    from lxml import etree

    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _font(style, name: str, size: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name, style.font.size = name, Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _run_font(run, name: str, size: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name, run.font.size = name, Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _cell_text(cell, value, bold: bool = False):
    from docx.enum.text import WD_LINE_SPACING

    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.first_line_indent = None
    run = p.add_run(str(value))
    _run_font(run, BODY_FONT, 10.5)
    run.bold = bold
    return run


def _page_numbers(footer, alignment) -> None:
    """“— 1 —” in 四号 宋体, one character in from the outside edge."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = footer.paragraphs[0]
    p.alignment = alignment
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(14)
    p.paragraph_format.first_line_indent = None
    _run_font(p.add_run("— "), NUMBER_FONT, 14)
    run = p.add_run()
    _run_font(run, NUMBER_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _run_font(p.add_run(" —"), NUMBER_FONT, 14)
