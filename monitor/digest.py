"""The daily digest: what a person reads in a minute each morning (SPEC §6)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from pathlib import Path

from .alerts.messages import ERROR_CHARS, last_label, who
from .config import Account, Config
from .core.evaluate import DUE_SOON, FAILING, OVERDUE, period_of
from .evidence.verdict import judge
from .notify.outbox import deliver, enqueue
from .notify.targets import digest_targets
from .status import PENDING, SourceStatus, all_statuses, last_post_day
from .store import Store, iso
from .textutil import md, md_url

TITLES_PER_UNIT = 5
TITLE_CHARS = 60        # a title as long as a digest line shows


def missed_this_quarter(config: Config, store: Store, status: SourceStatus, today: dt.date) -> list[str]:
    """Periods (calendar rules) or runs (rolling rules) of the quarter so far that were observed to fall short."""
    s = status.source
    q_start, q_end = period_of("quarter", today)
    if today <= q_start or status.state in (FAILING, PENDING) or s.url is None:
        return []
    days = store.post_days(s.id, today, originals_only=isinstance(s, Account), since=q_start)
    facts, _ = judge(config, s, days, status.coverage, q_start, q_end, today)
    return facts["evidence"]


def render(config: Config, store: Store, now: dt.datetime, since: dt.datetime) -> str:
    statuses = all_statuses(config, store, now)
    today = now.date()
    by_state: dict[str, list[SourceStatus]] = defaultdict(list)
    for st in statuses:
        by_state[st.state].append(st)
    n_col, n_acc = len(config.columns), len(config.accounts)
    out = [
        f"# 政务公开监测日报 {today.isoformat()}",
        "",
        f"截至 {now.strftime('%Y-%m-%d %H:%M')}：栏目 {n_col} 个，政务新媒体账号 {n_acc} 个；"
        f"逾期 {len(by_state[OVERDUE])}，即将到期 {len(by_state[DUE_SOON])}，抓取失败 {len(by_state[FAILING])}。",
    ]

    def section(title: str, rows: list[str]):
        out.extend(["", f"## {title}（{len(rows)}）", ""])
        out.extend(rows or ["- 无"])

    def deadline_row(st: SourceStatus) -> str:
        last = last_post_day(st)
        return (f"- {who(st.source)}：{st.source.rule}，{last_label(st.source)} "
                f"{last.isoformat() if last else '无'}，截止 {st.deadline.isoformat() if st.deadline else '无'}")

    section("逾期", [deadline_row(st) for st in by_state[OVERDUE]])
    section("即将到期", [deadline_row(st) for st in by_state[DUE_SOON]])
    section("抓取失败", [f"- {who(st.source)}：{md(st.error, ERROR_CHARS)}（{md_url(st.source.url)}）" for st in by_state[FAILING]])
    missed = [f"- {who(st.source)}：{m}" for st in statuses for m in missed_this_quarter(config, store, st, today)]
    q_start = period_of("quarter", today)[0]
    section(f"本季度漏更（{q_start.year}年第{(q_start.month - 1) // 3 + 1}季度至今）", missed)

    rows = store.query(
        "SELECT p.*, s.unit, s.name AS source_name FROM posts p JOIN sources s ON s.id = p.source_id "
        "WHERE p.first_seen > ? AND p.first_seen <= ? AND p.day <= ? AND (p.day >= ? OR p.backdated = 1) "
        "ORDER BY s.unit, p.day DESC",
        # Posts the first backfill found are history, not news; 补发 posts are news whatever their date.
        (iso(since), iso(now), today.isoformat(), (since.date() - dt.timedelta(days=1)).isoformat()))
    per_unit: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        per_unit[r["unit"]].append(r)
    out.extend(["", f"## 新增信息（{since.strftime('%m-%d %H:%M')} 以来，{len(rows)} 条）", ""])
    if not rows:
        out.append("- 无")
    for unit, posts in per_unit.items():
        shown = "；".join(f"{p['day'][5:]}「{md(p['title'], TITLE_CHARS)}」（{md(p['source_name'])}{'' if p['original'] else '，转发'}"
                         f"{'，补发' if p['backdated'] else ''}）"
                         for p in posts[:TITLES_PER_UNIT])
        more = f" 等 {len(posts)} 条" if len(posts) > TITLES_PER_UNIT else ""
        out.append(f"- **{md(unit)}**：{shown}{more}")
    out.extend(inspection_sections(config, store, now))
    undeliverable = store.query("SELECT recipient, error FROM outbox WHERE dead = 1 AND created > ?", (iso(since),))
    if undeliverable:
        section("无法送达的通知", [f"- {md(r['recipient'])}：{md(r['error'], ERROR_CHARS)}" for r in undeliverable])
    return "\n".join(out) + "\n"


def inspection_sections(config: Config, store: Store, now: dt.datetime) -> list[str]:
    """内容问题 still open, and the national lines crossed or within one of their line."""
    from .content.findings import describe, open_findings
    from .sitecheck.measure import site_check
    from .sitecheck.profile import VETO

    out = []
    sources = {s.id: s for s in config.sources}
    found = [f for f in open_findings(store) if f["source_id"] in sources]
    if found:
        out += ["", f"## 内容问题（未整改 {len(found)} 处）", ""]
        out += [f"- {who(sources[f['source_id']])}：{describe(f)}（{f['found'][:10]} 发现）" for f in found]
    if config.site.home:
        items = [i for i in site_check(config, store, now) if i.verdict == VETO or i.near]
        out += ["", f"## 网站与新媒体体检（{len(items)} 项超过或接近否决线）", ""]
        out += [f"- **{i.name}**：{'单项否决' if i.verdict == VETO else '接近否决线'}，{md(i.value)}（{i.rule}）" for i in items] or ["- 无"]
    return out


def write_digest(config: Config, store: Store, now: dt.datetime, send: bool = True) -> Path:
    last = store.get_meta("last_digest")
    since = dt.datetime.fromisoformat(last) if last else None
    if since is None or since >= now:
        since = now - dt.timedelta(days=1)
    text = render(config, store, now, since)
    path = config.settings.digest_dir / f"{now.date().isoformat()}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    page = as_html(text)
    path.with_suffix(".html").write_text(page, encoding="utf-8")
    if last is None or dt.datetime.fromisoformat(last) < now:
        store.set_meta("last_digest", iso(now))
    if send:
        targets = digest_targets(config)
        if targets:
            subject = f"【政务公开监测】日报 {now.date().isoformat()}"
            with store.transaction():
                for t in targets:   # WeCom reads the markdown; e-mail gets plain text and the HTML page
                    enqueue(store, t, subject, as_plain(text), text, page, now)
            deliver(store, config, now)
    return path


def as_plain(markdown: str) -> str:
    """The digest for a plain-text e-mail part: no # or ** left."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", re.sub(r"^#+\s*", "", markdown, flags=re.M))


def as_html(markdown: str) -> str:
    """The digest as a page (and an e-mail's HTML part). It is our own small markdown: headings,
    lists, bold; site text in it is already defused (``md``), and is escaped here."""
    body, in_list = [], False
    for line in markdown.splitlines():
        if line.startswith("- "):
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if in_list:
            body.append("</ul>")
            in_list = False
        if line.startswith("## "):
            color = "#b42318" if line[3:].startswith(("逾期", "本季度漏更", "内容问题")) else "#b45309" if line[3:].startswith("即将到期") else "#111827"
            body.append(f'<h2 style="color:{color}">{_inline(line[3:])}</h2>')
        elif line.startswith("# "):
            body.append(f"<h1>{_inline(line[2:])}</h1>")
        elif line.strip():
            body.append(f"<p>{_inline(line)}</p>")
    if in_list:
        body.append("</ul>")
    title = html.escape(markdown.splitlines()[0].lstrip("# ")) if markdown else "日报"
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, '
            f'initial-scale=1"><title>{title}</title><style>body{{font-family:-apple-system,"PingFang SC","Microsoft YaHei",'
            'sans-serif;max-width:820px;margin:0 auto;padding:12px;line-height:1.6;color:#111827}h1{font-size:1.3rem}'
            'h2{font-size:1.05rem;border-left:4px solid currentColor;padding-left:8px;margin-top:1.4em}li{margin:3px 0}'
            f'</style></head><body>{"".join(body)}</body></html>\n')


def _inline(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text))
