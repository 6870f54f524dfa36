"""``monitor discover URL``: walk one site from a home page or a unit's 信息公开 page and list the
pages whose main block is a dated list, as ``[[columns]]`` entries ready to paste.

The walk stays on the start page's host, goes ``depth`` links deep, reads at most ``max_pages``
pages with the fetcher's politeness, and does not follow links out of a list page (they are
articles). A link text that names a unit (区财政局, 石鼓镇 …) names the unit of the columns found
below it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from ..collect.http import Fetcher, FetchError, decode_html
from ..collect.pages import _parse, extract
from ..config import Selectors
from ..textutil import clean

AUTO = Selectors(None, "a", None, "a", None, None, 10)
UNIT = re.compile(r"(局|办|委|委员会|镇|乡|街道|办事处|中心|分局|管委会|大队|支队|院|所|馆|站)$")
FILES = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|zip|rar|7z|jpe?g|png|gif|mp4|wps|txt|xml|atom|json)$", re.I)
MIN_ITEMS = 3


@dataclass
class Found:
    url: str
    name: str
    unit: str | None
    items: int
    newest: dt.date | None
    item_selector: str | None


@dataclass
class Crawl:
    columns: list[Found] = field(default_factory=list)
    pages: int = 0
    failed: list[str] = field(default_factory=list)


def discover(start: str, fetcher: Fetcher, now: dt.datetime, depth: int = 3, max_pages: int = 200) -> Crawl:
    host = urlsplit(start).netloc
    queue = deque([(start, 0, None, None)])       # url, depth, the link text that led here, the unit above
    seen = {start}
    crawl = Crawl()
    while queue and crawl.pages < max_pages:
        url, level, anchor, unit = queue.popleft()
        try:
            resp = fetcher.get(url)
            html, _ = decode_html(resp.content, resp.content_type)
        except FetchError as e:
            crawl.failed.append(f"{url}：{e}")
            continue
        crawl.pages += 1
        page = extract(html, resp.url, AUTO, now)
        # The start page is where the navigation begins, even when it shows a dated list (a home page's 要闻).
        if level > 0 and page.detected is not None and len(page.items) >= MIN_ITEMS:
            name = anchor or _page_title(html)
            crawl.columns.append(Found(resp.url, name, unit, len(page.items),
                                       max((i.day for i in page.items), default=None), page.detected.item))
            continue                          # its links are articles, not columns
        if level >= depth:
            continue
        unit = unit or unit_name(_page_title(html))    # a unit's own 信息公开 page names it in its title
        root = _parse(html)
        if root is None:
            continue
        for a in root.iter("a"):
            href = (a.get("href") or "").strip()
            text = clean(a.text_content(), 40)
            if not href or href.startswith(("javascript:", "mailto:", "#")) or not text:
                continue
            target = urldefrag(urljoin(resp.url, href))[0]
            if urlsplit(target).netloc != host or FILES.search(urlsplit(target).path) or target in seen:
                continue
            seen.add(target)
            below = unit_name(text) or unit
            queue.append((target, level + 1, text, below))
    return crawl


def unit_name(text: str) -> str | None:
    """区财政局 → 财政局; 石鼓镇 → 石鼓镇; 信息公开 → None."""
    text = re.sub(r"(信息公开|政务公开|目录|指南|年报)$", "", text.strip())
    text = re.sub(r"^区", "", text)
    return text if 2 <= len(text) <= 15 and UNIT.search(text) else None


def _page_title(html: str) -> str:
    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.S | re.I)
    title = clean(m.group(1) if m else "", 40)
    return re.split(r"\s*[-_|–—]\s*", title)[0] or "（未命名栏目）"
