"""One pass: config → fetch → extract → store → evaluate → alert → notify."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import queue
import sys
import threading
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .collect.collectors import Known, collector_for
from .clock import observable
from .collect.http import Fetcher
from .config import Column, Config, Source
from .content.scan import feed_text
from .evidence.coverage import observe, read_target
from .model import Fetch
from .status import SourceStatus, all_statuses, default_since
from .store import Store

log = logging.getLogger(__name__)

BACKDATE_AFTER = dt.timedelta(days=2)


@dataclass
class CheckResult:
    statuses: list[SourceStatus]
    fetches: dict[str, Fetch] = field(default_factory=dict)
    new_posts: int = 0
    alerts: list = field(default_factory=list)


def cache_key(source: Source) -> str:
    """Validators are kept per URL and extraction settings: new selectors must re-read an unchanged page."""
    settings = getattr(source, "selectors", None)
    if settings is None:
        return source.url
    return f"{source.url}#{hashlib.sha1(repr((settings, source.encoding)).encode()).hexdigest()[:12]}"


def known_for(store: Store, source: Source) -> Known:
    row = store.source_row(source.id)
    target = read_target(store, source.id)
    # Until the backfill is done, a 304 for the first page must not stop the read going deeper.
    conditional = source.url and (target is not None or not isinstance(source, Column))
    return Known(
        validators={source.url: store.cache_headers(cache_key(source))} if conditional else {},
        since=dt.date.fromisoformat(row["since"]),
        target=target,
    )


def record(config: Config, store: Store, source: Source, fetch: Fetch, now: dt.datetime) -> int:
    read_at = observable(now)
    with store.transaction():
        new = store.record_fetch(source.id, fetch, now, BACKDATE_AFTER)
        if fetch.ok and not isinstance(source, Column):
            feed_text(config, store, source, fetch.posts, now)
        observe(store, source.id, source.name, fetch, read_at)
        validators = fetch.validators.get(source.url) if fetch.ok else None
        if validators:
            store.save_cache_headers(cache_key(source), validators.get("etag"), validators.get("last_modified"))
    if fetch.ok:
        note = "未变化" if fetch.not_modified else f"{fetch.pages} 页，新增 {new} 条"
        log.info("%s「%s」：%s", source.id, source.name, note + (f"；{fetch.error}" if fetch.error else ""))
    else:
        log.warning("%s「%s」抓取失败：%s", source.id, source.name, fetch.error)
    return new


class HostQueue:
    """Hands out sources so that workers interleave hosts: a worker takes the idle host that
    may be asked again soonest, so a small pool keeps many polite hosts busy."""

    def __init__(self, work, fetcher: Fetcher):
        self.queues: dict[str, deque] = defaultdict(deque)
        for item in work:
            self.queues[urlsplit(item[0].url).netloc].append(item)
        self.fetcher = fetcher
        self.busy: set[str] = set()
        self.cond = threading.Condition()

    def take(self):
        with self.cond:
            while True:
                idle = [h for h, q in self.queues.items() if q and h not in self.busy]
                if idle:
                    host = min(idle, key=self.fetcher.ready_at)
                    self.busy.add(host)
                    return host, self.queues[host].popleft()
                if not any(self.queues.values()):
                    return None
                self.cond.wait()

    def done(self, host: str) -> None:
        with self.cond:
            self.busy.discard(host)
            self.cond.notify_all()


def collect_all(config: Config, store: Store, sources: list[Source], now: dt.datetime, fetcher: Fetcher | None = None):
    """Fetch every source, concurrently across hosts and one at a time within a host; yield (source, fetch)."""
    fetcher = fetcher or Fetcher(config.http)
    work = [(s, collector_for(s), known_for(store, s)) for s in sources]
    work = [w for w in work if w[1] is not None]
    hosts = HostQueue(work, fetcher)
    results: queue.Queue = queue.Queue()

    def worker():
        while (taken := hosts.take()) is not None:
            host, (source, collector, known) = taken
            try:
                fetch = collector.collect(fetcher, known, now)
            except Exception as e:  # a bug in one extractor must not stop the pass
                log.exception("%s: 抓取时出错", source.id)
                fetch = Fetch(ok=False, error=f"程序错误：{type(e).__name__}: {e}")
            finally:
                hosts.done(host)
            results.put((source, fetch))

    workers = max(1, min(len(hosts.queues), config.http.workers))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        for _ in range(workers):
            pool.submit(worker)
        for _ in range(len(work)):
            yield results.get()


def settle(config: Config, store: Store, fetched: list[tuple[Source, Fetch]], now: dt.datetime,
           only: set[str] | None = None, notify: bool = True, inspections: bool = True) -> CheckResult:
    """Record what was fetched, evaluate, and queue alerts: the pass's writes — posts, fetch
    records, alert state, queued messages — land together in one transaction. A pass over every
    source also tells content findings and the national lines, unless ``inspections`` is False
    (the caller tells them after reading the pages)."""
    from .alerts.notify_pass import queue_alerts

    result = CheckResult(statuses=[], fetches={source.id: fetch for source, fetch in fetched})
    with store.transaction():
        for source, fetch in fetched:
            result.new_posts += record(config, store, source, fetch, now)
        result.statuses = all_statuses(config, store, now, only)
        if notify:
            result.alerts = queue_alerts(config, store, result.statuses, now, boards=only is None,
                                         inspections=inspections and only is None)
    return result


def run_check(config: Config, store: Store, now: dt.datetime, only: set[str] | None = None,
              notify: bool = True, fetcher: Fetcher | None = None) -> CheckResult:
    from .notify.outbox import deliver

    fetcher = fetcher or Fetcher(config.http)    # one per pass: its politeness spans lists, boards and pages
    store.sync_sources(config.sources, default_since(config, now))
    sources = [s for s in config.sources if not only or s.id in only]
    progress = _progress(len([s for s in sources if s.url]))
    fetched = []
    for source, fetch in collect_all(config, store, sources, now, fetcher):
        fetched.append((source, fetch))
        progress.update(1)
    progress.close()
    order = {s.id: i for i, s in enumerate(sources)}
    fetched.sort(key=lambda pair: order[pair[0].id])   # record in config order, not arrival order
    if config.boards and not only:
        from .boards.read import check_boards

        check_boards(config, store, fetcher, observable(now))
    result = settle(config, store, fetched, now, only, notify, inspections=False)
    if not only:    # once the lists are recorded, the new posts' pages are read, and what they show is told
        from .alerts.notify_pass import queue_inspections

        inspect_site(config, store, fetcher, now)
        if notify:
            result.alerts += queue_inspections(config, store, now)
    if notify:
        delivery = deliver(store, config, now)
        if delivery.sent or delivery.retrying or delivery.dead:
            log.info("通知：已发送 %d，待重试 %d，无法送达 %d", delivery.sent, delivery.retrying, delivery.dead)
    return result


def inspect_site(config: Config, store: Store, fetcher: Fetcher, now: dt.datetime) -> None:
    """What a full check reads once the lists are recorded: the new posts' pages, the home page."""
    from .content.scan import scan
    from .sitecheck.home import check_home

    read_at = observable(now)
    scan(config, store, fetcher, read_at)
    check_home(config, store, fetcher, read_at)


class _NoProgress:
    def update(self, n):
        pass

    def close(self):
        pass


def _progress(total: int):
    if not sys.stderr.isatty() or total == 0:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, desc="抓取", unit="个", file=sys.stderr, leave=False)
