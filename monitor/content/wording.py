"""Error words (错词错句): wrong forms and their corrections, matched in titles and text.

The shipped list is small and certain: misspelt idioms that inspectors count as 错别字 and a few
规范表述 the national checks name. The office adds its own with ``[[content.errors]]`` (a
configured ``wrong`` replaces a shipped one of the same form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    wrong: str
    right: str
    note: str = ""


DEFAULT_WORDINGS = (
    Wording("再接再励", "再接再厉", "错别字"),
    Wording("迫不急待", "迫不及待", "错别字"),
    Wording("一如继往", "一如既往", "错别字"),
    Wording("不径而走", "不胫而走", "错别字"),
    Wording("默守成规", "墨守成规", "错别字"),
    Wording("精兵减政", "精兵简政", "错别字"),
    Wording("名列前矛", "名列前茅", "错别字"),
    Wording("布署", "部署", "错别字"),
    Wording("防碍", "妨碍", "错别字"),
    Wording("按装", "安装", "错别字"),
    Wording("既使", "即使", "错别字"),
    Wording("人民代表大会常务委员", "人民代表大会常务委员会", "机构名称不完整"),
    Wording("一带一路战略", "“一带一路”倡议", "规范表述"),
    Wording("台湾总统", "台湾地区领导人", "规范表述"),
)


@dataclass(frozen=True)
class WordMatch:
    wording: Wording
    start: int
    end: int


def merged(configured: tuple[Wording, ...]) -> tuple[Wording, ...]:
    own = {w.wrong for w in configured}
    return tuple(w for w in DEFAULT_WORDINGS if w.wrong not in own) + configured


def find(text: str, wordings: tuple[Wording, ...]) -> list[WordMatch]:
    """Each occurrence of a wrong form that is not part of its own correct form
    (人民代表大会常务委员 inside 人民代表大会常务委员会 is right, not wrong)."""
    out = []
    for w in wordings:
        rights = [(m.start(), m.end()) for m in re.finditer(re.escape(w.right), text)] if w.wrong in w.right else []
        for m in re.finditer(re.escape(w.wrong), text):
            if any(s <= m.start() and m.end() <= e for s, e in rights):
                continue
            out.append(WordMatch(w, m.start(), m.end()))
    return sorted(out, key=lambda x: x.start)
