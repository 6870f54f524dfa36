"""``monitor import-submissions FILE.csv --period 2021Q4``: 实报 from the CMS back office's CSV export.

Columns 单位, 标题, 日期 (a header row names them; extra columns are ignored). Each unit is matched
through names and aliases like submitted titles are. Every bad row is reported with its line number;
nothing is stored unless every row is good, and importing a period again replaces it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from ..collect.dates import find_date
from ..config import Config
from ..store import Store, iso
from .attribute import alias_table, normalise

NEEDED = ("单位", "标题", "日期")


class ImportError_(ValueError):
    """The file cannot be imported; the message lists every bad row."""


def read_rows(path: Path, config: Config, start: dt.date, end: dt.date) -> list[tuple[str, str, dt.date]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):       # a CMS export opened and saved in WPS is often GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in NEEDED if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportError_(f"{path.name}：表头缺少 {'、'.join(missing)}（应有列：单位、标题、日期）")
    aliases = alias_table(config.units.values())
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        unit = aliases.get(normalise(row.get("单位") or ""))
        day = find_date(row.get("日期") or "")
        title = (row.get("标题") or "").strip()
        if unit is None:
            problems.append(f"第 {line} 行：单位“{row.get('单位')}”不在 [[units]] 的名称或 aliases 中")
        elif day is None:
            problems.append(f"第 {line} 行：日期“{row.get('日期')}”无法识别")
        elif not title:
            problems.append(f"第 {line} 行：标题为空")
        else:
            day = day.date() if isinstance(day, dt.datetime) else day
            if not start <= day <= end:
                problems.append(f"第 {line} 行：日期 {day} 不在统计期 {start} 至 {end} 内")
            else:
                rows.append((unit, title, day))
    if problems:
        raise ImportError_(f"{path.name} 有 {len(problems)} 行无法导入，未导入任何数据：\n" + "\n".join(f"  {p}" for p in problems))
    return rows


def import_submissions(store: Store, config: Config, path: Path, period: str, start: dt.date, end: dt.date,
                       now: dt.datetime) -> int:
    rows = read_rows(path, config, start, end)
    with store.transaction():
        store.conn.execute("DELETE FROM submissions WHERE period = ?", (period,))
        store.conn.executemany(
            "INSERT OR IGNORE INTO submissions (period, unit, title, day, imported) VALUES (?, ?, ?, ?, ?)",
            [(period, unit, title, day.isoformat(), iso(now)) for unit, title, day in rows])
    return len(rows)
