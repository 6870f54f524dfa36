"""Plain-text tables that line up with Chinese characters in a terminal."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cells: int) -> str:
    return text + " " * max(cells - width(text), 0)


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in [headers, *rows]]
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
