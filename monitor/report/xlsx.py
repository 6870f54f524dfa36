"""The report as an XLSX workbook an officer opens in WPS and pastes into the notice."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..evidence.explain import summary
from ..evidence.posts import kind_words, time_of
from ..textutil import width
from .tables import Table, all_tables

MISSED_FILL = PatternFill("solid", start_color="FFFDE2E1", end_color="FFFDE2E1")
HEADER_FILL = PatternFill("solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
THIN = Side(style="thin", color="FF999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
# Named styles: one assignment per cell, which keeps a 10,000-row sheet quick to write.
BODY_FONT = "宋体"        # what WPS and Excel on an office PC have; the notice's tables are set in it
TITLE_FONT = "黑体"
STYLES = {
    "表头": dict(font=Font(name=BODY_FONT, size=11, bold=True), fill=HEADER_FILL),
    "单元格": dict(font=Font(name=BODY_FONT, size=11)),
    "未达标": dict(fill=MISSED_FILL, font=Font(name=BODY_FONT, size=11, color="FFB42318")),
    "未达标名称": dict(fill=MISSED_FILL, font=Font(name=BODY_FONT, size=11, color="FFB42318", bold=True)),
    "说明": dict(font=Font(name=BODY_FONT, size=10), alignment=LEFT),
    "未达标说明": dict(fill=MISSED_FILL, font=Font(name=BODY_FONT, size=10, color="FFB42318"), alignment=LEFT),
}
REMARK_WIDTH = 60       # the 说明 column: wide, wrapped
FIRST_ROW = 4           # rows 1–3: 附件N, the title, the header
LINE_HEIGHT = 15        # points per wrapped line


def _cell(ws, value, style: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if style:
        cell.style = style
    if cell.data_type == "f":   # text starting with '=' would be a formula in WPS and Excel: keep it text
        cell.data_type = "s"
    return cell


def _register_styles(wb: Workbook) -> None:
    for name, extra in STYLES.items():
        wb.add_named_style(NamedStyle(name=name, border=BORDER, **{"alignment": CENTER, **extra}))


def _style(bad: bool, j: int, t: Table) -> str:
    if t.headers[j - 1] == "说明":
        return "未达标说明" if bad else "说明"
    if bad:
        return "未达标名称" if j == t.name_col + 1 else "未达标"
    return "单元格"


def _sheet(wb: Workbook, t: Table) -> None:
    """One table as the notice prints it: 附件N, title, header, rows (missed ones highlighted), 备注.
    The workbook is written as a stream, so sizes and merges are declared before the rows."""
    ws = wb.create_sheet(f"{t.label} {t.short}"[:31])
    ncols = len(t.headers)
    widths = _column_widths(t)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.row_dimensions[1].height = 20
    ws.row_dimensions[2].height = 28
    for i, row in enumerate(t.rows, start=FIRST_ROW):
        # Spreadsheets do not grow a row for wrapped text written by a program: size it here.
        lines = max(-(-width(str(v)) // max(w - 2, 1)) for v, w in zip(row, widths))
        if lines > 1:
            ws.row_dimensions[i].height = LINE_HEIGHT * lines
    note_row = len(t.rows) + FIRST_ROW + 1
    ws.row_dimensions[note_row].height = 36
    ws.merged_cells.add(f"A2:{get_column_letter(ncols)}2")
    ws.merged_cells.add(f"A{note_row}:{get_column_letter(ncols)}{note_row}")
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"2:{FIRST_ROW - 1}"
    _print_setup(ws)
    label = _cell(ws, t.label)                  # 附件2, as the notice prints it above the table's title
    label.font = Font(name=TITLE_FONT, size=14)
    ws.append([label])
    title = _cell(ws, t.title)
    title.font, title.alignment = Font(name=TITLE_FONT, bold=True, size=16), CENTER
    ws.append([title])
    ws.append([_cell(ws, h, "表头") for h in t.headers])
    for row, bad in zip(t.rows, t.flagged):
        ws.append([_cell(ws, v, _style(bad, j, t)) for j, v in enumerate(row, start=1)])
    ws.append([])
    note = _cell(ws, f"备注：{t.note}")
    note.alignment, note.font = Alignment(wrap_text=True, vertical="top"), Font(name=BODY_FONT, size=10)
    ws.append([note])


def _column_widths(t: Table) -> list[int]:
    widths = []
    for j, header in enumerate(t.headers):
        longest = max([width(str(header))] + [width(str(r[j])) for r in t.rows])
        cap = REMARK_WIDTH if header == "说明" else 40
        widths.append(min(max(longest + 2, 6), cap))
    return widths


def _print_setup(ws) -> None:
    """A4 landscape, as wide as the page, as many pages long as needed; 第 N 页 共 M 页 at the bottom."""
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = BODY_FONT
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9     # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


EXCEL_ROWS = 1_048_576
DETAIL_HEADERS = ["类型", "编号", "栏目/账号", "单位", "日期", "时间", "标题", "链接", "原创/转发", "首次发现", "补发"]


def _details_sheet(wb: Workbook, details) -> None:
    """明细: every post counted in the tables, so each count can be checked post by post."""
    ws = wb.create_sheet("明细")
    for col, w in zip("ABCDEFGHIJK", (10, 10, 22, 14, 12, 7, 48, 40, 9, 17, 6)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    _print_setup(ws)
    ws.append([_cell(ws, h, "表头") for h in DETAIL_HEADERS])
    room, written, more = EXCEL_ROWS - 2, 0, 0
    for r in details:
        if written == room:
            more += 1
            continue
        values = ["栏目" if r["kind"] == "column" else "政务新媒体", r["source_id"], r["name"], r["unit"], r["day"],
                  time_of(r), r["title"], r["url"] or "", kind_words(r), r["first_seen"][:16].replace("T", " "),
                  "补发" if r["backdated"] else ""]
        if any(isinstance(v, str) and v.startswith("=") for v in values):
            values = [_cell(ws, v) for v in values]
        ws.append(values)
        written += 1
    if more:
        ws.append([f"（另有 {more} 条超出表格行数上限，请用 monitor posts 查看）"])
    ws.auto_filter.ref = f"A1:K{written + 1}"


def _with_evidence(row: dict) -> str:
    return f"{row['name']}（{summary(row['evidence'])}）" if row["evidence"] else row["name"]


def write_xlsx(data: dict, path: Path, details=None) -> None:
    """Write the workbook as a stream (openpyxl write-only): memory stays flat however many posts
    the 明细 sheet lists. ``details``: an iterable of post rows (``evidence.posts.posts_in``)."""
    wb = Workbook(write_only=True)
    _register_styles(wb)
    for table in all_tables(data):
        _sheet(wb, table)
    ws = wb.create_sheet("未达标单位")
    for col, w in zip("ABC", (22, 70, 60)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    _print_setup(ws)
    ws.append([_cell(ws, h, "表头") for h in ("单位", "未达标的栏目", "断更的政务新媒体")])
    for unit in data["noncompliant_units"]:
        cols = "、".join(_with_evidence(c) for c in data["columns"] if c["unit"] == unit and c["compliant"] is False)
        accs = "、".join(_with_evidence(a) for a in data["accounts"] if a["unit"] == unit and a["broken"] is True)
        ws.append([_cell(ws, v, "未达标") for v in (unit, cols, accs)])
    if details is not None:
        _details_sheet(wb, details)
    wb.save(path)
