"""A column whose list is a JSON endpoint (the XHR a list page's script calls): items from a
dotted path, each item's title, date and link from its keys. A pure function, like ``extract``."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urljoin

from ..config import JsonList
from ..textutil import clean
from .dates import find_date
from .pages import Item, Page


def dig(value, path: str):
    for key in path.split("."):
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


def json_date(value, now: dt.datetime | None):
    """A date as JSON APIs give it: text in any form a page uses, or epoch seconds / milliseconds."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        tz = now.tzinfo if now else dt.timezone(dt.timedelta(hours=8))
        return dt.datetime.fromtimestamp(seconds, tz).replace(tzinfo=None)
    return find_date(str(value), now)


def extract_json(content: bytes, url: str, spec: JsonList, now: dt.datetime | None = None) -> Page:
    page = Page(style="json")
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return page
    items = dig(data, spec.items)
    if not isinstance(items, list):
        return page
    page.matched = len(items)
    for item in items:
        if not isinstance(item, dict):
            continue
        title = clean(str(dig(item, spec.title) or ""))
        published = json_date(dig(item, spec.date), now)
        link = dig(item, spec.link)
        if published is None:
            page.undated.append(title or "(无标题)")
        elif title:
            page.items.append(Item(title, urljoin(url, str(link)) if link else None, published))
    return page
