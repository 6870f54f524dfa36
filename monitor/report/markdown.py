"""The report as Markdown, for the log and for pasting."""

from __future__ import annotations

from .tables import Table, all_tables


def _table(t: Table) -> list[str]:
    def cell(v) -> str:
        return str(v).replace("|", "\\|")

    out = [f"## {t.label} {t.title}", "", "| " + " | ".join(t.headers) + " |", "|" + "---|" * len(t.headers)]
    for row, bad in zip(t.rows, t.flagged):
        cells = [cell(v) for v in row]
        if bad:
            cells = [f"**{c}**" if c else c for c in cells]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", f"备注：{t.note}", ""]
    return out


def render_markdown(data: dict) -> str:
    p = data["period"]
    lines = [f"# {p['title']}政务公开监测统计（{p['start']} 至 {p['end']}）", ""]
    if data.get("as_of_note"):
        lines += [f"**{data['as_of_note']}**（统计期尚未结束，之后的日期不计入、不判定）", ""]
    for table in all_tables(data):
        lines += _table(table)
    units = data["noncompliant_units"]
    lines += ["## 未达标单位", "", "、".join(units) if units else "无", ""]
    return "\n".join(lines)
