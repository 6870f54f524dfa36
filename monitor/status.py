"""Evaluate every configured source against the store at a moment: the monitor's view of now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .config import Account, Config, Source
from .core.coverage import Coverage
from .core.evaluate import FAILING, UNMONITORED, Evaluation, evaluate, period_of
from .evidence.coverage import coverage_of
from .store import Store

from .core.evaluate import PENDING, STATE_LABELS  # noqa: F401  (the states' words, for every reader of statuses)
# How far back a state looks: enough for a yearly rule's last period. Older missed periods were
# noted when they ended (missed_periods), so months of history cost nothing here.
HISTORY = dt.timedelta(days=400)


@dataclass(frozen=True)
class SourceStatus:
    source: Source
    state: str
    last_post: dict | None          # the last (original) post row, or None
    deadline: dt.date | None
    evaluation: Evaluation | None   # None when failing/unmonitored/pending
    error: str | None = None        # failing: why
    since: dt.date | None = None
    coverage: Coverage = Coverage()  # days observed completely

    def to_json(self) -> dict:
        s = self.source
        return {
            "id": s.id, "kind": s.kind, "name": s.name, "unit": s.unit,
            "rule": str(s.rule), "state": self.state,
            "last_post": self.last_post["published"] if self.last_post else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "error": self.error,
            "coverage": [[a.isoformat(), b.isoformat()] for a, b in self.coverage.spans],
        }


def default_since(config: Config, now: dt.datetime) -> dt.date:
    """backfill_since, or the first day of the quarter before ``now``."""
    if config.settings.backfill_since:
        return config.settings.backfill_since
    quarter_start = period_of("quarter", now.date())[0]
    return period_of("quarter", quarter_start - dt.timedelta(days=1))[0]


def source_status(config: Config, store: Store, source: Source, now: dt.datetime) -> SourceStatus:
    originals = isinstance(source, Account)
    row = store.source_row(source.id)
    since = dt.date.fromisoformat(row["since"]) if row and row["since"] else default_since(config, now)
    last_post = store.last_post(source.id, now.date(), originals_only=originals)
    if source.url is None:
        return SourceStatus(source, UNMONITORED, last_post, None, None, since=since)
    fetch = store.last_fetch(source.id, until=now)
    if fetch is None:
        return SourceStatus(source, PENDING, last_post, None, None, since=since)
    window = now.date() - HISTORY
    days = store.post_days(source.id, now.date(), originals_only=originals, since=window, before=source.rule.count)
    coverage = coverage_of(store, source.id)
    ev = evaluate(source.rule, days, now, config.calendar, coverage, config.settings.warn_before, history_from=window)
    if not fetch["ok"]:
        return SourceStatus(source, FAILING, last_post, ev.deadline, ev, error=fetch["error"], since=since, coverage=coverage)
    return SourceStatus(source, ev.state, last_post, ev.deadline, ev, since=since, coverage=coverage)


def all_statuses(config: Config, store: Store, now: dt.datetime, only: set[str] | None = None) -> list[SourceStatus]:
    return [source_status(config, store, s, now) for s in config.sources if not only or s.id in only]


def last_post_day(status: SourceStatus) -> dt.date | None:
    return dt.date.fromisoformat(status.last_post["day"]) if status.last_post else None
