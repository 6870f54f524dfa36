"""``monitor probe URL|ID``: show what the scraper reads from one page or feed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from ..config import Account, Config, Selectors, is_url
from ..errors import UsageError
from ..textutil import clean, table
from .feeds import parse_feed
from .http import Fetcher, FetchError, decode_html
from .jsonlist import extract_json
from .pages import extract


@dataclass
class Probe:
    text: str          # what to print
    found: bool        # dated items (or feed posts) were found


def probe(config: Config, target: str, overrides: dict | None = None, fetcher: Fetcher | None = None) -> Probe:
    """Read one page or feed. ``overrides``: selectors to try instead of the configured ones
    (``--item``, ``--date`` …), so a change can be tried without editing config.toml."""
    fetcher = fetcher or Fetcher(config.http)
    ids = {s.id: s for s in config.sources}
    if target in ids:
        source = ids[target]
        if isinstance(source, Account):
            if not source.feed:
                return Probe(f"{source.id}「{source.name}」没有订阅源（未监测）", False)
            return _probe_feed(config, source, fetcher)
        if source.json:
            return _probe_json(source, fetcher)
        sel, label = _with(source.selectors, overrides), f"{source.id}「{source.name}」"
        return _probe_page(source.url, sel, source.encoding, fetcher, label, bool(overrides))
    if not is_url(target):
        raise UsageError(f"{target!r} 既不是配置中的栏目/账号编号，也不是 http(s) 网址")
    label = "（使用 [column_defaults] 选择器）" if not overrides else "（使用命令行给出的选择器）"
    return _probe_page(target, _with(config.column_defaults, overrides), None, fetcher, label, bool(overrides))


def _with(sel: Selectors, overrides: dict | None) -> Selectors:
    return replace(sel, **{k: v for k, v in (overrides or {}).items() if v is not None})


def config_lines(sel: Selectors) -> list[str]:
    """The selectors as lines to paste into a [[columns]] table."""
    lines = [f'item = "{sel.item}"', f'title = "{sel.title}"']
    for key in ("date", "link", "next", "pages", "date_attr", "date_pattern"):
        value = getattr(sel, key)
        if value:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return lines


def _probe_page(url, sel, encoding, fetcher, label, tried: bool = False) -> Probe:
    out = [f"试抓 {url} {label}"]
    try:
        resp = fetcher.get(url)
        text, used = decode_html(resp.content, resp.content_type, encoding)
    except FetchError as e:
        return Probe("\n".join(out + [f"读取失败：{clean(str(e))}"]), False)
    page = extract(text, resp.url, sel, dt.datetime.now(ZoneInfo("Asia/Shanghai")))
    out.append(f"HTTP {resp.status}，Content-Type: {clean(resp.content_type, 80) or '(无)'}，按 {used} 解码，{len(resp.content)} 字节"
               + ("，识别为大汉 JCMS datastore 页面" if page.style == "jcms" else ""))
    if page.detected:
        sel = page.detected
        out.append("没有配置 item，已自动识别页面上的信息列表：")
    out.append(f"选择器：item={sel.item or '(自动识别，未找到)'} title={sel.title} date={sel.date or '(整条文字)'} link={sel.link}"
               + (f" next={sel.next}" if sel.next else "") + (f" pages={sel.pages}" if sel.pages else ""))
    out.append(f"item 匹配 {page.matched} 个元素，取到 {len(page.items)} 条有日期的信息")
    if page.items:
        out.append(table(["#", "日期", "标题", "链接"],
                         [[i + 1, _fmt(it.published), clean(it.title, 40), it.url or "(无链接)"] for i, it in enumerate(page.items)]))
    if page.undated:
        out.append(f"跳过 {len(page.undated)} 条（找不到日期）：" + "；".join(clean(t, 30) for t in page.undated[:10]))
    if page.matched == 0:
        out.append("没有任何元素匹配 item 选择器：请在浏览器里查看页面源码，调整 item。")
    pager = {"next": "next 链接", "trs": "TRS createPageHTML 分页"}.get(page.pager or "", "")
    out.append(f"下一页：{clean(page.next_url)}（{pager}）" if page.next_url else
               ("下一页：按 pages 模板 " + sel.pages.format(n=1) if sel.pages else "下一页：无"))
    if (tried or page.detected) and page.items:
        out += ["", "这组选择器可以写进配置的 [[columns]]：", *(f"  {line}" for line in config_lines(sel))]
    return Probe("\n".join(out), bool(page.items))


def _probe_json(column, fetcher) -> Probe:
    spec = column.json
    out = [f"试抓 JSON 列表 {column.url} {column.id}「{column.name}」",
           f"位置：json_items={spec.items} json_title={spec.title} json_date={spec.date} json_link={spec.link}"]
    try:
        resp = fetcher.get(column.url)
    except FetchError as e:
        return Probe("\n".join(out + [f"读取失败：{clean(str(e))}"]), False)
    page = extract_json(resp.content, resp.url, spec, dt.datetime.now(ZoneInfo("Asia/Shanghai")))
    out.append(f"数组中 {page.matched} 条，取到 {len(page.items)} 条有日期的信息")
    if page.items:
        out.append(table(["#", "日期", "标题", "链接"],
                         [[i + 1, _fmt(it.published), clean(it.title, 40), it.url or "(无链接)"] for i, it in enumerate(page.items)]))
    return Probe("\n".join(out), bool(page.items))


def _probe_feed(config, account, fetcher) -> Probe:
    out = [f"试抓订阅源 {account.feed} {account.id}「{account.name}」"]
    try:
        resp = fetcher.get(account.feed)
    except FetchError as e:
        return Probe("\n".join(out + [f"读取失败：{clean(str(e))}"]), False)
    result = parse_feed(resp.content, config.settings.timezone, account.repost_markers, resp.content_type, account.timezone)
    if result.error:
        return Probe("\n".join(out + [clean(result.error)]), False)
    out.append(f"共 {result.entries} 条，原创 {sum(p.original for p in result.posts)} 条，无时间 {result.undated} 条")
    out.append(table(["#", "发布时间（本地）", "原创", "标题"],
                     [[i + 1, _fmt(p.published), "是" if p.original else "转发", clean(p.title, 40)]
                      for i, p in enumerate(result.posts)]))
    return Probe("\n".join(out), bool(result.posts))


def _fmt(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value.isoformat()
