"""Text for people: terminal tables that line up with Chinese characters, and text from sites made safe."""

from __future__ import annotations

import re
import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cells: int) -> str:
    return text + " " * max(cells - width(text), 0)


def table(headers: list[str], rows: list[list]) -> str:
    """Rows for a terminal; every cell is cleaned, so a site's text cannot move the cursor or recolour it."""
    cells = [[clean("" if v is None else str(v)) for v in row] for row in [headers, *rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(pad(v, w) for v, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def human_duration(td) -> str:
    """timedelta → 3天 / 6小时 / 30分钟 / 90秒."""
    seconds = int(td.total_seconds())
    for size, name in ((86400, "天"), (3600, "小时"), (60, "分钟")):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{name}"
    return f"{seconds}秒"


# ---------------------------------------------------------------- text from pages and feeds

# Terminal escape sequences, C0/C1 controls and the invisible characters that reorder or hide text.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
# Characters that WeCom markdown (and Markdown files) would read as markup: shown as their
# full-width look-alikes, so a title stays a title and never becomes a link, heading or colour tag.
_MARKUP = str.maketrans({"[": "［", "]": "］", "(": "（", ")": "）", "<": "＜", ">": "＞", "*": "＊", "#": "＃",
                         "`": "｀", "_": "＿", "|": "｜", "~": "～", "\\": "＼"})
_URL_MARKUP = {c: f"%{ord(c):02X}" for c in "[]()<>*`| \"'\\"}


def clean(text: str | None, limit: int | None = None) -> str:
    """Text a site supplied, made safe to print: no escape sequences or control characters,
    one line, at most ``limit`` characters."""
    text = _CONTROL.sub(" ", _ANSI.sub("", text or ""))
    text = re.sub(r"\s+", " ", text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def md(text: str | None, limit: int | None = None) -> str:
    """Site-supplied text for a markdown message or file: clean, with markup characters defused."""
    return clean(text, limit).translate(_MARKUP)


def md_url(url: str | None) -> str:
    """A URL for a markdown message: clean, with markup characters percent-encoded (still a valid URL)."""
    return "".join(_URL_MARKUP.get(c, c) for c in clean(url, 300))
