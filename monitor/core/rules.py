"""Update-frequency rules as the office writes them: 1条/月, 1条/2周, 1条/5个工作日 …"""

from __future__ import annotations

import re
from dataclasses import dataclass

EXAMPLES = "1条/月、1条/2周、1条/季度、1条/5个工作日"

# Calendar units: a period is one week (Mon–Sun), month, quarter or year.
CALENDAR_UNITS = ("week", "month", "quarter", "year")
# Rolling units: every run of `length` days / working days must hold `count` posts.
ROLLING_UNITS = ("day", "workday")

_UNIT_WORDS = {
    "周": "week", "星期": "week", "week": "week", "weeks": "week", "wk": "week",
    "月": "month", "个月": "month", "month": "month", "months": "month",
    "季度": "quarter", "季": "quarter", "quarter": "quarter", "quarters": "quarter",
    "年": "year", "year": "year", "years": "year",
    "天": "day", "日": "day", "自然日": "day", "day": "day", "days": "day",
    "工作日": "workday", "个工作日": "workday", "workday": "workday", "workdays": "workday",
    "working day": "workday", "working days": "workday", "business day": "workday",
    "business days": "workday",
}

_RULE_RE = re.compile(
    r"^(?P<count>\d+)\s*(?:条|篇|次|posts?|items?)?\s*(?:/|per|每)\s*(?P<length>\d+)?\s*(?P<unit>[^\d\s].*)$",
    re.IGNORECASE,
)


MAX_COUNT = 1000                                      # posts a rule may ask for
MAX_LENGTH = {"day": 3660, "workday": 2500, "week": 520}  # about ten years


def unit_word(unit: str) -> str:
    return {"week": "周", "month": "月", "quarter": "季度", "year": "年", "day": "天", "workday": "个工作日"}[unit]


class RuleError(ValueError):
    """Raised for a frequency text that is not a rule."""


@dataclass(frozen=True)
class Rule:
    count: int
    unit: str        # week | month | quarter | year | day | workday
    length: int = 1  # 2 in 1条/2周; 5 in 1条/5个工作日
    text: str = ""   # as written in the config, for messages

    @property
    def is_calendar(self) -> bool:
        return self.unit in CALENDAR_UNITS

    @property
    def is_workday(self) -> bool:
        return self.unit == "workday"

    def describe(self) -> str:
        """The rule in plain Chinese words."""
        if self.is_calendar:
            name = {"week": "每周(周一至周日)", "month": "每个自然月", "quarter": "每季度", "year": "每年"}[self.unit]
            return f"{name}至少{self.count}条"
        if self.is_workday:
            return f"任意连续{self.length}个工作日内至少{self.count}条"
        return f"任意连续{self.length}天内至少{self.count}条"

    def __str__(self) -> str:
        return self.text or canonical_text(self)


def canonical_text(rule: Rule) -> str:
    unit = unit_word(rule.unit)
    length = "" if rule.length == 1 and rule.unit in CALENDAR_UNITS else str(rule.length)
    return f"{rule.count}条/{length}{unit}"


def parse_rule(text: str) -> Rule:
    """Parse a frequency such as ``1条/2周`` or ``1 per 2 weeks``.

    >>> parse_rule("1条/2周")
    Rule(count=1, unit='day', length=14, text='1条/2周')
    """
    if not isinstance(text, str):
        raise RuleError(f"更新频次应为文字（示例：{EXAMPLES}）")
    compact = re.sub(r"\s+", " ", text.strip())
    # "1 条/2 周" as typed in the notice: drop the spaces around CJK characters.
    compact = re.sub(r"\s*([\u4e00-\u9fff/])\s*", r"\1", compact)
    m = _RULE_RE.match(compact)
    unit = _UNIT_WORDS.get(m.group("unit").strip().lower()) if m else None
    if not m or unit is None:
        raise RuleError(f"不是有效的更新频次（示例：{EXAMPLES}）")
    count = int(m.group("count"))
    length = int(m.group("length") or 1)
    if count < 1 or length < 1:
        raise RuleError(f"条数和周期长度至少为1（示例：{EXAMPLES}）")
    if count > MAX_COUNT:
        raise RuleError(f"条数不能超过 {MAX_COUNT}（示例：{EXAMPLES}）")
    if length > MAX_LENGTH.get(unit, 1):
        raise RuleError(f"周期太长：{unit_word(unit)}最多 {MAX_LENGTH.get(unit, 1)}（示例：{EXAMPLES}）")
    if unit == "week" and length > 1:
        unit, length = "day", 7 * length
    elif unit in ("month", "quarter", "year") and length > 1:
        raise RuleError(f"按月、季度、年计的频次只支持1个周期，如 1条/季度 而非 1条/3月（示例：{EXAMPLES}）")
    return Rule(count=count, unit=unit, length=length, text=text.strip())


ACCOUNT_DEFAULT = "1条/5个工作日"
