import pytest

from monitor.core.rules import Rule, RuleError, parse_rule


@pytest.mark.parametrize("text, count, unit, length", [
    ("1条/月", 1, "month", 1),
    ("1条/2周", 1, "day", 14),
    ("1 条/2 周", 1, "day", 14),
    ("1条/季度", 1, "quarter", 1),
    ("1条/周", 1, "week", 1),
    ("2条/月", 2, "month", 1),
    ("1条/年", 1, "year", 1),
    ("1条/5个工作日", 1, "workday", 5),
    ("1条/15天", 1, "day", 15),
    ("1/month", 1, "month", 1),
    ("1 per 2 weeks", 1, "day", 14),
    ("3 per 5 workdays", 3, "workday", 5),
    ("1/quarter", 1, "quarter", 1),
])
def test_parse_every_form(text, count, unit, length):
    rule = parse_rule(text)
    assert (rule.count, rule.unit, rule.length) == (count, unit, length)
    assert str(rule) == text.strip()


@pytest.mark.parametrize("text", ["1条/月份", "每月一条", "0条/月", "1条/3月", "", "1条/", "月/1条"])
def test_reject_what_is_not_a_rule(text):
    with pytest.raises(RuleError) as e:
        parse_rule(text)
    assert "示例" in str(e.value) or "至少为1" in str(e.value)


def test_calendar_and_rolling_kinds():
    assert parse_rule("1条/月").is_calendar
    assert not parse_rule("1条/2周").is_calendar
    assert parse_rule("1条/5个工作日").is_workday


def test_describe_in_words():
    assert parse_rule("1条/2周").describe() == "任意连续14天内至少1条"
    assert parse_rule("1条/5个工作日").describe() == "任意连续5个工作日内至少1条"
    assert parse_rule("2条/月").describe() == "每个自然月至少2条"
    assert isinstance(parse_rule("1条/月"), Rule)
