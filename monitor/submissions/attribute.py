"""Which unit a submitted title belongs to: the prefix before the first colon (区发改局：…),
matched on each unit's name and aliases after the region prefix (渭滨区, 区) is taken off. Pure."""

from __future__ import annotations

import re

PREFIX = re.compile(r"^\s*([^：:]{2,20}?)\s*[：:]")
REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,4}?区(?=[\u4e00-\u9fff]{2,})|区(?=[\u4e00-\u9fff]{2,}))")


def normalise(name: str) -> str:
    """渭滨区教体局 → 教体局; 区发改局 → 发改局; 石鼓镇 → 石鼓镇."""
    name = re.sub(r"\s+", "", name)
    stripped = REGION.sub("", name, count=1)
    return stripped or name


def alias_table(units) -> dict[str, str]:
    """Normalised name or alias → unit name."""
    table: dict[str, str] = {}
    for unit in units:
        for name in (unit.name, *unit.aliases):
            table.setdefault(normalise(name), unit.name)
    return table


def attribute(title: str, aliases: dict[str, str]) -> str | None:
    """The unit a title names before its colon, or None (未归属)."""
    m = PREFIX.match(title or "")
    if not m:
        return None
    return aliases.get(normalise(m.group(1)))
