"""Personal data in published text (notice 三.2): 身份证号, 手机号, 银行卡号 — found and masked.

Pure functions over text. Each kind has context rules that keep false positives rare: an ID
number must carry a real province code, a real birth date and the GB 11643 check digit; a
mobile number must stand alone (not inside a longer number, an amount or a document number);
a card number must pass Luhn and sit next to words like 卡号/账号/开户. Numbers on the office's
allow-list (published hotlines) are never findings.

A finding's excerpt is cut from text in which every such number is already masked, so the full
number never leaves the page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
             50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z.\-+*])1[3-9]\d{9}(?![0-9A-Za-z*])")
CARD = re.compile(r"(?<![0-9A-Za-z*])\d{4}(?:[ -]?\d){11,15}(?![0-9A-Za-z*])")
CARD_WORDS = re.compile(r"卡号|账号|帐号|开户|银行卡|账户|帐户|户名")
NOT_A_PHONE_AFTER = re.compile(r"^\s*(号|元|万|亿|年|次|人|份|件|个|〕|\])")
CARD_NEAR = 16          # characters before or after a card number searched for CARD_WORDS
EXCERPT = 18            # characters of context on each side of a finding

ID_LABEL, MOBILE_LABEL, CARD_LABEL = "身份证号", "手机号码", "银行卡号"


@dataclass(frozen=True)
class Match:
    label: str          # 身份证号 | 手机号码 | 银行卡号
    start: int
    end: int
    masked: str         # the number as it may be shown: 610302********1234


def valid_id(number: str, today: dt.date | None = None) -> bool:
    """An 18-digit 居民身份证号码 (GB 11643): province, birth date, check digit."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    if int(number[:2]) not in PROVINCES or number[2:6] == "0000":
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > (today or dt.date.today()):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == number[17].upper()


def luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def mask_digits(text: str, keep_head: int, keep_tail: int) -> str:
    """Digits between the first ``keep_head`` and the last ``keep_tail`` become *; separators stay."""
    positions = [i for i, c in enumerate(text) if c.isdigit() or c in "Xx"]
    hidden = set(positions[keep_head:len(positions) - keep_tail])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def find(text: str, allow: frozenset[str] = frozenset(), today: dt.date | None = None) -> list[Match]:
    """Every personal number in ``text``, in order; numbers in ``allow`` (digits only) are skipped."""
    found: list[Match] = []
    taken: list[tuple[int, int]] = []

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    for m in ID_NUMBER.finditer(text):
        if valid_id(m[0], today) and m[0] not in allow:
            found.append(Match(ID_LABEL, m.start(), m.end(), mask_digits(m[0], 6, 4)))
            taken.append(m.span())
    for m in MOBILE.finditer(text):
        if not free(*m.span()) or m[0] in allow or NOT_A_PHONE_AFTER.match(text[m.end():]):
            continue
        found.append(Match(MOBILE_LABEL, m.start(), m.end(), mask_digits(m[0], 3, 4)))
        taken.append(m.span())
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m[0])
        if not 16 <= len(digits) <= 19 or not free(*m.span()) or digits in allow or not luhn(digits):
            continue
        near = text[max(0, m.start() - CARD_NEAR):m.start()] + text[m.end():m.end() + CARD_NEAR]
        if CARD_WORDS.search(near):
            found.append(Match(CARD_LABEL, m.start(), m.end(), mask_digits(m[0], 4, 4)))
            taken.append(m.span())
    return sorted(found, key=lambda x: x.start)


LONG_DIGITS = re.compile(r"\d{11,}")


def masked(text: str, matches: list[Match]) -> str:
    """``text`` with every match replaced by its masked form (same length, so offsets hold), and any
    other run of 11+ digits masked too: an excerpt is never where a number is first revealed."""
    out = list(text)
    for m in matches:
        out[m.start:m.end] = list(m.masked)
    return LONG_DIGITS.sub(lambda r: mask_digits(r[0], 3, 4), "".join(out))


def scrub(text: str, today: dt.date | None = None) -> str:
    """``text`` with its personal numbers masked: what the store may keep of a site's title."""
    if not LONG_DIGITS.search(text) and not re.search(r"\d{4}[ -]\d{4}", text):
        return text
    return masked(text, find(text, today=today))


def excerpt(safe_text: str, start: int, end: int, around: int = EXCERPT) -> str:
    """The words around ``start:end`` of an already masked text, on one line."""
    left, right = max(0, start - around), min(len(safe_text), end + around)
    piece = re.sub(r"\s+", " ", safe_text[left:right]).strip()
    return ("…" if left else "") + piece + ("…" if right < len(safe_text) else "")
