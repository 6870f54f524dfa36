"""Read an account's RSS/Atom feed (RSSHub, wewe-rss, any feed URL) into posts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import feedparser

from ..model import Post
from ..textutil import clean

QUOTE_MARKERS = ("rsshub-quote", "//@")


@dataclass
class FeedResult:
    posts: list[Post] = field(default_factory=list)
    entries: int = 0
    undated: int = 0
    error: str | None = None


def is_repost(title: str, description: str, markers) -> bool:
    """A repost/转载/转发: the title starts with a marker, or the text quotes another post."""
    title = (title or "").strip()
    return title.startswith(tuple(markers)) or any(q in (description or "") for q in QUOTE_MARKERS)


def post_key(guid: str, day: dt.date, title: str) -> str:
    """A feed post's identity: its GUID with its date and title, since some feed generators give
    several posts one GUID; the same GUID, date and title listed twice is one post."""
    return f"{guid}|{day.isoformat()}|{title}"


def parse_feed(content: bytes, tz: ZoneInfo, repost_markers, content_type: str = "") -> FeedResult:
    parsed = feedparser.parse(content, response_headers={"content-type": content_type} if content_type else None)
    result = FeedResult(entries=len(parsed.entries))
    if not parsed.entries:
        if parsed.get("bozo"):
            result.error = f"订阅源无法解析：{clean(str(parsed.get('bozo_exception', '')), 120)}"
        else:
            result.error = "订阅源中没有任何条目"
        return result
    seen = set()
    for entry in parsed.entries:
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp is None:
            result.undated += 1
            continue
        # feedparser gives UTC; the post belongs to the local date it was published on.
        published = dt.datetime(*stamp[:6], tzinfo=dt.timezone.utc).astimezone(tz)
        title = clean(entry.get("title"))
        key = post_key(entry.get("id") or entry.get("link") or published.isoformat(), published.date(), title)
        if key in seen:
            continue
        seen.add(key)
        description = entry.get("summary", "") + "".join(c.get("value", "") for c in entry.get("content", []))
        result.posts.append(Post(
            key=key, title=title or "(无标题)", url=entry.get("link"), published=published,
            original=not is_repost(title, description, repost_markers),
        ))
    return result
