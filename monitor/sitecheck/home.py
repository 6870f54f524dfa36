"""The home page, read on a schedule ([site] check_every): did it open within ``slow_after``
seconds, and what is the newest date it prints?"""

from __future__ import annotations

import datetime as dt
import logging
import time

import lxml.html

from ..collect.dates import find_date, link_date
from ..collect.http import FetchError, Fetcher, decode_html
from ..config import Config
from ..store import Store, iso

log = logging.getLogger(__name__)


def newest_date(html: str, now: dt.datetime) -> dt.date | None:
    """The newest date printed on the page (or in its links), not after today. Dates without a year
    and relative times count too (read against ``now``): a home page that prints 12-30 was updated
    on the 30th, and leaving such dates out could only make it look staler than it is."""
    today = now.date()
    try:
        doc = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None
    for bad in list(doc.iter("script", "style")):
        bad.drop_tree()
    found = []
    for text in doc.itertext():
        if any(c.isdigit() for c in text):
            day = find_date(text, now)
            if day is not None:
                found.append(day.date() if isinstance(day, dt.datetime) else day)
    found += [d for a in doc.iter("a") if (d := link_date(a.get("href")))]
    found = [d for d in found if d <= today]
    return max(found) if found else None


def check_home(config: Config, store: Store, fetcher: Fetcher, now: dt.datetime) -> dict | None:
    url = config.site.home
    if not url:
        return None
    started = time.monotonic()
    error, newest = None, None
    try:
        resp = fetcher.get(url)
        text, _ = decode_html(resp.content, resp.content_type)
        newest = newest_date(text, now)
    except FetchError as e:
        error = str(e)
    seconds = time.monotonic() - started
    if error is None and seconds > config.site.slow_after:
        error = f"打开用时 {seconds:.1f} 秒，超过 {config.site.slow_after:g} 秒"
    row = {"at": iso(now), "ok": int(error is None), "seconds": round(seconds, 3), "error": error,
           "newest": newest.isoformat() if newest else None}
    with store.transaction():
        store.conn.execute("INSERT INTO home_checks (at, ok, seconds, error, newest) VALUES (:at, :ok, :seconds, :error, :newest)", row)
    if error:
        log.warning("首页打不开：%s", error)
    return row
