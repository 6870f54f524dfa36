"""The notice's tables as rows of cells, shared by every output format.

附件2: 栏目名称, 更新频次, 保障单位, one count per month, 是否达标.
附件4: 序号, 责任单位, 账号名称, 账号类型, 应更新数, 实际更新数, 是否断更, 最长间隔.
"""

from __future__ import annotations

from dataclasses import dataclass

NO_DATA = "无数据"
UNMONITORED = "未监测"


@dataclass
class Table:
    label: str                 # 附件2
    title: str                 # 2021年四季度区政府网站栏目更新统计表
    headers: list[str]
    rows: list[list]           # cells: str or int
    flagged: list[bool]        # rows to highlight (missed the rule)
    note: str                  # 备注
    name_col: int = 0          # the column that names the row (kept in view when scrolling)
    short: str = ""            # the title without the period, for sheet names


def month_headers(months: list[str]) -> list[str]:
    years = {m[:4] for m in months}
    return [f"{int(m[5:])}月" if len(years) == 1 else f"{m[:4]}年{int(m[5:])}月" for m in months]


def column_table(data: dict) -> Table:
    months = list(data["columns"][0]["months"]) if data["columns"] else []
    rows, flagged = [], []
    for c in data["columns"]:
        no_data = c["compliant"] is None
        cells = [c["name"], c["frequency"], c["unit"]]
        for m in months:
            n, late = c["months"][m], c["months_backdated"][m]
            cells.append("—" if no_data else (f"{n}（含补发{late}）" if late else n))
        cells.append(NO_DATA if no_data else ("达标" if c["compliant"] else "不达标"))
        rows.append(cells)
        flagged.append(c["compliant"] is False)
    units = data["noncompliant_column_units"]
    note = "更新频次不达标单位：" + ("、".join(units) if units else "无")
    if any(c["backdated"] for c in data["columns"]):
        note += "；“含补发”指发布日期早于首次发现日期 2 天以上的信息"
    return Table("附件2", f"{data['period']['title']}区政府网站栏目更新统计表",
                 ["栏目名称", "更新频次", "保障单位", *month_headers(months), "是否达标"], rows, flagged, note,
                 short="区政府网站栏目更新统计表")


def account_table(data: dict) -> Table:
    rows, flagged = [], []
    for i, a in enumerate(data["accounts"], start=1):
        if not a["monitored"]:
            tail = ["", "", UNMONITORED, ""]
        elif a["broken"] is None:
            tail = [a["required"], NO_DATA, NO_DATA, ""]
        else:
            tail = [a["required"], a["originals"], "断更" if a["broken"] else "否", a["longest_gap"]]
        rows.append([i, a["unit"], a["name"], a["platform_name"], *tail])
        flagged.append(a["broken"] is True)
    broken = [f"{a['unit']}「{a['name']}」" for a in data["accounts"] if a["broken"]]
    note = f"不达标政务新媒体：{'、'.join(broken) or '无'}；要求：5个工作日内至少发布1篇原创信息（转发、转载不计）"
    return Table("附件4", f"{data['period']['title']}政务新媒体更新情况统计表",
                 ["序号", "责任单位", "账号名称", "账号类型", "应更新数", "实际更新数", "是否断更", "最长间隔（工作日）"],
                 rows, flagged, note, name_col=2, short="政务新媒体更新情况统计表")
