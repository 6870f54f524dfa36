"""Read new posts' pages the way an inspector would (issue 13), with the same HTTP discipline as
the lists: the same fetcher, so one request at a time per host and the same deadlines; one attempt
per pass (the next pass is the retry).

A pass reads the pages of posts not read yet (published in the last ``recent_days``), re-reads
once a day the pages that still show a problem (to see it fixed), and re-checks once a day the
links that failed. A link is dead only when it failed twice, a day apart: a server down for an
hour is not a finding. Page text is not kept: only a finding's masked excerpt is.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import lxml.html

from ..collect.http import FetchError, Fetcher, decode_html
from ..config import Config
from ..store import Store, iso
from . import personal
from .article import read_article
from .findings import finding_key, note, resolve, resolve_absent
from .inspect import DEADLINK, PERSONAL, WORDING, Problem, inspect

log = logging.getLogger(__name__)

REQUESTS_PER_PASS = 200           # pages and link checks together: a pass ends in minutes even at 1 s per request
NOT_YET = ""                       # links.checked of a link found in a page and not checked yet
ATTEMPTS = 3                       # a page that would not open is tried this many passes
AGAIN_AFTER = dt.timedelta(days=1)
DEAD_STATUSES = (404, 410)


@dataclass
class ScanResult:
    read: int = 0
    found: int = 0
    resolved: int = 0
    links: int = 0


def scan(config: Config, store: Store, fetcher: Fetcher, now: dt.datetime) -> ScanResult:
    result = ScanResult()
    if not config.content.scan_articles:
        return result
    # Columns only: an account's posts carry their text in the feed (``feed_text``), and the
    # platforms' article pages are not for robots.
    sources = {s.id: s for s in config.columns if s.scan_articles}
    if not sources:
        return result
    budget = REQUESTS_PER_PASS
    for row in _pages_to_read(store, sources, now, config.content.recent_days, budget):
        _read_page(config, store, fetcher, row, now, result)
        budget -= 1
    if config.content.check_links and budget > 0:
        # Links new pages showed first, then failed ones due for their next look; the rest wait for the next pass.
        for row in store.query("SELECT * FROM links WHERE checked = ? OR (first_failed IS NOT NULL AND checked <= ?) "
                               "ORDER BY checked LIMIT ?", (NOT_YET, iso(now - AGAIN_AFTER), budget)):
            if row["source_id"] in sources:
                _check_link(store, fetcher, row["url"], row["article"], row["source_id"], _title(store, row["article"]), now, result)
    if result.read or result.found or result.resolved:
        log.info("内容检查：读取 %d 篇，发现问题 %d 处，已整改 %d 处", result.read, result.found, result.resolved)
    return result


def _pages_to_read(store: Store, sources: dict, now: dt.datetime, recent_days: int, limit: int) -> list[dict]:
    today = now.date()
    ids = list(sources)
    marks = ", ".join("?" * len(ids))
    fresh = store.query(
        f"SELECT p.source_id, p.title, p.url, NULL AS state FROM posts p LEFT JOIN articles a ON a.url = p.url "
        f"WHERE p.url IS NOT NULL AND a.url IS NULL AND p.day BETWEEN ? AND ? AND p.source_id IN ({marks}) "
        f"GROUP BY p.url ORDER BY p.day DESC LIMIT ?",
        ((today - dt.timedelta(days=recent_days)).isoformat(), today.isoformat(), *ids, limit))
    again = store.query(
        f"SELECT a.source_id, a.title, a.url, a.state FROM articles a WHERE a.source_id IN ({marks}) AND a.read <= ? AND "
        f"((a.state = 'failed' AND a.attempts < ?) OR EXISTS (SELECT 1 FROM findings f WHERE f.article = a.url "
        f"AND f.resolved IS NULL AND f.kind != ?)) LIMIT ?",
        (*ids, iso(now - AGAIN_AFTER), ATTEMPTS, DEADLINK, limit))
    return (fresh + again)[:limit]


def _title(store: Store, article: str) -> str:
    rows = store.query("SELECT title FROM articles WHERE url = ?", (article,))
    return rows[0]["title"] if rows else article


def _read_page(config: Config, store: Store, fetcher: Fetcher, row: dict, now: dt.datetime, result: ScanResult) -> None:
    url, title, sid, first = row["url"], row["title"], row["source_id"], row["state"] is None
    content = config.content
    try:
        resp = fetcher.get(url, retry=False)
        text, _ = decode_html(resp.content, resp.content_type)
    except FetchError as e:
        gone = e.status in DEAD_STATUSES
        with store.transaction():
            _save_article(store, url, sid, title, now, "gone" if gone else "failed", str(e))
            if gone:    # the page was taken down: whatever it showed, it no longer shows
                result.resolved += resolve_absent(store, url, (PERSONAL, WORDING), set(), now)
            elif first:     # the title alone can still be read
                result.found += sum(note(store, sid, url, title, p, now) for p in _inspect(content, title, "", now))
        return
    article = read_article(text, resp.url)
    result.read += 1
    with store.transaction():
        _save_article(store, url, sid, title, now, "read", None)
        found, resolved = _shows(store, sid, url, title, _inspect(content, article.heading or title, article.text, now), now)
        result.found, result.resolved = result.found + found, result.resolved + resolved
        # The links of a page's first good read (its first try, or a later one after it would not open),
        # checked after the pages, within the pass's budget.
        if row["state"] != "read" and content.check_links:
            store.conn.executemany("INSERT OR IGNORE INTO links (url, article, source_id, checked) VALUES (?, ?, ?, ?)",
                                   [(link, url, sid, NOT_YET) for link in article.links])


def _inspect(content, title: str, text: str, now: dt.datetime) -> list[Problem]:
    return inspect(title, text, content.wordings, content.allow_numbers, now.date())


def _shows(store: Store, sid: str, page: str, title: str, problems: list[Problem], now: dt.datetime) -> tuple[int, int]:
    """``page`` shows these problems now: note each, and resolve its other open text problems.
    Returns (new findings, resolved findings). Call inside a transaction."""
    found = sum(note(store, sid, page, title, p, now) for p in problems)
    resolved = resolve_absent(store, page, (PERSONAL, WORDING), {finding_key(page, p) for p in problems}, now)
    return found, resolved


def _save_article(store: Store, url: str, sid: str, title: str, now: dt.datetime, state: str, error: str | None) -> None:
    store.conn.execute(
        "INSERT INTO articles (url, source_id, title, read, attempts, state, error) VALUES (?, ?, ?, ?, 1, ?, ?) "
        "ON CONFLICT (url) DO UPDATE SET read = excluded.read, attempts = attempts + 1, state = excluded.state, "
        "error = excluded.error", (url, sid, title, iso(now), state, error))


def link_failure(fetcher: Fetcher, url: str) -> str | None:
    """Why ``url`` is dead (404/410, or no connection), or None: it answered, or answered in a way
    that says nothing about the link (403 to robots, 5xx) and is not counted against it."""
    try:
        fetcher.get(url, body=False, retry=False)
    except FetchError as e:
        if e.status in DEAD_STATUSES:
            return f"HTTP {e.status}"
        if e.status is None and str(e).startswith(("无法连接", "超时")):
            return str(e)
    return None


def _check_link(store: Store, fetcher: Fetcher, url: str, article: str, sid: str, title: str,
                now: dt.datetime, result: ScanResult) -> None:
    failure = link_failure(fetcher, url)
    result.links += 1
    problem = Problem(DEADLINK, "断链", url, None)
    with store.transaction():
        if failure is None:
            store.conn.execute(
                "INSERT INTO links (url, article, source_id, checked) VALUES (?, ?, ?, ?) ON CONFLICT (url, article) "
                "DO UPDATE SET checked = excluded.checked, first_failed = NULL, failures = 0, error = NULL",
                (url, article, sid, iso(now)))
            result.resolved += resolve(store, finding_key(article, problem), now)
            return
        store.conn.execute(
            "INSERT INTO links (url, article, source_id, checked, first_failed, failures, error) VALUES (?, ?, ?, ?, ?, 1, ?) "
            "ON CONFLICT (url, article) DO UPDATE SET checked = excluded.checked, failures = failures + 1, "
            "error = excluded.error, first_failed = coalesce(first_failed, excluded.first_failed)",
            (url, article, sid, iso(now), iso(now), failure))
        first_failed, failures = store.conn.execute("SELECT first_failed, failures FROM links WHERE url = ? AND article = ?",
                                                    (url, article)).fetchone()
        if failures >= 2 and now - dt.datetime.fromisoformat(first_failed) >= AGAIN_AFTER:
            result.found += note(store, sid, article, title, problem, now)


def feed_text(config: Config, store: Store, source, posts, now: dt.datetime) -> int:
    """Findings in feed items' own text (RSSHub carries the whole article). An item edited to drop
    a problem resolves it; an item that leaves the feed does not (feeds keep only their last few).
    Call inside a transaction."""
    content = config.content
    if not content.scan_articles or not source.scan_articles:
        return 0
    recent = now.date() - dt.timedelta(days=content.recent_days)
    found = 0
    for post in posts:
        if post.day < recent:
            continue
        page = post.url or f"{source.id}:{post.key}"
        problems = _inspect(content, post.title, _html_text(post.text), now)
        found += _shows(store, source.id, page, personal.scrub(post.title, now.date()), problems, now)[0]
    return found


def _html_text(html: str) -> str:
    if not html or "<" not in html:
        return html or ""
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div").text_content()
    except (lxml.etree.ParserError, ValueError):
        return html
