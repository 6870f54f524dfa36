"""One source's verdict over a period with the facts behind it, shared by the report and ``monitor posts``."""

from __future__ import annotations

import datetime as dt

from ..config import Account, Config, Source
from ..core.coverage import Coverage
from ..core.evaluate import VERDICT_NAMES, Compliance, compliance
from .explain import violation_text


def judge(config: Config, source: Source, days: list[dt.date], cov: Coverage, start: dt.date, end: dt.date,
          today: dt.date | None) -> tuple[dict, Compliance]:
    """``days``: the sorted post days that count (originals for accounts). Returns the JSON facts
    (verdict, coverage, evidence) and the compliance they came from."""
    result = compliance(source.rule, days, start, end, config.calendar, cov, today)
    return {
        "verdict": result.verdict,
        "verdict_name": VERDICT_NAMES[result.verdict],
        "coverage": [[a.isoformat(), b.isoformat()] for a, b in cov.within(start, end)],
        "coverage_note": cov.describe(*result.judged) if result.judged else "",
        "evidence": [violation_text(source.rule, days, v, (start, end), config.calendar, isinstance(source, Account))
                     for v in result.violations],
    }, result
