"""What an inspector would mark in one post: personal data and error words, in its title and
text. Pure: text in, problems out, each with an excerpt in which every number is masked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import personal, wording

PERSONAL, WORDING, DEADLINK = "personal", "wording", "deadlink"
KIND_WORDS = {PERSONAL: "个人信息", WORDING: "错词", DEADLINK: "断链"}


@dataclass(frozen=True)
class Problem:
    kind: str           # personal | wording | deadlink
    label: str          # 身份证号 | 手机号码 | 银行卡号 | 错词 | 断链
    excerpt: str        # masked
    fix: str | None     # the correct form; the dead link


def inspect(title: str, text: str, wordings, allow: frozenset[str], today: dt.date) -> list[Problem]:
    found: list[Problem] = []
    for part in (title, text):
        if not part:
            continue
        numbers = personal.find(part, allow, today)
        safe = personal.masked(part, numbers)
        for m in numbers:
            found.append(Problem(PERSONAL, m.label, personal.excerpt(safe, m.start, m.end), None))
        for w in wording.find(part, wordings):
            found.append(Problem(WORDING, "错词", personal.excerpt(safe, w.start, w.end),
                                 f"“{w.wording.wrong}”应为“{w.wording.right}”"))
    return list(dict.fromkeys(found))
