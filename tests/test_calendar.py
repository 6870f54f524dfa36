import logging

from monitor.core.calendar import WorkCalendar

from .conftest import d


def test_q4_2021_has_62_working_days(cal):
    assert cal.count_workdays(d("2021-10-01"), d("2021-12-31")) == 62
    assert len(cal.workdays(d("2021-10-01"), d("2021-12-31"))) == 62


def test_makeup_saturday_is_a_working_day_and_national_day_is_not(cal):
    assert cal.is_workday(d("2021-10-09"))  # Saturday, 调休
    for day in range(1, 8):
        assert not cal.is_workday(d(f"2021-10-0{day}"))
    assert cal.is_workday(d("2021-10-08"))


def test_add_workdays_skips_weekends_and_holidays(cal):
    assert cal.add_workdays(d("2021-12-13"), 5) == d("2021-12-20")
    # From 2021-09-30 the 1st working day after is 10-08 (National Day week off).
    assert cal.add_workdays(d("2021-09-30"), 1) == d("2021-10-08")
    assert cal.add_workdays(d("2021-09-30"), 2) == d("2021-10-09")
    # Crossing a year boundary.
    assert cal.add_workdays(d("2021-12-30"), 2) == d("2022-01-04")


def test_config_lists_override_the_official_schedule():
    cal = WorkCalendar("china", holidays=[d("2021-10-11")], makeup_workdays=[d("2021-10-16")])
    assert not cal.is_workday(d("2021-10-11"))
    assert cal.is_workday(d("2021-10-16"))


def test_year_beyond_the_package_falls_back_to_weekdays_and_warns_once(caplog):
    cal = WorkCalendar("china", holidays=[d("2027-01-01")])
    with caplog.at_level(logging.WARNING):
        assert not cal.is_workday(d("2027-01-01"))      # from the config list
        assert cal.is_workday(d("2027-01-04"))          # Monday
        assert not cal.is_workday(d("2027-01-09"))      # Saturday
        assert cal.count_workdays(d("2027-01-01"), d("2027-01-31")) == 20
        assert cal.add_workdays(d("2026-12-30"), 3) == d("2027-01-05")
    warnings = [r for r in caplog.records if "2027" in r.getMessage()]
    assert len(warnings) == 1


def test_weekdays_mode_ignores_the_official_schedule():
    cal = WorkCalendar("weekdays")
    assert cal.is_workday(d("2021-10-01"))  # a Friday, a holiday in china mode
    assert not cal.is_workday(d("2021-10-09"))
