"""Extract list items from a column's page: a pure function of HTML, URL and selectors.

Reads plain list pages, Hanweb JCMS ``<datastore>`` records (parsed as if they were in the
page), and finds the next page from a ``next`` link, TRS ``createPageHTML(...)``, or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from ..config import Selectors
from ..textutil import clean
from .dates import find_date, link_date, pattern_date

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
JCMS_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL)
# createPageHTML(5, 0, "index", "html") or createPageHTML(countPage, currentPage, "index", "html")
TRS_PAGER = re.compile(r"createPageHTML\(\s*(\w+)\s*,\s*(\w+)\s*,\s*[\"']([^\"']+)[\"']\s*,\s*[\"']([^\"']+)[\"']")


@dataclass(frozen=True)
class Item:
    title: str
    url: str | None
    published: dt.date | dt.datetime

    @property
    def day(self) -> dt.date:
        return self.published.date() if isinstance(self.published, dt.datetime) else self.published

    @property
    def key(self) -> str:
        """Identity within a column: the link without its scheme (a site moving to https keeps its
        posts), or title and date when there is no link."""
        if self.url:
            return re.sub(r"^https?:", "", self.url)
        return f"{self.title}|{self.day}"


@dataclass
class Page:
    items: list[Item] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)    # titles of items with no date
    matched: int = 0                                     # elements the item selector matched
    next_url: str | None = None
    pager: str | None = None                             # how next_url was found: next | trs
    style: str = "html"                                  # html | jcms


def extract(html: str, url: str, sel: Selectors, now: dt.datetime | None = None) -> Page:
    """Items of a list page. ``now`` (the moment of reading) resolves relative and year-less dates."""
    page = Page()
    root = _parse(html)
    if root is None:
        return page
    if _inline_jcms_records(root):
        page.style = "jcms"
    elements = css(sel.item)(root)
    page.matched = len(elements)
    items = set(elements)
    for el in elements:
        title, title_el = _title(el, sel.title)
        link = _link(el, sel.link, url)
        # Printed dates win over the link's; a full date in the title itself is the last resort.
        published = (item_date(el, sel, title, title_el, link, now) or heading_date(el, items, now)
                     or link_date(link) or find_date(title))
        if published is None:
            page.undated.append(title or "(无标题)")
            continue
        if title:
            page.items.append(Item(title, link, published))
    page.next_url, page.pager = _next_page(root, html, url, sel)
    return page


def item_date(el, sel: Selectors, title: str, title_el, link: str | None, now: dt.datetime | None):
    """The date an item prints: in the ``date`` element's ``date_attr``, ``datetime`` or ``title``
    attribute, then its text; without a ``date`` selector, in the item's text outside the title
    element (a date in a title is no date of the post)."""
    if sel.date:
        found = css(sel.date)(el)
        if not found:
            return None
        texts = [found[0].get(name) for name in (sel.date_attr, "datetime", "title") if name]
        texts.append(spaced_text(found[0]))
    else:
        texts = [el.get(sel.date_attr)] if sel.date_attr else []
        texts += [t.get("datetime") for t in el.iter("time")]
        texts.append(spaced_text(el, skip=title_el if title_el is not el else None).replace(title, " "))
    pattern = _pattern(sel.date_pattern) if sel.date_pattern else None
    for text in texts:
        if not text:
            continue
        found = pattern_date(pattern, text, now, link) if pattern else find_date(text, now, link)
        if found is not None:
            return found
    return None


def heading_date(el, items: set, now: dt.datetime | None, lookback: int = 40):
    """A date printed once above a group of items (``4月22日·周二``): the nearest short element before
    the item, or before its parent, that reads as a date and is not an item itself."""
    for anchor in (el, el.getparent()):
        if anchor is None:
            continue
        for n, sibling in enumerate(anchor.itersiblings(preceding=True)):
            if n >= lookback or not isinstance(sibling.tag, str):
                continue
            if sibling in items:
                continue
            text = _text(sibling)
            if text and len(text) <= 30:
                found = find_date(text, now)
                if found is not None:
                    return found
    return None


@lru_cache(maxsize=64)
def _pattern(text: str) -> re.Pattern:
    return re.compile(text)


@lru_cache(maxsize=512)
def css(selector: str) -> CSSSelector:
    """A compiled CSS selector (lxml + cssselect: about ten times faster than BeautifulSoup here)."""
    return CSSSelector(selector)


def _parse(html: str):
    # lxml refuses str input that still carries an XML encoding declaration.
    html = XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def _inline_jcms_records(root) -> bool:
    """Replace each JCMS ``<script type="text/xml"><datastore>`` with its records' HTML."""
    found = False
    for script in root.iter("script"):
        if script.get("type") != "text/xml" or "<datastore" not in (script.text or ""):
            continue
        records = JCMS_RECORD.findall(script.text)
        parent, index = script.getparent(), script.getparent().index(script)
        fragments = [f for f in lxml.html.fragments_fromstring("".join(records) or "<i></i>") if not isinstance(f, str)]
        for offset, fragment in enumerate(fragments):
            parent.insert(index + offset, fragment)
        parent.remove(script)
        found = True
    return found


def spaced_text(el, skip=None) -> str:
    """The element's text with a space between its parts (``<span>18</span><span>2021-11</span>``
    reads ``18 2021-11``), leaving out ``skip``'s subtree and scripts."""
    parts: list[str] = []

    def walk(node):
        if node is skip or node.tag in ("script", "style"):
            return
        if isinstance(node.tag, str) and node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _title(el, selector: str):
    """(title, the element it came from). Lists often truncate the visible title ("关于…的通…") and
    keep the full one in title=."""
    found = css(selector)(el)
    t = found[0] if found else el
    full = (t.get("title") or "").strip()
    shown = _text(t)
    return clean(full if full and len(full) >= len(shown) else shown), t


def _link(el, selector: str, base: str) -> str | None:
    if el.tag == "a":
        a = el
    else:
        found = css(selector)(el)
        a = found[0] if found else None
        if a is not None and a.tag != "a" and not a.get("href"):
            a = next(a.iter("a"), None)
    href = a.get("href") if a is not None else None
    if not href or href.strip().startswith(("javascript:", "#")):
        return None
    return urljoin(base, href.strip())


def _next_page(root, html: str, url: str, sel: Selectors) -> tuple[str | None, str | None]:
    if sel.next:
        found = css(sel.next)(root)
        href = found[0].get("href") if found else None
        if href and not href.startswith(("javascript:", "#")):
            target = urljoin(url, href.strip())
            return (target, "next") if target != url else (None, None)
        return None, None
    m = TRS_PAGER.search(html)
    if m:
        count, current, name, ext = _js_int(m[1], html), _js_int(m[2], html), m[3], m[4]
        if count is not None and current is not None and current + 1 < count:
            return urljoin(url, f"{name}_{current + 1}.{ext}"), "trs"
    return None, None


def _js_int(token: str, html: str) -> int | None:
    """A literal, or the value of ``var token = 3`` elsewhere in the page's scripts."""
    if token.isdigit():
        return int(token)
    m = re.search(rf"\b(?:var\s+)?{re.escape(token)}\s*=\s*(\d+)", html)
    return int(m.group(1)) if m else None
