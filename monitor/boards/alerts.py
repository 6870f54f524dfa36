"""Reminders about board messages: 即将到期 on the deadline day, 逾期 once the board was seen with the
message still open after its deadline, 恢复 when it is answered — to the handling unit and the office,
repeated at most every ``repeat_every``. What was told is kept per message in ``meta``."""

from __future__ import annotations

import datetime as dt

from ..alerts.messages import Line
from ..clock import told_recently
from ..config import Config
from ..store import Store, iso, parse_iso
from ..textutil import md
from .read import is_done

LOOKBACK = dt.timedelta(days=120)      # messages older than this are history, not reminders


def board_lines(config: Config, store: Store, now: dt.datetime) -> list[Line]:
    boards = {b.id: b for b in config.boards}
    today = now.date()
    lines = []
    for m in store.query("SELECT * FROM messages WHERE asked >= ? AND asked <= ? ORDER BY asked",
                         ((today - LOOKBACK).isoformat(), today.isoformat())):
        board = boards.get(m["board_id"])
        if board is None:
            continue
        asked = dt.date.fromisoformat(m["asked"])
        deadline = config.calendar.add_workdays(asked, board.reply_within)
        seen = dt.datetime.fromisoformat(m["last_seen"]).date()
        key = f"board_told:{m['board_id']}:{m['key']}"
        told = store.get_meta(key) or {}
        unit = m["unit"] or "办公室"
        what = f"{md(unit)}承办的{md(board.name)}留言“{md(m['title'], 40)}”（{asked.isoformat()} 留言）"
        if is_done(m["state"], dt.date.fromisoformat(m["replied"]) if m["replied"] else None):
            if told.get("state") == "overdue":
                lines.append(Line("恢复", f"{what}已办结，逾期解除", unit, m["url"]))
            if told.get("state") != "done" and told:
                store.set_meta(key, {"state": "done", "at": iso(now)})
            continue
        if seen > deadline:                 # seen open after its deadline: evidence of 逾期
            state = "overdue"
        elif today == deadline:
            state = "due_soon"
        else:
            continue
        at = parse_iso(told.get("at")) if told else None
        if told.get("state") == state and told_recently(at, now, config.settings.repeat_every):
            continue
        again = told.get("state") == state
        if state == "overdue":
            tag, text = ("仍逾期" if again else "逾期"), f"{what}应于 {deadline.isoformat()} 前办结，至今未办结"
        else:
            tag, text = "即将到期", f"{what}应于今天（{deadline.isoformat()}）办结"
        lines.append(Line(tag, text, unit, m["url"]))
        store.set_meta(key, {"state": state, "at": iso(now)})
    return lines
