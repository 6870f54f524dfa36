"""Coverage and verdicts: no count, gap or verdict rests on days the monitor did not observe."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.core.coverage import Coverage
from monitor.core.evaluate import DUE_SOON, MISSED, NO_DATA, OK, OPEN, OVERDUE, PARTIAL, compliance, evaluate
from monitor.core.rules import parse_rule

from .conftest import at, d

Q4 = (d("2021-10-01"), d("2021-12-31"))


def cov(*spans):
    return Coverage.of([(d(a), d(b)) for a, b in spans])


# ---------------------------------------------------------------- the value itself

def test_spans_merge_when_they_overlap_or_touch():
    c = cov(("2021-10-01", "2021-10-10"), ("2021-10-11", "2021-10-20"), ("2021-10-15", "2021-10-25"), ("2021-11-01", "2021-11-02"))
    assert c.spans == ((d("2021-10-01"), d("2021-10-25")), (d("2021-11-01"), d("2021-11-02")))
    assert c.covers(d("2021-10-03"), d("2021-10-25")) and not c.covers(d("2021-10-20"), d("2021-11-01"))
    assert c.days(*Q4) == 27
    assert cov(("2021-10-05", "2021-10-01")) == Coverage()


def test_describe_says_how_much_is_covered():
    month = (d("2021-11-01"), d("2021-11-30"))
    assert cov(("2021-10-01", "2021-12-31")).describe(*month) == ""
    assert cov(("2021-11-17", "2021-12-31")).describe(*month) == "部分（自11-17起）"
    assert cov(("2021-10-01", "2021-11-20")).describe(*month) == "部分（至11-20）"
    assert cov(("2021-11-03", "2021-11-05"), ("2021-11-09", "2021-11-20")).describe(*month) == "部分（11-03至11-05、11-09至11-20）"
    assert Coverage().describe(*month) == "无数据"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 90), st.integers(0, 20)), max_size=8), st.integers(0, 95), st.integers(0, 10))
def test_covers_agrees_with_day_by_day(spans, first, length):
    base = d("2021-10-01")
    c = Coverage.of([(base + dt.timedelta(a), base + dt.timedelta(a + n)) for a, n in spans])
    day_set = {base + dt.timedelta(a + i) for a, n in spans for i in range(n + 1)}
    start = base + dt.timedelta(first)
    end = start + dt.timedelta(length)
    assert c.covers(start, end) == all(start + dt.timedelta(i) in day_set for i in range(length + 1))
    assert c.days(start, end) == sum(start + dt.timedelta(i) in day_set for i in range(length + 1))


# ---------------------------------------------------------------- state at a moment

def test_overdue_needs_a_read_after_the_deadline(cal):
    rule = parse_rule("1条/2周")
    # Read on 12-20 at 09:00: days up to 12-19 are covered, the deadline 12-19 has passed.
    assert evaluate(rule, [d("2021-12-05")], at("2021-12-20T10:00"), cal, cov(("2021-10-01", "2021-12-19"))).state == OVERDUE
    # No read since 12-15: the deadline has passed, but nothing shows the run stayed empty.
    assert evaluate(rule, [d("2021-12-05")], at("2021-12-20T10:00"), cal, cov(("2021-10-01", "2021-12-15"))).state == DUE_SOON


def test_a_first_read_that_saw_only_recent_items_counts_from_what_it_saw(cal):
    rule = parse_rule("1条/2周")
    # The list showed items back to 11-17 (covered from 11-18); the last post was that one.
    ev = evaluate(rule, [d("2021-11-17")], at("2021-11-26"), cal, cov(("2021-11-18", "2021-11-25")))
    assert (ev.state, ev.deadline) == (OK, d("2021-12-01"))
    # A post before a hole in coverage is no evidence across the hole: count from the covered span.
    ev = evaluate(rule, [d("2021-10-02")], at("2021-12-10"), cal, cov(("2021-10-01", "2021-10-10"), ("2021-12-01", "2021-12-09")))
    assert (ev.state, ev.deadline) == (OK, d("2021-12-14"))
    # Fourteen covered days without a post are evidence enough, however short the coverage.
    ev = evaluate(rule, [], at("2021-12-10"), cal, cov(("2021-11-18", "2021-12-09")))
    assert (ev.state, ev.deadline) == (OVERDUE, d("2021-12-01"))


def test_a_calendar_period_is_missed_only_when_covered_whole(cal):
    rule = parse_rule("1条/月")
    now = at("2022-01-03")
    whole = evaluate(rule, [d("2021-10-12"), d("2021-11-03")], now, cal, cov(("2021-10-01", "2022-01-02")))
    assert whole.state == OVERDUE and (d("2021-12-01"), d("2021-12-31")) in whole.missed
    part = evaluate(rule, [d("2021-10-12"), d("2021-11-03")], now, cal, cov(("2021-12-17", "2022-01-02")))
    assert part.state != OVERDUE and part.missed == []


def test_no_coverage_and_no_posts_gives_no_deadline(cal):
    ev = evaluate(parse_rule("1条/5个工作日"), [], at("2021-12-10"), cal, Coverage())
    assert (ev.state, ev.deadline) == (OK, None)


# ---------------------------------------------------------------- compliance over a period

def test_uncovered_period_has_no_verdict(cal):
    r = compliance(parse_rule("1条/月"), [], *Q4, cal, Coverage())
    assert (r.verdict, r.compliant, r.required, r.longest_gap) == (NO_DATA, None, 3, None)
    r = compliance(parse_rule("1条/5个工作日"), [], *Q4, cal, Coverage())
    assert (r.verdict, r.compliant, r.required) == (NO_DATA, None, None)


def test_four_item_feed_starting_mid_quarter_is_not_broken(cal):
    """Originals on 11-17, 11-19, 11-23, 11-25; the feed held nothing older; read on 11-26."""
    rule = parse_rule("1条/5个工作日")
    posts = [d("2021-11-17"), d("2021-11-19"), d("2021-11-23"), d("2021-11-25")]
    r = compliance(rule, posts, *Q4, cal, cov(("2021-11-18", "2021-11-25")), as_of=d("2021-11-26"))
    assert r.verdict == PARTIAL and r.compliant is None
    assert r.posts == 4 and r.longest_gap == 1
    assert r.required == 1            # 6 covered working days (11-18..11-25) // 5
    assert r.open and r.judged == (d("2021-10-01"), d("2021-11-25"))


def test_partly_covered_gap_that_already_proves_a_break(cal):
    rule = parse_rule("1条/5个工作日")
    r = compliance(rule, [d("2021-11-17"), d("2021-11-30")], *Q4, cal, cov(("2021-11-18", "2021-12-03")))
    assert r.verdict == MISSED and r.violations == [(d("2021-11-18"), d("2021-11-29"))]
    assert r.longest_gap == 8


def test_running_quarter_is_judged_up_to_as_of(cal):
    """Report for Q4 on 11-26: December has not happened; a column posting every 6 days is fine so far."""
    posts = [d("2021-10-01") + dt.timedelta(days=6 * i) for i in range(10)]   # up to 11-24
    every = cov(("2021-07-01", "2021-11-25"))
    two_weeks = compliance(parse_rule("1条/2周"), posts, *Q4, cal, every, as_of=d("2021-11-26"))
    assert (two_weeks.verdict, two_weeks.compliant, two_weeks.open) == (OK, True, True)
    monthly = compliance(parse_rule("1条/月"), posts, *Q4, cal, every, as_of=d("2021-11-26"))
    # October and November were met; December is still to come: 未到期, not 不达标.
    assert (monthly.verdict, monthly.violations) == (OPEN, [])
    quarterly = compliance(parse_rule("1条/季度"), [], *Q4, cal, every, as_of=d("2021-11-26"))
    assert (quarterly.verdict, quarterly.compliant) == (OPEN, None)
    # Without as_of the same posts over the whole quarter would miss December.
    assert compliance(parse_rule("1条/月"), posts, *Q4, cal, cov(("2021-07-01", "2022-01-05"))).verdict == MISSED


def test_a_rolling_gap_already_failed_in_a_running_period(cal):
    r = compliance(parse_rule("1条/2周"), [d("2021-10-05"), d("2021-11-20")], *Q4, cal,
                   cov(("2021-07-01", "2021-11-25")), as_of=d("2021-11-26"))
    assert r.verdict == MISSED and r.violations == [(d("2021-10-06"), d("2021-11-19"))]


@settings(max_examples=150, deadline=None)
@given(posts=st.lists(st.dates(min_value=Q4[0], max_value=Q4[1]), max_size=15),
       spans=st.lists(st.tuples(st.integers(0, 91), st.integers(0, 40)), max_size=4),
       rule_text=st.sampled_from(["1条/月", "2条/月", "1条/2周", "1条/5个工作日", "2条/15天", "1条/季度"]),
       as_of=st.one_of(st.none(), st.dates(min_value=Q4[0], max_value=d("2022-01-10"))))
def test_a_violation_never_rests_on_an_uncovered_day(cal, posts, spans, rule_text, as_of):
    rule = parse_rule(rule_text)
    c = Coverage.of([(Q4[0] + dt.timedelta(a), Q4[0] + dt.timedelta(a + n)) for a, n in spans])
    r = compliance(rule, posts, *Q4, cal, c, as_of)
    for a, b in r.violations:
        assert c.covers(a, b), (a, b)
        assert as_of is None or b < as_of
    # Whatever the unseen days held, a proven violation stays one: fill every uncovered day with posts.
    unseen = [Q4[0] + dt.timedelta(i) for i in range(92) if not c.covers_day(Q4[0] + dt.timedelta(i))]
    if r.verdict == MISSED:
        filled = compliance(rule, posts + unseen * 2, *Q4, cal, c, as_of)
        assert filled.verdict == MISSED
