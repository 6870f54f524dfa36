"""The quarter's tables (附件2 columns, 附件4 accounts) computed from recorded posts."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import asdict

from ..config import PLATFORMS, Account, Column, Config
from ..core.coverage import Coverage
from ..core.evaluate import MISSED, NO_DATA, OK_VERDICT, compliance, count_between, month_counts, period_of
from ..evidence.coverage import coverage_by_source
from ..evidence.verdict import judge
from ..boards.facts import board_facts
from ..submissions.facts import submission_facts
from ..store import Store

ONE_DAY = dt.timedelta(days=1)


class PeriodError(ValueError):
    pass


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """2021Q4 | 2021-10 | 2021 | 2021-10-01..2021-12-31 → (start, end)."""
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})\s*[Qq]([1-4])", text):
            return period_of("quarter", dt.date(int(m[1]), 3 * int(m[2]) - 2, 1))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return period_of("month", dt.date(int(m[1]), int(m[2]), 1))
        if re.fullmatch(r"\d{4}", text):
            return period_of("year", dt.date(int(text), 1, 1))
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", text):
            start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            if start <= end:
                return start, end
    except ValueError:
        pass
    raise PeriodError(f"无法识别的统计期 {text!r}（示例：2021Q4、2021-10、2021、2021-10-01..2021-12-31）")


def period_title(start: dt.date, end: dt.date) -> str:
    """2021年四季度, 2021年10月, 2021年 … as the notice titles its tables."""
    if (start, end) == period_of("quarter", start):
        return f"{start.year}年{'一二三四'[(start.month - 1) // 3]}季度"
    if (start, end) == period_of("month", start):
        return f"{start.year}年{start.month}月"
    if (start, end) == period_of("year", start):
        return f"{start.year}年"
    return f"{start.isoformat()}至{end.isoformat()}"


def build(config: Config, store: Store, start: dt.date, end: dt.date, as_of: dt.datetime | None = None) -> dict:
    """The report as plain data; the shape of ``report --format json`` (SPEC §4, issue 8).

    Judged from evidence only: days outside a source's coverage are 无数据 (``null``), never 0;
    with ``as_of`` inside the period, the period is judged up to that moment (统计截至) and days
    after it are never missed. Without ``as_of`` the period is taken as over.
    """
    today = as_of.date() if as_of else None
    upto = min(end, today) if today else end
    days: dict[str, list[dt.date]] = defaultdict(list)
    originals: dict[str, list[dt.date]] = defaultdict(list)
    backdated: dict[str, list[dt.date]] = defaultdict(list)
    if upto >= start:
        for source_id, all_days, original_days, backdated_days in store.post_days_by_source(start, upto):
            days[source_id], originals[source_id], backdated[source_id] = all_days, original_days, backdated_days
    coverage = coverage_by_source(store)
    weeks = week_starts(start, end)

    def facts(source, counted: list[dt.date]) -> dict:
        cov = coverage.get(source.id, Coverage())
        extra, result = judge(config, source, counted, cov, start, end, today)
        return {**extra, "weekly": weekly_cells(counted, cov, weeks, start, end, today)}, result

    columns = []
    for c in config.columns:
        extra, result = facts(c, days[c.id])
        months, notes = month_cells(days[c.id], coverage.get(c.id, Coverage()), start, end, today)
        columns.append({
            "id": c.id, "name": c.name, "unit": c.unit, "frequency": str(c.rule),
            "months": months, "month_notes": notes,
            "total": result.posts if result.verdict != NO_DATA or result.posts else None,
            "backdated": len(backdated[c.id]),
            "months_backdated": month_counts(backdated[c.id], start, end),
            "compliant": result.compliant,
            "violations": [[a.isoformat(), b.isoformat()] for a, b in result.violations],
            **extra,
        })

    repost_days: dict[str, list[dt.date]] = defaultdict(list)
    if any(a.must_repost for a in config.accounts) and upto >= start:
        for r in store.conn.execute("SELECT source_id, day FROM posts WHERE origin IS NOT NULL AND day BETWEEN ? AND ? "
                                    "ORDER BY day", (start.isoformat(), upto.isoformat())):
            repost_days[r[0]].append(dt.date.fromisoformat(r[1]))
    accounts = []
    for a in config.accounts:
        monitored = a.feed is not None
        extra, result = facts(a, originals[a.id])
        seen = monitored and (result.verdict != NO_DATA or bool(days[a.id]))
        full = result.full
        accounts.append({
            "id": a.id, "name": a.name, "unit": a.unit, "owner": a.owner or a.unit, "platform": a.platform,
            "platform_name": PLATFORMS[a.platform], "rule": str(a.rule),
            "monitored": monitored,
            "required": result.required if monitored else None,
            "required_note": "" if not seen or full else f"按已覆盖的{result.covered_units}个{'工作日' if a.rule.is_workday else '天'}计",
            "originals": result.posts if seen else None,
            "posts": len(days[a.id]) if seen else None,
            "broken": {MISSED: True, OK_VERDICT: False}.get(result.verdict) if monitored else None,
            "longest_gap": result.longest_gap if seen else None,
            "gap_unit": "工作日" if a.rule.is_workday else "天",
            **extra,
        })
        if not monitored:
            accounts[-1].update(verdict=None, verdict_name="未监测", evidence=[], coverage_note="")
        elif a.must_repost:
            reposts = compliance(a.must_repost.rule, repost_days[a.id], start, end, config.calendar,
                                 coverage.get(a.id, Coverage()), today)
            accounts[-1].update(reposts=reposts.posts, reposts_required=reposts.required,
                                reposts_missed={MISSED: True, OK_VERDICT: False}.get(reposts.verdict),
                                reposts_from=list(a.must_repost.origins), reposts_rule=str(a.must_repost.rule))

    column_units = _units_in_order(config.columns, [c["compliant"] is False for c in columns])
    account_units = _units_in_order(config.accounts, [a["broken"] is True or a.get("reposts_missed") is True for a in accounts])
    is_open = today is not None and today <= end
    data = {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "title": period_title(start, end)},
        "as_of": as_of.isoformat() if as_of else None,
        "generated": dt.datetime.now(config.settings.timezone).isoformat(timespec="seconds"),
        "words": asdict(config.report),
        "open": is_open,
        "as_of_note": f"统计截至 {as_of.strftime('%Y-%m-%d %H:%M')}" if is_open else "",
        "weeks": [w.isoformat() for w in weeks],
        "columns": columns,
        "accounts": accounts,
        "submissions": submission_facts(config, store, start, end, min(end, today) if today else None),
        "boards": board_facts(config, store, start, end, today),
        "unattributed": [],
        "noncompliant_units": list(dict.fromkeys([*column_units, *account_units])),
        "noncompliant_column_units": column_units,
        "broken_account_units": account_units,
    }
    data.update(inspections(config, store, start, upto, as_of))
    if data["submissions"]:     # titles no unit could be matched to, listed, never dropped
        data["unattributed"] = data["submissions"]["unattributed"]
    return data


def inspections(config: Config, store: Store, start: dt.date, upto: dt.date, as_of: dt.datetime | None) -> dict:
    """内容问题 of the period and the national lines as of its end (or ``as_of``), when configured."""
    from ..content.findings import findings_between
    from ..sitecheck.measure import site_check
    from ..sitecheck.profile import SOURCE

    out: dict = {}
    sources = {s.id: s for s in config.sources}
    if config.content.scan_articles and store.query("SELECT 1 FROM articles LIMIT 1"):   # only once pages were read
        out["content"] = [
            {"unit": sources[f["source_id"]].unit, "source": sources[f["source_id"]].name, "title": f["title"],
             "article": f["article"], "kind": f["kind"], "label": f["label"], "excerpt": f["excerpt"], "fix": f["fix"],
             "found": f["found"][:10], "resolved": f["resolved"][:10] if f["resolved"] else None}
            for f in findings_between(store, start, upto) if f["source_id"] in sources]
    if config.site.home and upto >= start:
        moment = as_of if as_of and as_of.date() <= upto else dt.datetime.combine(upto, dt.time(23, 59, 59), config.settings.timezone)
        out["sitecheck"] = [asdict(i) for i in site_check(config, store, moment)]
        out["sitecheck_at"] = moment.strftime("%Y-%m-%d %H:%M")
        out["sitecheck_source"] = SOURCE
    return out


def _units_in_order(sources: list[Column] | list[Account], flags: list[bool]) -> list[str]:
    return list(dict.fromkeys(s.unit for s, bad in zip(sources, flags) if bad))


def week_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """Mondays of the weeks that touch [start, end]."""
    monday = start - dt.timedelta(days=start.weekday())
    return [monday + dt.timedelta(weeks=i) for i in range((end - monday).days // 7 + 1)]


def _judged(first: dt.date, last: dt.date, today: dt.date | None) -> tuple[dt.date, dt.date]:
    """[first, last] cut to the days that are over at ``today``: possibly empty (end < start)."""
    return first, (min(last, today - ONE_DAY) if today else last)


def month_cells(dates: list[dt.date], cov: Coverage, start: dt.date, end: dt.date, today: dt.date | None):
    """Posts per month, keyed "YYYY-MM", and a note for each: null where nothing was observed
    (无数据) or the month is still to come (未到); 部分（…） where only some days were; 截至MM-DD
    for the running month."""
    counts, notes = {}, {}
    for key, n in month_counts(dates, start, end).items():
        first = max(start, dt.date(int(key[:4]), int(key[5:]), 1))
        last = min(end, period_of("month", first)[1])
        if today and first > today:
            counts[key], notes[key] = None, "未到"
            continue
        a, b = _judged(first, last, today)
        note = cov.describe(a, b) if a <= b else ""
        running = today is not None and today <= last
        if note == "无数据" and not n:
            counts[key], notes[key] = None, "无数据"
            continue
        if running:
            note = "、".join(x for x in (note if note != "无数据" else "", f"截至{today.strftime('%m-%d')}") if x)
        counts[key], notes[key] = n, note
    return counts, notes


def weekly_cells(dates: list[dt.date], cov: Coverage, weeks: list[dt.date], start: dt.date, end: dt.date,
                 today: dt.date | None) -> list[dict]:
    """Per week: the post count and what was observed — covered, partial, uncovered or future."""
    cells = []
    for w in weeks:
        first, last = max(w, start), min(w + dt.timedelta(days=6), end)
        if today and first > today:
            cells.append({"n": None, "state": "future"})
            continue
        a, b = _judged(first, last, today)
        n = count_between(dates, first, min(last, today) if today else last)
        covered = cov.days(a, b) if a <= b else 0
        whole = (b - a).days + 1 if a <= b else 0
        state = "covered" if whole and covered == whole and b == last else ("uncovered" if not covered else "partial")
        cells.append({"n": n if n or state != "uncovered" else None, "state": state})
    return cells
