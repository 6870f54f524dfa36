"""Column discovery: crawl a site, keep its dated lists, print them as config entries."""

from __future__ import annotations

import json
import re

from .crawl import Crawl, Found, discover, unit_name
from .presets import DEFAULT_PRESETS, Preset, frequency_for

__all__ = ["Crawl", "Found", "discover", "unit_name", "DEFAULT_PRESETS", "Preset", "frequency_for", "as_toml"]


def column_id(url: str, taken: set[str]) -> str:
    """A stable id from the URL's path: /czj/czzj/index.html → czj-czzj."""
    from urllib.parse import urlsplit

    parts = [p for p in urlsplit(url).path.split("/") if p and not re.fullmatch(r"(index|list|default)(_\d+)?\.\w+", p)]
    base = re.sub(r"[^a-z0-9_-]+", "-", "-".join(parts).lower()).strip("-")[:48] or "column"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    taken.add(ident)
    return ident


def as_toml(crawl: Crawl, start: str, presets: list[Preset] | None = None, known_units: set[str] | None = None) -> str:
    """The found columns as [[units]] and [[columns]] entries to paste into config.toml."""
    lines = [f"# monitor discover {start}：读取 {crawl.pages} 个页面，找到 {len(crawl.columns)} 个带日期列表的栏目。",
             "# 请核对栏目名称、责任单位和更新频次；未写选择器的栏目由程序自动识别列表。", ""]
    units = list(dict.fromkeys(f.unit for f in crawl.columns if f.unit))
    for unit in units:
        if known_units is None or unit not in known_units:
            lines += ["[[units]]", f"name = {json.dumps(unit, ensure_ascii=False)}", ""]
    taken: set[str] = set()
    for found in crawl.columns:
        preset = frequency_for(found.name, presets)
        lines += [
            "[[columns]]",
            f"id = {json.dumps(column_id(found.url, taken))}",
            f"name = {json.dumps(found.name, ensure_ascii=False)}",
            f"unit = {json.dumps(found.unit or '待定', ensure_ascii=False)}" + ("" if found.unit else "   # 未能识别责任单位，请填写"),
            f"frequency = {json.dumps(str(preset.rule), ensure_ascii=False)}   # {preset.note}",
            f"url = {json.dumps(found.url)}",
            f"# 自动识别的列表：item = {json.dumps(found.item_selector, ensure_ascii=False)}（{found.items} 条，最近 {found.newest}）",
            "",
        ]
    if crawl.failed:
        lines += ["# 读取失败的页面：", *(f"#   {f}" for f in crawl.failed[:20])]
    return "\n".join(lines) + "\n"
