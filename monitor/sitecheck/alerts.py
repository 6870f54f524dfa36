"""The office is told when a national veto line is crossed, again every ``repeat_every`` while it
stays crossed, and once when it is back under the line. What was told is kept in ``meta``."""

from __future__ import annotations

import datetime as dt

from ..alerts.messages import Line
from ..clock import told_recently
from ..config import Config
from ..store import Store, iso, parse_iso
from ..textutil import md
from .measure import site_check
from .profile import PASS, VETO


def site_lines(config: Config, store: Store, now: dt.datetime) -> list[Line]:
    if not config.site.home:
        return []
    office = config.report.office
    lines = []
    for item in site_check(config, store, now):
        key = f"site_told:{item.key}"
        told = store.get_meta(key) or {}
        if item.verdict == VETO:
            if told.get("state") == VETO and told_recently(parse_iso(told.get("at")), now, config.settings.repeat_every):
                continue
            tag = "仍单项否决" if told.get("state") == VETO else "单项否决"
            lines.append(Line(tag, f"{item.name}：{md(item.value)}（{item.rule}）", office, config.site.home))
            store.set_meta(key, {"state": VETO, "at": iso(now)})
        elif item.verdict == PASS and told.get("state") == VETO:
            lines.append(Line("恢复", f"{item.name}已回到标准以内：{md(item.value)}", office, config.site.home))
            store.set_meta(key, {"state": PASS, "at": iso(now)})
    return lines
