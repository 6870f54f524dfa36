"""Robot message sizes: WeCom's limits, and splitting a long message on line boundaries (used for every robot)."""

from __future__ import annotations

MARKDOWN_LIMIT = 4096   # bytes of UTF-8, per the robot API (text messages allow 2048; we send markdown)
PER_MINUTE = 20         # messages a minute per robot
RATE_LIMITED = 45009


def split_lines(text: str, limit: int = MARKDOWN_LIMIT) -> list[str]:
    """Split on line boundaries so each part, with its "（续 i/n）" header, fits in ``limit`` bytes."""
    reserve = len("\n（续 99/99）".encode())
    budget = limit - reserve
    parts: list[list[str]] = [[]]
    size = 0
    for line in text.split("\n"):
        for piece in _chop(line, budget):
            cost = len(piece.encode()) + 1
            if parts[-1] and size + cost > budget:
                parts.append([])
                size = 0
            parts[-1].append(piece)
            size += cost
    chunks = ["\n".join(p) for p in parts]
    if len(chunks) == 1:
        return chunks
    return [f"{c}\n（续 {i}/{len(chunks)}）" for i, c in enumerate(chunks, start=1)]


def _chop(line: str, budget: int) -> list[str]:
    """A single line longer than the budget is cut at character boundaries."""
    if len(line.encode()) < budget:
        return [line]
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode()) >= budget:
            out.append(current)
            current = ""
        current += ch
    return out + [current]
