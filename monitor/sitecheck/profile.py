"""The national lines and how a measured value is judged against them. Pure.

Each line is a 单项否决 item: crossing it vetoes the whole site (or account) in a national check.
A line with too little evidence is 无数据, never 达标 and never 否决.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core.coverage import Coverage
from ..discover.presets import NEWS_NAMES, NOTICE_NAMES    # the same name classes as the frequency presets

SOURCE = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
PASS, VETO, NO_DATA = "达标", "单项否决", "无数据"

HOME_FAILURE_SHARE = 0.05       # 首页打不开次数占全部监测次数 ≥ 5%
MIN_HOME_CHECKS = 10            # fewer checks than this say nothing about a share
HOME_STALE_DAYS = 14            # 首页栏目 2 周无信息更新
NEWS, NOTICE, OTHER = "动态要闻", "通知公告", "其他"
CLASS_WINDOWS = {NEWS: 14, NOTICE: 183, OTHER: 365}      # days without a post that make a column 不更新
CLASS_LINES = {NEWS: 5, NOTICE: 5, OTHER: 10}            # that many such columns veto the site
BLANK_LINE = 5                   # 空白栏目 ≥ 5
UNANSWERED_DAYS = 91             # 留言超过 3 个月未回应
ACCOUNT_STALE_DAYS = 14          # 政务新媒体 2 周无更新



@dataclass(frozen=True)
class Item:
    key: str
    name: str              # 首页可用率
    rule: str              # the line in words
    value: str             # what was measured, in words
    verdict: str           # 达标 | 单项否决 | 无数据
    near: bool = False     # within one of the line
    names: tuple[str, ...] = field(default_factory=tuple)      # the columns, accounts or messages behind it
    unknown: tuple[str, ...] = field(default_factory=tuple)    # left unjudged for want of evidence


def column_class(name: str, configured: str | None = None) -> str:
    if configured:
        return configured
    if NEWS_NAMES.search(name):
        return NEWS
    if NOTICE_NAMES.search(name):
        return NOTICE
    return OTHER


def stale(last_post: dt.date | None, coverage: Coverage, today: dt.date, window_days: int) -> bool | None:
    """No post in the ``window_days`` before ``today``? None when the days were not all observed."""
    start = today - dt.timedelta(days=window_days)
    if last_post is not None and last_post >= start:
        return False
    return True if coverage.covers(start, today - dt.timedelta(days=1)) else None


def home_availability(failed: int, total: int, window: str) -> Item:
    rule = f"首页打不开（含超过15秒）次数占比 ≥ {HOME_FAILURE_SHARE:.0%} 即单项否决"
    if total < MIN_HOME_CHECKS:
        return Item("home_availability", "首页可用率", rule, f"{window}仅检查 {total} 次，不足 {MIN_HOME_CHECKS} 次", NO_DATA)
    share = failed / total
    value = f"{window}检查 {total} 次，打不开 {failed} 次（{share:.1%}），可用率 {1 - share:.1%}"
    return Item("home_availability", "首页可用率", rule, value, VETO if share >= HOME_FAILURE_SHARE else PASS,
                near=share >= HOME_FAILURE_SHARE - 0.01)


def home_update(newest: dt.date | None, seen: bool, today: dt.date) -> Item:
    rule = f"首页 {HOME_STALE_DAYS} 天（2周）无信息更新即单项否决"
    if not seen:
        return Item("home_update", "首页更新", rule, "近一天内未能打开首页", NO_DATA)
    if newest is None:
        return Item("home_update", "首页更新", rule, "首页上没有找到带日期的信息", NO_DATA)
    gap = (today - newest).days
    return Item("home_update", "首页更新", rule, f"最新信息 {newest.isoformat()}（{gap} 天前）",
                VETO if gap > HOME_STALE_DAYS else PASS, near=gap >= HOME_STALE_DAYS - 1)


def count_line(key: str, name: str, rule: str, found: list[str], line: int, unknown: list[str], unit: str = "个") -> Item:
    n = len(found)
    value = f"{n} {unit}" + (f"：{'、'.join(found[:10])}{' 等' if n > 10 else ''}" if found else "")
    if unknown:
        value += f"（另有 {len(unknown)} {unit}监测数据不足，未判断）"
    verdict = VETO if n >= line else (NO_DATA if unknown and n + len(unknown) >= line else PASS)
    return Item(key, name, rule, value, verdict, near=line > 1 and n >= line - 1, names=tuple(found), unknown=tuple(unknown))


STALE_RULES = {
    NEWS: ("stale_news", "动态要闻类栏目不更新", f"动态、要闻类栏目 2 周内无更新，累计 ≥ {CLASS_LINES[NEWS]} 个即单项否决"),
    NOTICE: ("stale_notice", "通知公告、政策文件类栏目不更新", f"通知公告、政策文件类栏目 6 个月内无更新，累计 ≥ {CLASS_LINES[NOTICE]} 个即单项否决"),
    OTHER: ("stale_other", "其他应更新栏目长期未更新", f"人事、规划计划等应更新栏目 1 年内无更新，累计 ≥ {CLASS_LINES[OTHER]} 个即单项否决"),
}
BLANK_RULE = f"栏目无任何信息（空白栏目），累计 ≥ {BLANK_LINE} 个即单项否决"
REPLY_RULE = "网民留言超过 3 个月未回应，有 1 条即单项否决"
ACCOUNT_RULE = "政务新媒体 2 周内无更新，有 1 个即单项否决（另见本地“5个工作日1条原创”的要求）"
