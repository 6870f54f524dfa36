"""The notice's tables as rows of cells, shared by every output format.

附件2: 栏目名称, 更新频次, 保障单位, one count per month, 是否达标.
附件4: 序号, 责任单位, 账号名称, 账号类型, 应更新数, 实际更新数, 是否断更, 最长间隔.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..evidence.explain import summary

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


def _cell(n, note: str, late: int = 0):
    """A count as the office reads it: 3, 3（含补发1）, 3（部分（自11-17起））, 无数据, 未到."""
    if n is None:
        return note or NO_DATA
    text = f"{n}（含补发{late}）" if late else n
    return f"{text}（{note}）" if note else text


def _remarks(row: dict) -> str:
    """The 说明 cell: the evidence behind a verdict, or why there is none."""
    parts = [summary(row["evidence"])] if row["evidence"] else []
    if row.get("required_note"):
        parts.append(f"应更新数{row['required_note']}")
    if row["coverage_note"] and row["verdict"] != "no_data":
        parts.append(f"有效监测：{row['coverage_note']}")
    if row["verdict"] in ("partial", "no_data"):
        parts.append("未覆盖的日期不作判定")
    return "；".join(parts)


def column_table(data: dict) -> Table:
    months = list(data["columns"][0]["months"]) if data["columns"] else []
    rows, flagged = [], []
    for c in data["columns"]:
        cells = [c["name"], c["frequency"], c["unit"]]
        cells += [_cell(c["months"][m], c["month_notes"][m], c["months_backdated"][m]) for m in months]
        cells += [c["verdict_name"], _remarks(c)]
        rows.append(cells)
        flagged.append(c["compliant"] is False)
    units = data["noncompliant_column_units"]
    note = "更新频次不达标单位：" + ("、".join(units) if units else "无")
    if any(c["backdated"] for c in data["columns"]):
        note += "；“含补发”指发布日期早于首次发现日期 2 天以上的信息"
    note += _period_note(data)
    words = _words(data)
    return Table(f"附件{words['column_attachment']}", f"{data['period']['title']}{words['site']}栏目更新统计表",
                 ["栏目名称", "更新频次", "保障单位", *month_headers(months), "是否达标", "说明"], rows, flagged, note,
                 short=f"{words['site']}栏目更新统计表")


def _words(data: dict) -> dict:
    from dataclasses import asdict

    from ..config import ReportWords

    return data.get("words") or asdict(ReportWords())


def _period_note(data: dict) -> str:
    note = "；“无数据”指该时段未能完整读取，不作判定"
    if data.get("as_of_note"):
        note = f"；{data['as_of_note']}，统计期未结束，之后的日期不计入" + note
    return note


def account_table(data: dict) -> Table:
    rows, flagged = [], []
    for i, a in enumerate(data["accounts"], start=1):
        if not a["monitored"]:
            tail = ["", "", UNMONITORED, ""]
        elif a["originals"] is None:
            tail = [NO_DATA, NO_DATA, NO_DATA, ""]
        else:
            broken = {True: "断更", False: "否"}.get(a["broken"], a["verdict_name"])
            tail = [a["required"] if a["required"] is not None else NO_DATA, a["originals"], broken,
                    a["longest_gap"] if a["longest_gap"] is not None else ""]
        reposts = []
        if any("reposts" in x for x in data["accounts"]):
            reposts = [f"{a['reposts']}（要求{a['reposts_required']}）" if "reposts" in a else ""]
        rows.append([i, a["unit"], a.get("owner") or a["unit"], a["name"], a["platform_name"], *tail, *reposts,
                     _remarks(a) if a["monitored"] else ""])
        flagged.append(a["broken"] is True or a.get("reposts_missed") is True)
    broken = [f"{a['unit']}“{a['name']}”" for a in data["accounts"] if a["broken"]]
    note = f"不达标政务新媒体：{'、'.join(broken) or '无'}；要求：5个工作日内至少发布1篇原创信息（转发、转载不计）"
    note += _period_note(data)
    return Table(f"附件{_words(data)['account_attachment']}", f"{data['period']['title']}政务新媒体更新情况统计表",
                 ["序号", "责任单位", "开设主体", "账号名称", "账号类型", "应更新数", "实际更新数", "是否断更", "最长间隔（工作日）",
                  *(["转发（要求）"] if any("reposts" in x for x in data["accounts"]) else []), "说明"],
                 rows, flagged, note, name_col=3, short="政务新媒体更新情况统计表")


def submission_table(data: dict) -> Table | None:
    """附件1: 单位, 应报, 实报, 网站采用 — one unit a row (the seed prints two a row; that is layout only)."""
    facts = data.get("submissions")
    if not facts:
        return None
    rows, flagged = [], []
    for u in facts["units"]:
        rows.append([u["unit"], u["required"], "—" if u["submitted"] is None else u["submitted"], u["published"]])
        flagged.append(u["flagged"])
    zero = [u["unit"] for u in facts["units"] if u["zero"]]
    low = [u["unit"] for u in facts["units"] if u["flagged"] and not u["zero"]]
    if facts["unjudged"]:       # then no unit short of 应报 was judged: zero and low are empty
        note = f"零报送、未达应报数暂不判定：{facts['unjudged']}"
    else:
        note = f"零报送单位：{'、'.join(zero) or '无'}；未达应报数的单位：{'、'.join(low) or '无'}"
    note += "；“实报”来自后台导出（monitor import-submissions）" if facts["imported"] else "；未导入后台报送数据，“实报”暂缺，按网站采用数判断"
    if facts["unattributed"]:
        shown = "、".join(f"“{u['title'][:20]}”" for u in facts["unattributed"][:5])
        note += f"；未归属的信息 {len(facts['unattributed'])} 条（{shown}{'等' if len(facts['unattributed']) > 5 else ''}），请在 [[units]] 的 aliases 中补充单位别名"
    words = _words(data)
    return Table(f"附件{words.get('submission_attachment', 1)}", f"{data['period']['title']}政务信息报送情况统计表",
                 ["单位", "应报", "实报", "网站采用"], rows, flagged, note, short="政务信息报送情况统计表")


def board_table(data: dict) -> Table | None:
    """附件3: 单位, 承办数量, 办结数量, 逾期数量 (blank when none, as the seed prints it)."""
    facts = data.get("boards")
    if not facts:
        return None
    rows = [[u["unit"], u["received"], u["closed"], u["overdue"] or ""] for u in facts["units"]]
    flagged = [bool(u["overdue"]) for u in facts["units"]]
    late = "；".join(f"{x['unit']}“{x['title'][:20]}”（{x['asked']}留言，应于{x['deadline']}前办结，"
                    f"{'实际' + x['replied'] + '回复' if x['replied'] else '尚未办结'}）" for x in facts["late"][:10])
    note = f"逾期办理：{late or '无'}"
    words = _words(data)
    return Table(f"附件{words.get('board_attachment', 3)}", f"{data['period']['title']}网民留言办理情况统计表",
                 ["单位", "承办数量", "办结数量", "逾期数量"], rows, flagged, note, short="网民留言办理情况统计表")


def content_table(data: dict) -> Table | None:
    """内容问题: what the pages showed (personal data masked, error words, dead links), found and fixed when."""
    rows_in = data.get("content")
    if rows_in is None:
        return None
    rows = [[f["unit"], f["source"], f["title"], f["label"], f["excerpt"] + (f"；{f['fix']}" if f["kind"] == "wording" else ""),
             f["found"], f["resolved"] or "未整改"] for f in rows_in]
    flagged = [f["resolved"] is None for f in rows_in]
    open_count = sum(flagged)
    note = (f"共 {len(rows)} 处，未整改 {open_count} 处。身份证号、手机号码、银行卡号只显示遮盖后的片段；"
            "断链为相隔一天以上两次检查均无法打开的链接。")
    return Table("附表", f"{data['period']['title']}内容问题清单", ["单位", "栏目/账号", "信息标题", "问题类型", "摘录（已遮盖）",
                 "发现日期", "整改日期"], rows, flagged, note, name_col=0, short="内容问题清单")


def site_table(data: dict) -> Table | None:
    """网站与新媒体体检: each national line, its measured value, the line, 达标 / 单项否决 / 无数据."""
    items = data.get("sitecheck")
    if items is None:
        return None
    rows = [[i["name"], i["value"], i["rule"], i["verdict"]] for i in items]
    note = f"依据{data.get('sitecheck_source', '')}；测量时点 {data.get('sitecheck_at', '')}。无数据：监测不足，不作判断。"
    return Table("附表", f"{data['period']['title']}网站与新媒体体检", ["项目", "测量值", "标准", "结论"], rows,
                 [i["verdict"] == "单项否决" for i in items], note, short="网站与新媒体体检")


def all_tables(data: dict) -> list[Table]:
    """The notice's tables in attachment order, then the office's own (内容问题, 体检)."""
    tables = [t for t in (submission_table(data), column_table(data), board_table(data), account_table(data)) if t is not None]
    tables.sort(key=lambda t: int(t.label.removeprefix("附件")))
    return tables + [t for t in (content_table(data), site_table(data)) if t is not None]
