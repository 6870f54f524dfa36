"""A column's required frequency guessed from its name, as the national site rules set them.

The office can override these with ``[[presets]]`` tables in config.toml (``pattern`` a regular
expression matched against the column's name, ``frequency`` the rule); the first match wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.rules import Rule, parse_rule


@dataclass(frozen=True)
class Preset:
    pattern: re.Pattern
    rule: Rule
    note: str = ""


# 国办秘函〔2019〕19号 and the national 普查 rules: news columns at least every two weeks, notices and
# policy columns every six months (written as 183 days: rules count months only as calendar months),
# personnel, budget and statistics reports once a year.
NEWS_NAMES = re.compile(r"动态|要闻|新闻|工作信息|图片")
NOTICE_NAMES = re.compile(r"通知公告|公告|通知|政策文件|规范性文件|政策解读")
DEFAULT_PRESETS = [
    Preset(NEWS_NAMES, parse_rule("1条/2周"), "动态、要闻类：2周内至少1条"),
    Preset(NOTICE_NAMES, parse_rule("1条/183天"), "通知公告、政策文件类：6个月内至少1条"),
    Preset(re.compile(r"人事|预决算|预算|决算|统计年报|年报"), parse_rule("1条/年"), "人事、预决算、年报类：每年至少1条"),
]
FALLBACK = Preset(re.compile(""), parse_rule("1条/月"), "未匹配预设，请核对")


def frequency_for(name: str, presets: list[Preset] | None = None) -> Preset:
    for preset in (presets if presets else DEFAULT_PRESETS):
        if preset.pattern.search(name):
            return preset
    return FALLBACK
