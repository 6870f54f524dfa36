"""Find a list page's list without selectors: the largest group of sibling elements that each hold
one article link and one date.

Groups are children of one parent with the same tag (``li``, ``tr``, ``div``, ``dd``, ``p``,
``article``). A member counts when it has a link whose text reads like a title (not a category tag
such as ``[社会]``, not ``更多``) and a date outside that link. Navigation, headers, footers,
sidebars and "hot"/ranking lists are passed over. The answer is a CSS selector for the group, so
``probe`` can print it and the officer can paste it into the config.
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import find_date, link_date

ITEM_TAGS = {"li", "tr", "div", "dd", "p", "article", "section", "td"}
SKIP_WORDS = re.compile(r"nav|menu|foot|head|side|hot|rank|top10|friend|crumb|banner|link|share|tool|tab-?h", re.I)
NOT_TITLES = re.compile(r"^[\[【(（].{0,6}[\]】)）]$|^(更多|more|详情|查看|下一页|上一页|首页|尾页|>+|»)$", re.I)
MIN_MEMBERS = 2


def title_link(el):
    """The link that carries the article: the longest link text that is not a tag or a 'more' link."""
    best = None
    for a in el.iter("a"):
        text = " ".join(a.text_content().split())
        if len(text) < 4 or NOT_TITLES.match(text) or not a.get("href") or a.get("href", "").startswith("javascript"):
            continue
        if best is None or len(text) > len(best[1]):
            best = (a, text)
    return best[0] if best else None


def _dated(el, link, now: dt.datetime | None) -> bool:
    from .pages import spaced_text

    return find_date(spaced_text(el, skip=link), now) is not None or link_date(link.get("href")) is not None


def _excluded(el) -> bool:
    """Inside navigation, a header/footer/sidebar or a 'hot' list."""
    for node in [el, *el.iterancestors()]:
        if node.tag in ("nav", "header", "footer", "aside"):
            return True
        names = f"{node.get('class', '')} {node.get('id', '')}"
        if names.strip() and SKIP_WORDS.search(names):
            return True
    return False


def find_list(root, now: dt.datetime | None) -> list | None:
    """The members of the page's main dated list, or None."""
    best, best_score = None, 0
    for parent in root.iter():
        if not isinstance(parent.tag, str):
            continue
        groups: dict[str, list] = {}
        for child in parent:
            if isinstance(child.tag, str) and child.tag in ITEM_TAGS:
                groups.setdefault(child.tag, []).append(child)
        for members in groups.values():
            if len(members) < MIN_MEMBERS or _excluded(parent):
                continue
            good = []
            for m in members:
                link = title_link(m)
                if link is not None and _dated(m, link, now):
                    good.append(m)
            # Most members qualify (a header row or a spacer may not); score by how many do.
            if len(good) >= MIN_MEMBERS and len(good) >= 0.6 * len(members):
                score = len(good) + sum(len(title_link(m).text_content()) for m in good) / 1000
                if score > best_score:
                    best, best_score = good, score
    return best


def selector_for(members: list, root) -> str | None:
    """A CSS selector that picks exactly ``members`` (and nothing else) out of the page."""
    from .pages import css

    parent = members[0].getparent()
    tag = members[0].tag
    path = []
    node = parent
    while node is not None and isinstance(node.tag, str):
        path.insert(0, _step(node))
        if node.get("id") and re.fullmatch(r"[A-Za-z][\w-]*", node.get("id")):
            break
        candidate = " > ".join(path) + f" > {tag}"
        try:
            found = css(candidate)(root)
        except Exception:  # noqa: BLE001 - an odd class name: try the next level up
            found = []
        if set(members) <= set(found) and len(found) <= len(members) * 1.5:
            return candidate
        node = node.getparent()
    candidate = " > ".join(path) + f" > {tag}"
    return candidate if set(members) <= set(css(candidate)(root)) else None


def _step(node) -> str:
    ident = node.get("id")
    if ident and re.fullmatch(r"[A-Za-z][\w-]*", ident):
        return f"#{ident}"
    classes = [c for c in (node.get("class") or "").split() if re.fullmatch(r"[A-Za-z_][\w-]*", c)]
    return node.tag + "".join(f".{c}" for c in classes[:2])
