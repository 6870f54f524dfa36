"""Alert lines and grouped messages, in Chinese, for WeCom (markdown) and email (text + HTML)."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from ..config import PLATFORMS, Account, Source
from ..core.evaluate import DUE_SOON, FAILING, OVERDUE, period_label
from ..status import SourceStatus, last_post_day
from ..textutil import md, md_url
from .lifecycle import ALERT, MISSED, RECOVERED, REPEAT, Event

ERROR_CHARS = 200       # an error text a site caused, as much as a message shows
TAGS = {
    (OVERDUE, ALERT): "逾期", (OVERDUE, REPEAT): "仍逾期", (DUE_SOON, ALERT): "即将到期", (DUE_SOON, REPEAT): "即将到期",
    (FAILING, ALERT): "抓取失败", (FAILING, REPEAT): "仍抓取失败",
}
COLORS = {"逾期": "warning", "仍逾期": "warning", "抓取失败": "comment", "仍抓取失败": "comment",
          "即将到期": "info", "恢复": "info", "漏更": "warning"}
CURRENT = {"week": "本周", "month": "本月", "quarter": "本季度", "year": "本年"}


@dataclass(frozen=True)
class Line:
    tag: str          # 逾期 | 即将到期 | 抓取失败 | 恢复 | 漏更 …
    text: str         # the line after the tag
    unit: str

    def plain(self) -> str:
        return f"【{self.tag}】{self.text}"


def who(source: Source) -> str:
    platform = f"（{PLATFORMS[source.platform]}）" if isinstance(source, Account) else ""
    return f"{md(source.unit)}「{md(source.name)}」{platform}"


def last_label(source: Source) -> str:
    """Accounts count originals only, so their last post is the last original."""
    return "最近原创" if isinstance(source, Account) else "最近更新"


def rule_words(source: Source) -> str:
    return f"要求{source.rule}" + ("（原创）" if isinstance(source, Account) else "")


def line_for(event: Event, status: SourceStatus) -> Line:
    s = status.source
    last = last_post_day(status)
    last_words = f"{last_label(s)} {last.isoformat()}" if last else "尚无记录"
    ev = status.evaluation
    deadline = status.deadline.isoformat() if status.deadline else "无"
    if event.kind == MISSED:
        start, end = event.period
        label = period_label(s.rule.unit, start)
        return Line("漏更", f"{who(s)}{label}未达到{s.rule}（{start.isoformat()}至{end.isoformat()}）", s.unit)
    if event.kind == RECOVERED:
        if event.state == FAILING:
            return Line("恢复", f"{who(s)}页面已恢复读取，当前{_state_words(status)}", s.unit)
        return Line("恢复", f"{who(s)}已更新（{last_words}），逾期解除", s.unit)
    tag = TAGS[(event.state, event.kind)]
    if event.state == FAILING:
        return Line(tag, f"{who(s)}无法读取：{md(status.error, ERROR_CHARS)}（{md_url(s.url)}）。恢复前无法判断是否更新，"
                         f"请检查网址或用 monitor probe {s.id} 核对选择器", s.unit)
    if s.rule.is_calendar and ev is not None and ev.due_period:
        start, _ = ev.due_period
        have = f"仅更新{ev.in_period}条" if ev.in_period else "未更新"
        if event.state == OVERDUE:
            when = f"{period_label(s.rule.unit, start)}{have}"
        else:
            when = f"{CURRENT[s.rule.unit]}尚未更新" if not ev.in_period else f"{CURRENT[s.rule.unit]}已更新{ev.in_period}条"
        return Line(tag, f"{who(s)}{rule_words(s)}，{when}，截止 {deadline}（{last_words}）", s.unit)
    return Line(tag, f"{who(s)}{rule_words(s)}，{last_words}，截止 {deadline}", s.unit)


def _state_words(status: SourceStatus) -> str:
    return {"ok": "正常", DUE_SOON: "即将到期", OVERDUE: "逾期"}.get(status.state, status.state)


# ---------------------------------------------------------------- grouped messages

@dataclass(frozen=True)
class Message:
    subject: str
    text: str         # plain text (email text part, WeCom text)
    markdown: str     # WeCom markdown
    html: str         # email HTML part


ORDER = ["逾期", "仍逾期", "漏更", "抓取失败", "仍抓取失败", "即将到期", "恢复"]


def compose(lines: list[Line], now: dt.datetime, audience: str) -> Message:
    lines = sorted(lines, key=lambda l: (ORDER.index(l.tag) if l.tag in ORDER else 99, l.unit))
    counts: dict[str, int] = {}
    for l in lines:
        key = l.tag.removeprefix("仍")
        counts[key] = counts.get(key, 0) + 1
    summary = "，".join(f"{k} {v} 项" for k, v in counts.items())
    stamp = now.strftime("%Y-%m-%d %H:%M")
    title = f"政务公开监测提醒（{audience}）"
    subject = f"【政务公开监测】{summary}"
    text = "\n".join([f"{title} {stamp}", summary, "", *(l.plain() for l in lines)])
    markdown = "\n".join([
        f"**{title}**", f"<font color=\"comment\">{stamp}　{summary}</font>", "",
        *(f"<font color=\"{COLORS.get(l.tag, 'info')}\">【{l.tag}】</font>{l.text}" for l in lines),
    ])
    items = "".join(f"<li><b>【{html.escape(l.tag)}】</b>{html.escape(l.text)}</li>" for l in lines)
    body = (f"<html><body style=\"font-family:sans-serif\"><h3>{html.escape(title)}</h3>"
            f"<p style=\"color:#666\">{stamp}　{html.escape(summary)}</p><ul>{items}</ul>"
            f"<p style=\"color:#999;font-size:12px\">本邮件由政务公开监测自动发送。</p></body></html>")
    return Message(subject, text, markdown, body)
