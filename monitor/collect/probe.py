"""``monitor probe URL|ID``: show what the scraper reads from one page or feed."""

from __future__ import annotations

import datetime as dt

from ..config import Account, Config, is_url
from ..errors import UsageError
from ..textutil import clean, table
from .feeds import parse_feed
from .http import Fetcher, FetchError, decode_html
from .pages import extract


def probe(config: Config, target: str, fetcher: Fetcher | None = None) -> str:
    fetcher = fetcher or Fetcher(config.http)
    ids = {s.id: s for s in config.sources}
    if target in ids:
        source = ids[target]
        if isinstance(source, Account):
            if not source.feed:
                return f"{source.id}「{source.name}」没有订阅源（未监测）"
            return _probe_feed(config, source, fetcher)
        return _probe_page(source.url, source.selectors, source.encoding, fetcher, f"{source.id}「{source.name}」")
    if not is_url(target):
        raise UsageError(f"{target!r} 既不是配置中的栏目/账号编号，也不是 http(s) 网址")
    return _probe_page(target, config.column_defaults, None, fetcher, "（使用 [column_defaults] 选择器）")


def _probe_page(url, sel, encoding, fetcher, label) -> str:
    out = [f"试抓 {url} {label}"]
    try:
        resp = fetcher.get(url)
        text, used = decode_html(resp.content, resp.content_type, encoding)
    except FetchError as e:
        return "\n".join(out + [f"读取失败：{clean(str(e))}"])
    page = extract(text, resp.url, sel)
    out.append(f"HTTP {resp.status}，Content-Type: {clean(resp.content_type, 80) or '(无)'}，按 {used} 解码，{len(resp.content)} 字节"
               + ("，识别为大汉 JCMS datastore 页面" if page.style == "jcms" else ""))
    out.append(f"选择器：item={sel.item} title={sel.title} date={sel.date or '(整条文字)'} link={sel.link}"
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
    return "\n".join(out)


def _probe_feed(config, account, fetcher) -> str:
    out = [f"试抓订阅源 {account.feed} {account.id}「{account.name}」"]
    try:
        resp = fetcher.get(account.feed)
    except FetchError as e:
        return "\n".join(out + [f"读取失败：{clean(str(e))}"])
    result = parse_feed(resp.content, config.settings.timezone, account.repost_markers, resp.content_type, account.timezone)
    if result.error:
        return "\n".join(out + [clean(result.error)])
    out.append(f"共 {result.entries} 条，原创 {sum(p.original for p in result.posts)} 条，无时间 {result.undated} 条")
    out.append(table(["#", "发布时间（本地）", "原创", "标题"],
                     [[i + 1, _fmt(p.published), "是" if p.original else "转发", clean(p.title, 40)]
                      for i, p in enumerate(result.posts)]))
    return "\n".join(out)


def _fmt(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value.isoformat()
