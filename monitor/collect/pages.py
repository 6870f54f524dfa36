"""Extract list items from a column's page: a pure function of HTML, URL and selectors.

Reads plain list pages, Hanweb JCMS ``<datastore>`` records (parsed as if they were in the
page), and finds the next page from a ``next`` link, TRS ``createPageHTML(...)``, or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from ..config import Selectors
from .dates import find_date

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


@dataclass
class Page:
    items: list[Item] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)    # titles of items with no date
    matched: int = 0                                     # elements the item selector matched
    next_url: str | None = None
    pager: str | None = None                             # how next_url was found: next | trs
    style: str = "html"                                  # html | jcms


def extract(html: str, url: str, sel: Selectors) -> Page:
    soup = BeautifulSoup(html, "lxml")
    page = Page()
    if _inline_jcms_records(soup):
        page.style = "jcms"
    elements = soup.select(sel.item)
    page.matched = len(elements)
    for el in elements:
        title = _title(el, sel.title)
        link = _link(el, sel.link, url)
        if sel.date:
            date_el = el.select_one(sel.date)
            text = date_el.get_text(" ", strip=True) if date_el else ""
        else:
            text = el.get_text(" ", strip=True).replace(title, " ")
        published = find_date(text)
        if published is None:
            page.undated.append(title or "(无标题)")
            continue
        if title:
            page.items.append(Item(title, link, published))
    page.next_url, page.pager = _next_page(soup, html, url, sel)
    return page


def _inline_jcms_records(soup) -> bool:
    """Replace each JCMS ``<script type="text/xml"><datastore>`` with its records' HTML."""
    found = False
    for script in soup.find_all("script", attrs={"type": "text/xml"}):
        text = script.string or ""
        if "<datastore" not in text:
            continue
        records = JCMS_RECORD.findall(text)
        script.replace_with(BeautifulSoup("".join(records), "html.parser"))
        found = True
    return found


def _title(el, selector: str) -> str:
    t = el.select_one(selector) or el
    # Lists often truncate the visible title ("关于…的通…") and keep the full one in title=.
    full = t.get("title") if hasattr(t, "get") else None
    shown = t.get_text(" ", strip=True)
    return re.sub(r"\s+", " ", full if full and len(full.strip()) >= len(shown) else shown).strip()


def _link(el, selector: str, base: str) -> str | None:
    a = el if el.name == "a" else el.select_one(selector)
    if a is not None and a.name != "a":
        a = a.find("a") or (a if a.get("href") else None)
    href = a.get("href") if a is not None else None
    if not href or href.startswith(("javascript:", "#")):
        return None
    return urljoin(base, href.strip())


def _next_page(soup, html: str, url: str, sel: Selectors) -> tuple[str | None, str | None]:
    if sel.next:
        a = soup.select_one(sel.next)
        href = a.get("href") if a is not None else None
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
