"""附件3 for a period: per handling unit 承办数量, 办结数量, 逾期数量 — replied after the deadline
(``reply_within`` working days after the message), or still open when the deadline has passed."""

from __future__ import annotations

import datetime as dt

from ..config import Config
from ..store import Store
from .read import is_done


def board_facts(config: Config, store: Store, start: dt.date, end: dt.date, today: dt.date | None) -> dict | None:
    if not config.boards:
        return None
    within = {b.id: b.reply_within for b in config.boards}
    cal = config.calendar
    units: dict[str, dict] = {}
    late = []
    for m in store.query("SELECT * FROM messages WHERE asked BETWEEN ? AND ? ORDER BY asked", (start.isoformat(), end.isoformat())):
        asked = dt.date.fromisoformat(m["asked"])
        replied = dt.date.fromisoformat(m["replied"]) if m["replied"] else None
        deadline = cal.add_workdays(asked, within.get(m["board_id"], 5))
        done = is_done(m["state"], replied)
        # Still open past its deadline only as last seen on the board (and as of the report's moment).
        seen = dt.datetime.fromisoformat(m["last_seen"]).date()
        overdue = (replied is not None and replied > deadline) or (not done and deadline < min(seen, today or seen))
        row = units.setdefault(m["unit"] or "（未注明单位）", {"unit": m["unit"] or "（未注明单位）", "received": 0, "closed": 0, "overdue": 0})
        row["received"] += 1
        row["closed"] += int(done)
        row["overdue"] += int(overdue)
        if overdue:
            late.append({"unit": row["unit"], "title": m["title"], "asked": m["asked"], "deadline": deadline.isoformat(),
                         "replied": m["replied"]})
    order = {u: i for i, u in enumerate(config.units)}
    rows = sorted(units.values(), key=lambda r: order.get(r["unit"], len(order)))
    return {"units": rows, "late": late}
