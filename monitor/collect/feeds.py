"""Read an account's feed (RSS, Atom or JSON Feed from RSSHub, wewe-rss, any feed URL) into posts.

Times are read from the feed's own text so that Chinese habits come out right: ``CST``/``CCT``
is China Standard Time (Java writes it so), a time without a zone is local time (Beijing, or the
account's ``timezone``), and ``2021年9月30日 20:00`` is a date. An item saying the subscription
itself stopped (公众号订阅已暂停更新 …) is no post: it makes the feed failing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from ..model import Post
from ..textutil import clean
from .dates import find_date

QUOTE_MARKERS = ("rsshub-quote", "//@")
CHINA_ZONES = re.compile(r"\s*\b(CST|CCT|BJT|Asia/Shanghai)\s*$", re.IGNORECASE)
FEED_STOPPED = re.compile(r"(订阅|公众号|账号|订阅源|源)[^，。]{0,6}(已?暂停|已?停止|已?失效|已?过期)|暂停更新|停止更新|请重新订阅")


@dataclass
class FeedResult:
    posts: list[Post] = field(default_factory=list)
    entries: int = 0
    undated: int = 0
    error: str | None = None


@dataclass
class Entry:
    """What the monitor needs of one feed item, whatever the format."""
    guid: str | None
    link: str | None
    title: str
    text: str            # summary and content, to spot quotes of other posts
    stamp: str | None    # the item's time as the feed wrote it
    parsed: tuple | None = None   # feedparser's UTC reading, for forms the text parser does not know


def is_repost(title: str, description: str, markers) -> bool:
    """A repost/转载/转发: the title starts with a marker, or the text quotes another post."""
    title = (title or "").strip()
    return title.startswith(tuple(markers)) or any(q in (description or "") for q in QUOTE_MARKERS)


def post_key(guid: str, day: dt.date, title: str) -> str:
    """A feed post's identity: its GUID with its date and title, since some feed generators give
    several posts one GUID; the same GUID, date and title listed twice is one post."""
    return f"{guid}|{day.isoformat()}|{title}"


def feed_time(text: str | None, tz: ZoneInfo, naive_tz: ZoneInfo | None = None) -> dt.datetime | None:
    """A feed item's time, in ``tz``. Zone-less times are in ``naive_tz`` (default: ``tz``)."""
    text = (text or "").strip()
    if not text:
        return None
    naive_tz = naive_tz or tz
    text = CHINA_ZONES.sub(" +0800", text)
    moment = None
    try:
        moment = parsedate_to_datetime(text)                      # RFC 822: Thu, 30 Sep 2021 12:00:00 +0800
    except (TypeError, ValueError, IndexError):
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))   # RFC 3339 / ISO 8601
        except ValueError:
            found = find_date(text)                               # 2005-5-28 16:05:36, 2021年9月30日 20:00
            if found is not None:
                moment = found if isinstance(found, dt.datetime) else dt.datetime.combine(found, dt.time())
    if moment is None:
        return None
    if moment.tzinfo is None:      # no zone written (or RFC 822's "-0000", unknown): local time
        moment = moment.replace(tzinfo=naive_tz)
    return moment.astimezone(tz)


def repost_origin(title: str, text: str, original: bool, origins) -> str | None:
    """The required source a repost names (in its title or text), if any."""
    if original or not origins:
        return None
    return next((o for o in origins if o in title or o in (text or "")), None)


def parse_feed(content: bytes, tz: ZoneInfo, repost_markers, content_type: str = "",
               naive_tz: ZoneInfo | None = None, origins: tuple = ()) -> FeedResult:
    entries, error = _json_feed(content, content_type)
    if entries is None:
        entries = _plain_feed(content)
        error = None
    if entries is None:     # not plain RSS 2.0 or Atom: feedparser reads the rest
        entries, error = _xml_feed(content, content_type)
    result = FeedResult(entries=len(entries), error=error)
    if error:
        return result
    seen = set()
    for entry in entries:
        title = clean(entry.title)
        if FEED_STOPPED.search(title) or (not title and FEED_STOPPED.search(clean(entry.text, 200))):
            result.error = f"订阅源提示已停止更新：「{clean(title or entry.text, 60)}」（请检查订阅或更换订阅源）"
            result.posts = []
            return result
        published = feed_time(entry.stamp, tz, naive_tz)
        if published is None and entry.parsed is not None:
            published = dt.datetime(*entry.parsed[:6], tzinfo=dt.timezone.utc).astimezone(tz)
        if published is None:
            result.undated += 1
            continue
        key = post_key(entry.guid or entry.link or published.isoformat(), published.date(), title)
        if key in seen:
            continue
        seen.add(key)
        original = not is_repost(title, entry.text, repost_markers)
        result.posts.append(Post(
            key=key, title=title or "(无标题)", url=entry.link, published=published, original=original,
            origin=repost_origin(title, entry.text, original, origins), text=entry.text,
        ))
    return result


ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
TAGS = re.compile(r"<[^>]+>")


def _plain_feed(content: bytes) -> list[Entry] | None:
    """RSS 2.0 and Atom read straight with lxml (RSSHub and wewe-rss write these): several times
    faster than feedparser. None for anything else, which feedparser then reads."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        root = etree.fromstring(content, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root.tag == "rss":
        items = root.findall("channel/item")
        entries = [Entry(_text(i, "guid"), _text(i, "link"), _text(i, "title") or "",
                         (_text(i, "description") or "") + (_text(i, CONTENT) or ""), _text(i, "pubDate"))
                   for i in items]
    elif root.tag == f"{ATOM}feed":
        entries = []
        for e in root.findall(f"{ATOM}entry"):
            links = [a for a in e.findall(f"{ATOM}link") if a.get("rel", "alternate") == "alternate"]
            entries.append(Entry(_text(e, f"{ATOM}id"), links[0].get("href") if links else None,
                                 _text(e, f"{ATOM}title") or "",
                                 (_text(e, f"{ATOM}summary") or "") + (_text(e, f"{ATOM}content") or ""),
                                 _text(e, f"{ATOM}published") or _text(e, f"{ATOM}updated")))
    else:
        return None
    for entry in entries:       # titles are text; a feed that put markup in one still reads as text
        if "<" in entry.title:
            entry.title = TAGS.sub("", entry.title)
    return entries if entries else None


def _text(node, tag: str) -> str | None:
    found = node.find(tag)
    return found.text.strip() if found is not None and found.text else None


def _xml_feed(content: bytes, content_type: str) -> tuple[list[Entry], str | None]:
    import feedparser

    parsed = feedparser.parse(content, response_headers={"content-type": content_type} if content_type else None)
    if not parsed.entries:
        if parsed.get("bozo"):
            return [], f"订阅源无法解析：{clean(str(parsed.get('bozo_exception', '')), 120)}"
        return [], "订阅源中没有任何条目"
    entries = []
    for e in parsed.entries:
        text = e.get("summary", "") + "".join(c.get("value", "") for c in e.get("content", []))
        stamp = e.get("published") or e.get("updated") or e.get("created")
        entries.append(Entry(e.get("id"), e.get("link"), e.get("title") or "", text, stamp,
                             e.get("published_parsed") or e.get("updated_parsed")))
    return entries, None


def _json_feed(content: bytes, content_type: str) -> tuple[list[Entry] | None, str | None]:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org); None when the content is not one."""
    if "json" not in (content_type or "") and not content.lstrip()[:1] == b"{":
        return None, None
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None, None
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        return None, None
    items = data.get("items")
    if not isinstance(items, list) or not items:
        return [], "订阅源中没有任何条目"
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        text = str(item.get("content_html") or "") + str(item.get("content_text") or "") + str(item.get("summary") or "")
        title = str(item.get("title") or "") or clean(str(item.get("content_text") or ""), 60)
        entries.append(Entry(str(item.get("id") or "") or None, item.get("url"), title, text,
                             item.get("date_published") or item.get("date_modified")))
    return entries, None
