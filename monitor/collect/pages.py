"""Extract list items from a column's page: a pure function of HTML, URL and selectors.

Reads plain list pages, Hanweb JCMS ``<datastore>`` records (parsed as if they were in the
page), and finds the next page from a ``next`` link, TRS ``createPageHTML(...)``, or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from ..config import Selectors
from .autodetect import find_list, selector_for
from ..textutil import clean
from .dates import find_date, link_date, pattern_date

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
JCMS_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL)
# createPageHTML(5, 0, "index", "html") or createPageHTML(countPage, currentPage, "index", "html")
DATE_BOX_REST = re.compile(r"[\d\s\-/.:：年月日\[\]【】()（）]")
NEXT_WORDS = {"下一页", "下页", "后页", "下一頁", ">", "›", "»", "下一页>", "下一页 >", "下一页»"}
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
    pager: str | None = None                             # how next_url was found: next | trs | text | index
    style: str = "html"                                  # html | jcms
    detected: Selectors | None = None                    # the selectors found when none were configured


def extract(html: str, url: str, sel: Selectors, now: dt.datetime | None = None) -> Page:
    """Items of a list page. ``now`` (the moment of reading) resolves relative and year-less dates."""
    page = Page()
    root = _parse(html)
    if root is None:
        return page
    if _inline_jcms_records(root):
        page.style = "jcms"
    if sel.item:
        elements = css(sel.item)(root)
    else:   # no selectors: find the page's dated list, and say which selector it was
        elements = find_list(root, now) or []
        if elements:
            page.detected = replace(sel, item=selector_for(elements, root) or elements[0].tag)
    page.matched = len(elements)
    items = set(elements)
    for el in elements:
        title, title_el = _title(el, sel.title)
        link = _link(title_el if sel.link == sel.title and title_el.tag == "a" else el, sel.link, url)
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
        skip = title_el if title_el is not el else None
        # A short element that is just a date (<span>2021-11-22</span>) before the running text,
        # where a summary may mention other dates ("自2021年10月1日起施行").
        texts += [spaced_text(node) for node in el.iter() if node is not el and _is_date_box(node, skip)]
        texts.append(spaced_text(el, skip=skip).replace(title, " "))
    pattern = _pattern(sel.date_pattern) if sel.date_pattern else None
    for text in texts:
        if not text:
            continue
        found = pattern_date(pattern, text, now, link) if pattern else find_date(text, now, link)
        if found is not None:
            return found
    return None


def _is_date_box(node, skip) -> bool:
    if not isinstance(node.tag, str) or node is skip or node.tag in ("script", "style", "a"):
        return False
    if skip is not None and any(a is skip for a in node.iterancestors()):
        return False
    text = node.text_content().strip()
    # Just a date, perhaps with a label (发布日期：…): little is left once digits and separators go.
    return 0 < len(text) <= 25 and any(ch.isdigit() for ch in text) and len(DATE_BOX_REST.sub("", text)) <= 6


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


def title_link_of(found: list):
    """Of several title candidates, the longest that is not a tag or a 'more' link."""
    from .autodetect import NOT_TITLES

    usable = [t for t in found if not NOT_TITLES.match(_text(t))]
    return max(usable, key=lambda t: len(_text(t)), default=None)


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
    # Of several matches (a category tag such as [社会] before the title), the article's own link.
    t = title_link_of(found) if len(found) > 1 else None
    if t is None:
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
    return absolute(base, href.strip())


ORIGIN = re.compile(r"https?://[^/?#]+")
SIMPLE_PATH = re.compile(r"/[^/.?#\\][^?#\\]*")    # /a/b.html: no //host, no ./ or ../ segments, no query


def absolute(base: str, href: str) -> str:
    """urljoin, with a shortcut for the two forms nearly every list uses: a full http(s) address and
    an absolute path (urljoin costs as much as the rest of an item's extraction)."""
    if href.startswith(("http://", "https://")) and SIMPLE_PATH.fullmatch(href[href.find("/", 8):] or "/x") \
            and "/." not in href and "?" not in href:
        return href
    if SIMPLE_PATH.fullmatch(href) and "/." not in href:
        m = ORIGIN.match(base)
        if m:
            return m[0] + href
    return urljoin(base, href)


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
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.startswith(("javascript:", "#")) and _text(a) in NEXT_WORDS:
            target = urljoin(url, href)
            return (target, "text") if target != url else (None, None)
    return None, None


def _js_int(token: str, html: str) -> int | None:
    """A literal, or the value of ``var token = 3`` elsewhere in the page's scripts."""
    if token.isdigit():
        return int(token)
    m = re.search(rf"\b(?:var\s+)?{re.escape(token)}\s*=\s*(\d+)", html)
    return int(m.group(1)) if m else None
