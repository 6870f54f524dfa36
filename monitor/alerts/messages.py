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
          "即将到期": "info", "恢复": "info", "恢复读取": "info", "漏更": "warning", "报送提醒": "warning", "转发不足": "warning",
          "内容问题": "warning", "内容问题未整改": "warning", "已整改": "info", "单项否决": "warning", "仍单项否决": "warning"}
CURRENT = {"week": "本周", "month": "本月", "quarter": "本季度", "year": "本年"}


@dataclass(frozen=True)
class Line:
    tag: str          # 逾期 | 即将到期 | 抓取失败 | 恢复 | 漏更 …
    text: str         # the line after the tag
    unit: str
    url: str | None = None   # the column page or feed, linked in e-mails

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
    from dataclasses import replace

    return replace(_line_for(event, status), url=status.source.url)


def _line_for(event: Event, status: SourceStatus) -> Line:
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
            what = "订阅源" if isinstance(s, Account) else "页面"
            if status.state == OVERDUE:   # readable again, but the rule is still missed: say so plainly
                return Line("恢复读取", f"{who(s)}{what}已恢复读取，但仍逾期：{rule_words(s)}，{last_words}，截止 {deadline}", s.unit)
            return Line("恢复读取", f"{who(s)}{what}已恢复读取，目前{_state_words(status)}", s.unit)
        return Line("恢复", f"{who(s)}已更新（{last_words}），逾期解除", s.unit)
    tag = TAGS[(event.state, event.kind)]
    if event.state == FAILING:
        return Line(tag, f"{who(s)}无法读取：{md(status.error, ERROR_CHARS)}（{md_url(s.url)}）。{failure_hint(status)}", s.unit)
    if s.rule.is_calendar and ev is not None and ev.due_period:
        start, _ = ev.due_period
        have = f"仅更新{ev.in_period}条" if ev.in_period else "未更新"
        if event.state == OVERDUE:
            when = f"{period_label(s.rule.unit, start)}{have}"
        else:
            when = f"{CURRENT[s.rule.unit]}尚未更新" if not ev.in_period else f"{CURRENT[s.rule.unit]}已更新{ev.in_period}条"
        return Line(tag, f"{who(s)}{rule_words(s)}，{when}，截止 {deadline}（{last_words}）", s.unit)
    return Line(tag, f"{who(s)}{rule_words(s)}，{last_words}，截止 {deadline}", s.unit)


HINTS = [
    (("连接被拒绝", "域名无法解析", "网络不通", "超时", "连接被对方中断", "HTTP 5", "网络错误", "代理"),
     "多为网站或网络的临时故障；恢复后会自动补读，期间的更新不会漏记"),
    (("证书", "HTTPS"), "网站证书无法验证；如证书由政务 CA 签发，请在 [http] ca_bundle 指定证书文件"),
    (("HTTP 404", "HTTP 410"), "网址可能已变更，请到网站上找到该栏目的新网址并修改配置"),
    (("HTTP 401", "HTTP 403"), "网站拒绝访问，可能需要放宽 delay_per_host 或更换 user_agent，或请网站运维放行"),
    (("订阅源",), "请检查订阅源（RSSHub、wewe-rss 等）是否正常、账号订阅是否有效"),
    (("没有匹配", "没有可识别的日期", "未能在页面上找到", "都没有"), "网站可能已改版，请用 monitor probe {id} 核对选择器"),
]


def failure_hint(status: SourceStatus) -> str:
    """What to do, for the cause at hand."""
    error = status.error or ""
    for causes, hint in HINTS:
        if any(c in error for c in causes):
            return "恢复前无法判断是否更新。" + hint.format(id=status.source.id)
    return f"恢复前无法判断是否更新。请检查网址，或用 monitor probe {status.source.id} 查看"


def group_by_site(lines: list[tuple[Line, Event]], statuses: dict) -> list[tuple[Line, Event]]:
    """Fetch failures (and their recoveries) of one site with one cause become one line:
    a site down for an hour is one message, not one per column."""
    from urllib.parse import urlsplit

    groups: dict[tuple, list[tuple[Line, Event]]] = {}
    out: list[tuple[Line, Event]] = []
    for line, event in lines:
        status = statuses[event.source_id]
        if event.state == FAILING and (event.kind in (ALERT, REPEAT) or (event.kind == RECOVERED and status.state != OVERDUE)):
            cause = status.error if event.kind != RECOVERED else ""
            groups.setdefault((event.kind == RECOVERED, urlsplit(status.source.url or "").netloc, cause), []).append((line, event))
        else:
            out.append((line, event))
    for (recovered, host, cause), members in groups.items():
        if len(members) == 1:
            out.append(members[0])
            continue
        names = "、".join(f"「{md(statuses[e.source_id].source.name)}」" for _, e in members[:8])
        more = f"等 {len(members)} 个" if len(members) > 8 else f"共 {len(members)} 个"
        first_line, first_event = members[0]
        if recovered:
            text = f"{md(host)} 上的{names}{more}栏目/账号已恢复读取"
        else:
            status = statuses[first_event.source_id]
            text = f"{md(host)} 上的{names}{more}栏目/账号无法读取：{md(cause, ERROR_CHARS)}。{failure_hint(status)}"
        out.append((Line(first_line.tag, text, "办公室"), first_event))
    return out


def _state_words(status: SourceStatus) -> str:
    return {"ok": "正常", DUE_SOON: "即将到期", OVERDUE: "逾期"}.get(status.state, status.state)


# ---------------------------------------------------------------- grouped messages

@dataclass(frozen=True)
class Message:
    subject: str
    text: str         # plain text (email text part, WeCom text)
    markdown: str     # WeCom markdown
    html: str         # email HTML part


HTML_COLORS = {"报送提醒": "#b45309", "转发不足": "#b42318", "逾期": "#b42318", "仍逾期": "#b42318", "漏更": "#b42318", "即将到期": "#b45309",
               "抓取失败": "#6b7280", "仍抓取失败": "#6b7280", "恢复": "#047857", "恢复读取": "#047857"}
ORDER = ["逾期", "仍逾期", "漏更", "转发不足", "抓取失败", "仍抓取失败", "即将到期", "报送提醒", "恢复", "恢复读取"]


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
    items = "".join(
        f"<li style=\"margin:4px 0\"><b style=\"color:{HTML_COLORS.get(l.tag, '#374151')}\">【{html.escape(l.tag)}】</b>"
        f"{html.escape(l.text)}"
        + (f" <a href=\"{html.escape(l.url, quote=True)}\">查看页面</a>" if l.url and l.url.startswith(("http://", "https://")) else "")
        + "</li>" for l in lines)
    body = (f"<html><body style=\"font-family:sans-serif\"><h3>{html.escape(title)}</h3>"
            f"<p style=\"color:#666\">{stamp}　{html.escape(summary)}</p><ul>{items}</ul>"
            f"<p style=\"color:#999;font-size:12px\">本邮件由政务公开监测自动发送。</p></body></html>")
    return Message(subject, text, markdown, body)
