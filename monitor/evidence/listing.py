"""``monitor posts ID``: a source's posts in a period, its coverage and the verdict they give."""

from __future__ import annotations

import datetime as dt

from ..config import Account, Config, Source
from ..report.build import period_title
from ..store import Store
from .coverage import coverage_of
from .posts import posts_in, time_of
from .verdict import judge


def listing(config: Config, store: Store, source: Source, start: dt.date, end: dt.date, now: dt.datetime) -> dict:
    today = now.date()
    rows = list(posts_in(store, config, start, min(end, today), source.id))
    account = isinstance(source, Account)
    counted = sorted(dt.date.fromisoformat(r["day"]) for r in rows if r["original"] or not account)
    facts, result = judge(config, source, counted, coverage_of(store, source.id), start, end, today)
    is_open = today <= end
    return {
        "source": {"id": source.id, "kind": source.kind, "name": source.name, "unit": source.unit,
                   "rule": str(source.rule), "url": source.url},
        "period": {"start": start.isoformat(), "end": end.isoformat(), "title": period_title(start, end)},
        "as_of": now.isoformat(),
        "as_of_note": f"统计截至 {now.strftime('%Y-%m-%d %H:%M')}" if is_open else "",
        "counted": result.posts,
        **facts,
        "posts": [{
            "day": r["day"], "time": time_of(r) or None, "title": r["title"], "url": r["url"],
            "original": bool(r["original"]) if account else None, "first_seen": r["first_seen"],
            "backdated": bool(r["backdated"]),
        } for r in rows],
    }


def render_listing(data: dict) -> str:
    from ..textutil import table

    s, p = data["source"], data["period"]
    lines = [f"{s['unit']}「{s['name']}」（{s['id']}）要求{s['rule']}　{p['title']}（{p['start']} 至 {p['end']}）"]
    if data["as_of_note"]:
        lines.append(f"{data['as_of_note']}（统计期未结束）")
    spans = "、".join(f"{a} 至 {b}" for a, b in data["coverage"]) or "无"
    lines.append(f"有效监测日期：{spans}" + (f"（{data['coverage_note']}）" if data["coverage_note"] else ""))
    lines.append(f"计入 {data['counted']} 条；结论：{data['verdict_name']}")
    lines += [f"  依据：{e}" for e in data["evidence"]]
    rows = [[r["day"], r["time"] or "", r["title"], {True: "原创", False: "转发", None: ""}[r["original"]],
             r["first_seen"][:16].replace("T", " "), "补发" if r["backdated"] else "", r["url"] or ""]
            for r in data["posts"]]
    lines.append("")
    lines.append(table(["日期", "时间", "标题", "类型", "首次发现", "补发", "链接"], rows) if rows else "（统计期内没有记录到信息）")
    return "\n".join(lines)


