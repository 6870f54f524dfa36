"""Read a message board's list pages into messages (a pure extraction plus the fetch loop), and
keep them in the store: a message's state and reply date are updated as the board changes."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from urllib.parse import urljoin

from ..collect.dates import day_of, find_date
from ..collect.http import Fetcher, FetchError, decode_html
from ..collect.pages import _parse, css, spaced_text
from ..config import Board, Config
from ..store import Store, iso
from ..submissions.attribute import alias_table, normalise
from ..textutil import clean

log = logging.getLogger(__name__)

DONE_WORDS = ("已办结", "办结", "已回复", "已答复", "已处理", "已完成")


@dataclass(frozen=True)
class Message:
    key: str
    title: str
    url: str | None
    unit: str | None
    asked: dt.date
    state: str | None
    replied: dt.date | None


def extract_messages(html: str, url: str, board: Board, now: dt.datetime | None = None) -> tuple[list[Message], str | None]:
    """Messages on one list page, and the next page's URL."""
    root = _parse(html)
    if root is None:
        return [], None
    out = []
    for el in css(board.item)(root):
        title_el = (css(board.title)(el) or [el])[0]
        title = clean(title_el.get("title") or title_el.text_content())
        link_el = (css(board.link)(el) or [None])[0]
        href = link_el.get("href") if link_el is not None else None
        link = urljoin(url, href) if href and not href.startswith(("javascript:", "#")) else None

        def field(selector):
            found = css(selector)(el) if selector else []
            return spaced_text(found[0]) if found else ""

        asked = find_date(field(board.asked) if board.asked else spaced_text(el, skip=title_el), now)
        if asked is None or not title:
            continue
        replied = find_date(field(board.replied), now) if board.replied else None
        out.append(Message(link or f"{title}|{day_of(asked)}", title, link, clean(field(board.unit)) or None,
                           day_of(asked), clean(field(board.state)) or None, day_of(replied) if replied else None))
    next_url = None
    if board.next:
        found = css(board.next)(root)
        href = found[0].get("href") if found else None
        if href and not href.startswith(("javascript:", "#")):
            next_url = urljoin(url, href)
    return out, next_url


def read_board(board: Board, fetcher: Fetcher, now: dt.datetime, answered: set[str] = frozenset()) -> list[Message]:
    """The board's messages; with ``detail_replied``, the reply date of each open message is read
    from its own page (``answered``: keys already known to be replied, not read again)."""
    url, seen, messages = board.url, set(), []
    while url and url not in seen and len(seen) < board.max_pages:
        seen.add(url)
        resp = fetcher.get(url)
        text, _ = decode_html(resp.content, resp.content_type)
        found, url = extract_messages(text, resp.url, board, now)
        messages += found
    if board.detail_replied:
        messages = [_with_detail(m, board, fetcher, now) if m.replied is None and m.url and m.key not in answered else m
                    for m in messages]
    return messages


def _with_detail(m: Message, board: Board, fetcher: Fetcher, now: dt.datetime) -> Message:
    from dataclasses import replace

    try:
        resp = fetcher.get(m.url)
        text, _ = decode_html(resp.content, resp.content_type)
    except FetchError:
        return m                            # unknown stays unknown: the list's state still counts
    root = _parse(text)
    found = css(board.detail_replied)(root) if root is not None else []
    replied = find_date(spaced_text(found[0]), now) if found else None
    return replace(m, replied=day_of(replied)) if replied else m


def record_messages(store: Store, config: Config, board: Board, messages: list[Message], now: dt.datetime) -> None:
    aliases = alias_table(config.units.values())
    with store.transaction():
        for m in messages:
            unit = aliases.get(normalise(m.unit), m.unit) if m.unit else None
            store.conn.execute(
                """INSERT INTO messages (board_id, key, title, url, unit, asked, state, replied, first_seen, last_seen)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (board_id, key) DO UPDATE SET unit = excluded.unit, state = excluded.state,
                     replied = coalesce(excluded.replied, messages.replied), last_seen = excluded.last_seen""",
                (board.id, m.key, m.title, m.url, unit, m.asked.isoformat(), m.state,
                 m.replied.isoformat() if m.replied else None, iso(now), iso(now)))


def check_boards(config: Config, store: Store, fetcher: Fetcher, now: dt.datetime) -> None:
    for board in config.boards:
        answered = {r["key"] for r in store.query(
            "SELECT key FROM messages WHERE board_id = ? AND replied IS NOT NULL", (board.id,))}
        try:
            messages = read_board(board, fetcher, now, answered)
        except FetchError as e:
            log.warning("留言板「%s」读取失败：%s", board.name, e)
            continue
        record_messages(store, config, board, messages, now)
        log.info("留言板「%s」：%d 条留言", board.name, len(messages))


def is_done(state: str | None, replied: dt.date | None) -> bool:
    return replied is not None or any(w in (state or "") for w in DONE_WORDS)
