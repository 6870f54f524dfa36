"""One collector per kind of source: a column's list pages, an account's feed.

A collector fetches and extracts; it never touches the store. What it needs to know from the
store (keys already recorded, cached validators) arrives in a ``Known``; what it learnt leaves
in the returned ``Fetch``.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..config import Account, Column, Source
from ..model import Fetch, Post
from .feeds import parse_feed
from .http import Fetcher, FetchError, decode_html
from .jsonlist import extract_json
from .pages import extract


ONE_DAY = dt.timedelta(days=1)


@dataclass
class Known:
    """What the store knows about a source before a fetch."""
    validators: dict = field(default_factory=dict)   # url → {"etag", "last_modified"}
    since: dt.date = dt.date(2000, 1, 1)              # posts before this day are not wanted
    # The last covered day joined to the backfill: a read may stop once it reaches it.
    # None while the backfill is unfinished: read back to ``since`` (or as far as the list goes).
    target: dt.date | None = None


class ColumnCollector:
    def __init__(self, column: Column):
        self.column = column

    def collect(self, fetcher: Fetcher, known: Known, now: dt.datetime) -> Fetch:
        """Read list pages from the first until the read joins what is covered: back past
        ``known.since``, to ``known.target``, to the list's end, or to ``max_pages``.

        ``fetch.observed_from`` is the first day the read saw completely: ``since`` when the read
        went past it; else the day after the oldest item when the list ended, or after the bottom
        item of the last page read (another page may hold more posts of that day). Pinned items sit at the top, so the bottom
        item, not the oldest one, says how far a page reaches.
        """
        col, sel = self.column, self.column.selectors
        fetch = Fetch(ok=False)
        started = time.perf_counter()
        url: str | None = col.url
        visited: set[str] = set()
        listed: set[str] = set()
        floor = oldest = None
        try:
            while True:
                visited.add(url)
                first = fetch.pages == 0
                cached = known.validators.get(url, {}) if first else {}
                resp = fetcher.get(url, cached.get("etag"), cached.get("last_modified"))
                fetch.status = resp.status
                if resp.not_modified:
                    fetch.ok = fetch.not_modified = True
                    fetch.pages = 1
                    return fetch
                if col.json:
                    page, fetch.encoding = extract_json(resp.content, resp.url, col.json, now), "json"
                else:
                    text, fetch.encoding = decode_html(resp.content, resp.content_type, col.encoding)
                    page = extract(text, resp.url, sel, now)
                fetch.pages += 1
                fetch.items += page.matched
                fetch.undated += len(page.undated)
                if first:
                    if not page.items:
                        fetch.error = _empty_json_reason(page, col.json) if col.json else _empty_page_reason(page, sel)
                        fetch.empty = page.matched == 0
                        return fetch
                    fetch.validators = {url: {"etag": resp.etag, "last_modified": resp.last_modified}}
                for item in page.items:
                    # --as-of: items dated after now are not yet published.
                    if known.since <= item.day <= now.date() and item.key not in listed:
                        listed.add(item.key)
                        fetch.posts.append(Post(key=item.key, title=item.title, url=item.url, published=item.published))
                next_url = _template_page(col, fetch.pages) if sel.pages else page.next_url
                if not page.items or not next_url or next_url in visited:     # the list ended
                    oldest = min([oldest, *(i.day for i in page.items)] if oldest else [i.day for i in page.items])
                    # A pager the tool cannot see (script-driven, a JSON API's next page) may hold more
                    # posts of the oldest day: trust the days after it, unless the list went past since.
                    fetch.observed_from = fetch.backfill = known.since if oldest < known.since else oldest + ONE_DAY
                    break
                floor = page.items[-1].day
                oldest = min(oldest or floor, *(i.day for i in page.items))
                if floor < known.since:
                    fetch.observed_from = fetch.backfill = known.since
                    break
                if known.target is not None and floor <= known.target:
                    fetch.observed_from = floor + ONE_DAY   # joins the covered days
                    break
                if fetch.pages >= sel.max_pages:
                    fetch.observed_from = fetch.backfill = floor + ONE_DAY
                    break
                url = next_url
            fetch.ok = True
        except FetchError as e:
            fetch.status = e.status or fetch.status
            if fetch.pages == 0:
                fetch.error = str(e)
            else:
                # A later page failing keeps what the pages before it showed; the backfill resumes next time.
                fetch.ok = True
                fetch.error = f"第 {fetch.pages + 1} 页读取失败：{e}"
                fetch.observed_from = floor + ONE_DAY
        finally:
            fetch.seconds = time.perf_counter() - started
        return fetch


def _template_page(col: Column, pages_read: int) -> str | None:
    """``pages = "index_{n}.html"``: the configured URL is page 1, then n = 1, 2, …"""
    if not col.selectors.pages:
        return None
    return urljoin(col.url, col.selectors.pages.format(n=pages_read))


def _empty_json_reason(page, spec) -> str:
    if page.matched == 0:
        return f"JSON 中 {spec.items} 处没有信息数组（接口可能已改变，请用 monitor probe 检查）"
    return f"JSON 中找到 {page.matched} 条，但 {spec.date} 都不是可识别的日期"


def _empty_page_reason(page, sel) -> str:
    if page.matched == 0 and not sel.item:
        return "没有选择器时未能在页面上找到带日期的信息列表（请用 monitor probe ID 查看，必要时写上 item、date 选择器）"
    if page.matched == 0:
        return f"页面上没有匹配 item = \"{sel.item}\" 的条目（网站可能已改版，请用 monitor probe 检查选择器）"
    return f"找到 {page.matched} 个条目，但都没有可识别的日期（date = \"{sel.date or '整条文字'}\"）"


class FeedCollector:
    def __init__(self, account: Account):
        self.account = account

    def collect(self, fetcher: Fetcher, known: Known, now: dt.datetime) -> Fetch:
        acc = self.account
        fetch = Fetch(ok=False)
        started = time.perf_counter()
        cached = known.validators.get(acc.feed, {})
        try:
            resp = fetcher.get(acc.feed, cached.get("etag"), cached.get("last_modified"))
            fetch.status, fetch.pages = resp.status, 1
            if resp.not_modified:
                fetch.ok = fetch.not_modified = True
                return fetch
            parsed = parse_feed(resp.content, now.tzinfo, acc.repost_markers, resp.content_type, acc.timezone,
                                acc.must_repost.origins if acc.must_repost else ())
            fetch.items, fetch.undated = parsed.entries, parsed.undated
            if parsed.error or not parsed.posts:
                fetch.error = parsed.error or "订阅源中的条目都没有发布时间"
                return fetch
            fetch.posts = [p for p in parsed.posts if known.since <= p.day <= now.date() and p.published <= now]
            # A feed keeps only its latest items: it shows every post after its oldest day, no more.
            oldest = min(p.day for p in parsed.posts)
            fetch.observed_from = fetch.backfill = known.since if oldest < known.since else oldest + ONE_DAY
            fetch.validators = {acc.feed: {"etag": resp.etag, "last_modified": resp.last_modified}}
            fetch.ok = True
        except FetchError as e:
            fetch.status, fetch.error = e.status, str(e)
        finally:
            fetch.seconds = time.perf_counter() - started
        return fetch


def collector_for(source: Source):
    if isinstance(source, Column):
        return ColumnCollector(source)
    if isinstance(source, Account) and source.feed:
        return FeedCollector(source)
    return None
