"""Records that pass between collection, the store and evaluation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Post:
    key: str                           # stable identity within its source: link, guid or title+date
    title: str
    url: str | None
    published: dt.datetime | dt.date  # local time when known, else the local date
    original: bool = True              # accounts: not a repost
    origin: str | None = None          # accounts: the required source a repost came from (中国政府网 …)
    text: str = field(default="", compare=False, repr=False)   # feeds: the item's own HTML, read for content problems, never stored

    @property
    def day(self) -> dt.date:
        p = self.published
        return p.date() if isinstance(p, dt.datetime) else p


@dataclass
class Fetch:
    """What one attempt to read a source gave."""
    ok: bool
    posts: list[Post] = field(default_factory=list)
    status: int | None = None          # HTTP status of the last page read
    error: str | None = None           # why it failed, in Chinese, for the office
    items: int = 0                     # items found on the pages
    undated: int = 0                   # items skipped for having no date
    pages: int = 0
    not_modified: bool = False         # 304: nothing changed since the last read
    encoding: str | None = None
    seconds: float = 0.0
    validators: dict = field(default_factory=dict)  # url → {"etag", "last_modified"} to save on success
    observed_from: dt.date | None = None  # the read saw every post from this day on (its coverage start)
    backfill: dt.date | None = None       # set when the read went as far back as the source allows
    empty: bool = False                   # the page opened and listed nothing (空白栏目, or a changed layout)
