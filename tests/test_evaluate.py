import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.core.coverage import Coverage
from monitor.core.evaluate import (
    DUE_SOON, OK, OVERDUE, SEVERITY, compliance, evaluate, month_counts, periods_within,
)
from monitor.core.rules import parse_rule

from .conftest import at, d

Q4 = (d("2021-10-01"), d("2021-12-31"))


def observed_from(day: str) -> Coverage:
    """Observed completely from ``day`` on, as a source read every few hours is."""
    return Coverage.of([(d(day), d("2030-12-31"))])


SINCE = observed_from("2021-07-01")


# ---------------------------------------------------------------- state at a moment (SPEC §2)

def test_two_weeks_rule_post_on_12_05_is_due_by_12_19_and_overdue_on_12_20(cal):
    rule = parse_rule("1条/2周")
    posts = [d("2021-12-05")]
    ev = evaluate(rule, posts, at("2021-12-19T10:00"), cal, SINCE)
    assert ev.deadline == d("2021-12-19")
    assert ev.state == DUE_SOON
    assert evaluate(rule, posts, at("2021-12-20T00:01"), cal, SINCE).state == OVERDUE
    assert evaluate(rule, posts, at("2021-12-10"), cal, SINCE).state == OK


def test_five_workdays_rule_due_on_the_fifth_working_day_after_the_last_original(cal):
    rule = parse_rule("1条/5个工作日")
    posts = [d("2021-12-13")]
    ev = evaluate(rule, posts, at("2021-12-17T12:00"), cal, SINCE)
    assert (ev.state, ev.deadline) == (OK, d("2021-12-20"))
    # Working-day rules warn on the deadline day itself, not days ahead.
    assert evaluate(rule, posts, at("2021-12-20T08:00"), cal, SINCE).state == DUE_SOON
    assert evaluate(rule, posts, at("2021-12-21T08:00"), cal, SINCE).state == OVERDUE


def test_workday_deadline_skips_national_day(cal):
    ev = evaluate(parse_rule("1条/5个工作日"), [d("2021-09-28")], at("2021-10-08"), cal, SINCE)
    # 09-29, 09-30, 10-08, 10-09 (Sat, make-up day), 10-11.
    assert ev.deadline == d("2021-10-11")


def test_monthly_rule_before_and_after_the_month_ends(cal):
    rule = parse_rule("1条/月")
    posts = [d("2021-10-12"), d("2021-11-03")]
    early = evaluate(rule, posts, at("2021-12-10"), cal, SINCE)
    assert (early.state, early.deadline, early.in_period) == (OK, d("2021-12-31"), 0)
    late = evaluate(rule, posts, at("2021-12-29T09:00"), cal, SINCE)
    assert (late.state, late.deadline) == (DUE_SOON, d("2021-12-31"))
    after = evaluate(rule, posts, at("2022-01-03"), cal, SINCE)
    assert (after.state, after.deadline) == (OVERDUE, d("2021-12-31"))
    assert (d("2021-12-01"), d("2021-12-31")) in after.missed
    # A post in January fixes the state; December stays recorded as missed.
    fixed = evaluate(rule, posts + [d("2022-01-05")], at("2022-01-06"), cal, SINCE)
    assert fixed.state == OK
    assert (d("2021-12-01"), d("2021-12-31")) in fixed.missed


def test_met_calendar_period_points_at_the_next_one(cal):
    ev = evaluate(parse_rule("1条/季度"), [d("2021-11-02")], at("2021-11-20"), cal, SINCE)
    assert (ev.state, ev.deadline) == (OK, d("2022-03-31"))


def test_posts_after_now_do_not_count(cal):
    rule = parse_rule("1条/2周")
    ev = evaluate(rule, [d("2021-12-01"), d("2021-12-25")], at("2021-12-20"), cal, SINCE)
    assert ev.state == OVERDUE
    assert ev.last_post == d("2021-12-01")


def test_no_posts_counts_from_the_monitoring_start(cal):
    ev = evaluate(parse_rule("1条/2周"), [], at("2021-10-10"), cal, observed_from("2021-10-01"))
    assert ev.deadline == d("2021-10-14")
    assert ev.last_post is None


def test_gmt_feed_time_at_16_30_on_09_30_counts_in_october():
    from email.utils import parsedate_to_datetime
    from zoneinfo import ZoneInfo

    local = parsedate_to_datetime("Thu, 30 Sep 2021 16:30:00 GMT").astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.date() == d("2021-10-01")
    assert month_counts([local.date()], *Q4) == {"2021-10": 1, "2021-11": 0, "2021-12": 0}


# ---------------------------------------------------------------- compliance over a period

def test_account_required_is_12_for_q4_2021(cal):
    result = compliance(parse_rule("1条/5个工作日"), [], *Q4, cal)
    assert result.required == 12
    assert not result.compliant


def test_account_posting_every_fifth_working_day_is_not_broken(cal):
    workdays = cal.workdays(*Q4)
    posts = workdays[4::5]
    result = compliance(parse_rule("1条/5个工作日"), posts, *Q4, cal)
    assert result.compliant and result.posts == 12 and result.longest_gap == 4


def test_account_with_seven_originals_is_broken(cal):
    workdays = cal.workdays(*Q4)
    posts = workdays[::9][:7]
    result = compliance(parse_rule("1条/5个工作日"), posts, *Q4, cal)
    assert not result.compliant
    assert result.longest_gap >= 5


def test_two_weeks_rule_over_a_quarter_matches_the_spec_bounds(cal):
    rule = parse_rule("1条/2周")
    start, end = Q4
    good = [start + dt.timedelta(days=13), start + dt.timedelta(days=27), d("2021-11-11"),
            d("2021-11-25"), d("2021-12-09"), end - dt.timedelta(days=13)]
    assert compliance(rule, good, start, end, cal).compliant
    assert not compliance(rule, [start + dt.timedelta(days=14), *good[1:]], start, end, cal).compliant
    assert not compliance(rule, [*good[:-1], end - dt.timedelta(days=14)], start, end, cal).compliant


def test_monthly_rule_short_month_is_a_violation(cal):
    result = compliance(parse_rule("1条/月"), [d("2021-10-05"), d("2021-11-05")], *Q4, cal)
    assert not result.compliant
    assert result.violations == [(d("2021-12-01"), d("2021-12-31"))]
    assert result.required == 3


def test_periods_within_keeps_only_whole_periods():
    weeks = periods_within("week", d("2021-10-01"), d("2021-10-31"))
    assert weeks[0] == (d("2021-10-04"), d("2021-10-10"))
    assert weeks[-1] == (d("2021-10-25"), d("2021-10-31"))


# ---------------------------------------------------------------- properties

dates_in_q4 = st.lists(st.dates(min_value=d("2021-10-01"), max_value=d("2021-12-31")), max_size=20)
rolling_rules = st.sampled_from(["1条/2周", "1条/15天", "1条/5个工作日", "1条/3天", "1条/10个工作日"])
any_rules = st.sampled_from(["1条/月", "2条/月", "1条/周", "1条/季度", "1条/2周", "2条/15天",
                             "1条/5个工作日", "2条/5个工作日"])


def brute_force_rolling(rule, posts, start, end, cal):
    """Every run of the rule's length inside [start, end] holds ≥ N posts, window by window."""
    if rule.is_workday:
        units = cal.workdays(start, end)
        spans = [(units[i], units[i + rule.length - 1]) for i in range(len(units) - rule.length + 1)]
    else:
        spans = [(start + dt.timedelta(days=i), start + dt.timedelta(days=i + rule.length - 1))
                 for i in range((end - start).days - rule.length + 2)]
    return all(sum(a <= p <= b for p in posts) >= rule.count for a, b in spans)


@settings(max_examples=150, deadline=None)
@given(rule_text=rolling_rules, posts=dates_in_q4)
def test_rolling_rule_is_met_iff_no_gap_exceeds_its_length(cal, rule_text, posts):
    rule = parse_rule(rule_text)
    result = compliance(rule, posts, *Q4, cal)
    assert result.compliant == brute_force_rolling(rule, posts, *Q4, cal)
    assert result.compliant == (result.longest_gap < rule.length)


@settings(max_examples=150, deadline=None)
@given(rule_text=any_rules, posts=dates_in_q4, extra=st.dates(min_value=d("2021-07-01"), max_value=d("2021-12-31")),
       now=st.datetimes(min_value=dt.datetime(2021, 10, 1), max_value=dt.datetime(2022, 1, 31)))
def test_adding_a_post_never_worsens_a_state(cal, rule_text, posts, extra, now):
    rule = parse_rule(rule_text)
    moment = at(now.isoformat())
    before = evaluate(rule, posts, moment, cal, SINCE)
    after = evaluate(rule, posts + [extra], moment, cal, SINCE)
    assert SEVERITY[after.state] <= SEVERITY[before.state]
    if before.deadline and after.deadline:
        assert after.deadline >= before.deadline
    assert compliance(rule, posts + [extra], *Q4, cal).compliant >= compliance(rule, posts, *Q4, cal).compliant


@settings(max_examples=100, deadline=None)
@given(posts=dates_in_q4)
def test_month_counts_add_up(posts):
    assert sum(month_counts(posts, *Q4).values()) == len(posts)


def test_evaluation_in_a_year_the_package_does_not_cover(cal):
    ev = evaluate(parse_rule("1条/5个工作日"), [d("2026-12-30")], at("2027-01-08"), cal, observed_from("2026-10-01"))
    # 2026-12-31, then Mon–Fri in 2027 (no official schedule yet): 01-01 Fri, 01-04, 01-05, 01-06.
    assert ev.deadline == d("2027-01-06") and ev.state == OVERDUE
