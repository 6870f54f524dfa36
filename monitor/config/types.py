"""The configuration as the rest of the monitor sees it: frozen, typed objects, and the names and
defaults they share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from ..core.calendar import WorkCalendar
from ..core.rules import Rule


PLATFORMS = {
    "wechat": "微信公众号", "weibo": "新浪微博", "toutiao": "今日头条", "douyin": "抖音",
    "miniprogram": "小程序", "other": "其他",
}
SELECTOR_KEYS = ("item", "title", "date", "link", "next", "pages", "max_pages", "date_attr", "date_pattern")
DEFAULT_SELECTORS = {"item": None, "title": "a", "date": None, "link": "a", "next": None, "pages": None, "max_pages": 10,
                     "date_attr": None, "date_pattern": None}
DEFAULT_REPOST_MARKERS = ("转发", "转载", "【转载】", "[转载]", "转自")


ROBOT_NAMES = {"wecom": "企业微信群", "dingtalk": "钉钉群", "feishu": "飞书群"}


class ConfigError(Exception):
    """A config problem; the message is meant for the officer editing the file."""


# ---------------------------------------------------------------- the typed config

@dataclass(frozen=True)
class Selectors:
    item: str | None                  # None: find the dated list by itself
    title: str
    date: str | None
    link: str
    next: str | None
    pages: str | None
    max_pages: int
    date_attr: str | None = None      # the attribute holding the date (e.g. title, data-time)
    date_pattern: str | None = None   # a regex with groups y (optional), m, d for dates no built-in form reads


@dataclass(frozen=True)
class ReportWords:
    """The office's own words in the draft 通报 ([report] in config.toml); defaults are the seed's."""
    issuer: str = "区人民政府办公室"          # 发文机关：title and 落款
    office: str = "区政府办"                  # how the notice names the office in its text
    site: str = "区政府网站"
    recipients: str = "各镇人民政府、街道办事处，区政府各部门，区直各单位："
    submission_attachment: int = 1            # 附件 numbers of the tables
    column_attachment: int = 2
    board_attachment: int = 3
    account_attachment: int = 4
    contact: str = ""                         # 联系人 line, e.g. 联系人：荣夺刚　电话：3128019
    deadline: str = ""                        # 整改期限, e.g. 1月20日
    signed: str = ""                          # 成文日期, e.g. 2022年1月17日; default: the day it is written


@dataclass(frozen=True)
class JsonList:
    """Where a JSON endpoint keeps its list: ``items`` a dotted path to the array (``data.list``),
    then each item's keys for the title, date and link (dotted paths too)."""
    items: str
    title: str = "title"
    date: str = "date"
    link: str = "url"


@dataclass(frozen=True)
class Unit:
    name: str
    email: tuple[str, ...] = ()
    wecom: str | None = None
    aliases: tuple[str, ...] = ()          # other names in submitted titles: 区发改局, 渭滨区发展和改革局
    submissions_required: int | None = None   # 应报 per quarter for this unit ([submissions] required otherwise)


@dataclass(frozen=True)
class MustRepost:
    """``must_repost = { from = ["中国政府网"], rule = "1条/月" }``: reposts naming one of ``origins``."""
    origins: tuple[str, ...]
    rule: Rule


@dataclass(frozen=True)
class Board:
    """[[boards]]: a message board (区长信箱, 留言板) whose list shows each message's dates, unit and state."""
    id: str
    name: str
    url: str
    item: str                      # each message (CSS)
    title: str = "a"
    asked: str | None = None       # 留言时间 (CSS; default: the first date in the item)
    unit: str | None = None        # 承办单位
    state: str | None = None       # 办理中 / 已办结 / 已回复
    replied: str | None = None     # 回复时间
    link: str = "a"
    next: str | None = None
    max_pages: int = 5
    reply_within: int = 5          # working days
    detail_replied: str | None = None   # 回复时间 on each message's own page, when the list lacks it


@dataclass(frozen=True)
class Submissions:
    """[submissions]: the columns that carry units' news (基层动态), titled 单位：标题."""
    columns: tuple[str, ...] = ()
    required: int = 24                     # 应报 per unit and quarter
    remind_after: dt.timedelta | None = None   # a unit silent this long (observed) is reminded

@dataclass(frozen=True)
class Source:
    id: str
    name: str
    unit: str
    rule: Rule
    check_every: dt.timedelta

    kind = "source"

    @property
    def url(self) -> str | None:
        raise NotImplementedError


@dataclass(frozen=True)
class Column(Source):
    page_url: str = ""
    selectors: Selectors = None  # type: ignore[assignment]
    encoding: str | None = None
    json: JsonList | None = None      # the list is a JSON endpoint, not an HTML page
    scan_articles: bool = True        # read each new post's page for content problems ([content])
    column_class: str | None = None   # 动态要闻 | 通知公告 | 其他, for the national site check; default: from the name

    kind = "column"

    @property
    def url(self) -> str:
        return self.page_url


@dataclass(frozen=True)
class Account(Source):
    platform: str = "wechat"
    feed: str | None = None
    repost_markers: tuple[str, ...] = DEFAULT_REPOST_MARKERS
    timezone: ZoneInfo | None = None    # for feed times written without a zone; default [monitor] timezone
    owner: str | None = None            # 开设主体 as 附件4 prints it (default: the unit)
    must_repost: MustRepost | None = None   # reposts of named sources the account is required to make
    scan_articles: bool = True

    kind = "account"

    @property
    def url(self) -> str | None:
        return self.feed


@dataclass(frozen=True)
class Channel:
    """An office-wide notification channel ([[notify]])."""
    type: str                       # wecom | email
    name: str
    webhook: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 465
    ssl: bool = True
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    sender: str | None = None
    to: tuple[str, ...] = ()
    secret: str | None = None       # dingtalk / feishu: the robot's signing secret (from secret_env)
    mentions: tuple[str, ...] = ()  # robots: mobile numbers to @ in every message


@dataclass(frozen=True)
class Settings:
    timezone: ZoneInfo
    database: Path
    digest_dir: Path
    report_dir: Path
    check_every: dt.timedelta
    digest_at: dt.time
    digest_to: tuple[str, ...]
    repeat_every: dt.timedelta
    warn_before: dt.timedelta
    backfill_since: dt.date | None
    log_file: Path | None = None       # also log to this file, rotated at 10 MB, five kept
    fail_after: int = 3                # failed reads in a row before 抓取失败 is told …
    fail_span: dt.timedelta = dt.timedelta(minutes=30)   # … spanning at least this long
    batch_alerts: dt.timedelta = dt.timedelta(minutes=1)  # the daemon gathers alerts this long into one message


@dataclass(frozen=True)
class ContentChecks:
    """[content]: what is read in each new post (personal data, error words, dead links)."""
    scan_articles: bool = True
    check_links: bool = True
    allow_numbers: frozenset = frozenset()   # published hotlines and the like: never findings
    wordings: tuple = ()                     # Wording, the shipped ones merged with [[content.errors]]
    recent_days: int = 30                    # posts older than this when first seen are history, not scanned


@dataclass(frozen=True)
class SiteCheck:
    """[site]: the site's home page and its check profile (国办秘函〔2019〕19号)."""
    home: str | None = None
    profile: str = "national"
    check_every: dt.timedelta = dt.timedelta(minutes=30)
    slow_after: float = 15.0                 # seconds: a slower home page counts as not opening


@dataclass(frozen=True)
class WebSettings:
    """[web]: the read-only pages (``monitor serve``). A password is needed beyond loopback."""
    user: str = "monitor"
    password: str | None = None       # or the environment variable MONITOR_WEB_PASSWORD


@dataclass(frozen=True)
class HttpSettings:
    timeout: float = 20.0
    delay_per_host: float = 1.0
    user_agent: str = "Mozilla/5.0 (compatible; zwgk-monitor/0.1)"
    retries: int = 2
    max_bytes: int = 5_000_000
    workers: int = 16
    proxy: str | None = None          # http://proxy.example:8080 for every page and feed
    ca_bundle: Path | None = None     # a CA file for sites whose certificates a government CA signed


@dataclass
class Config:
    path: Path
    settings: Settings
    http: HttpSettings
    calendar: WorkCalendar
    units: dict[str, Unit]
    columns: list[Column]
    accounts: list[Account]
    channels: list[Channel]
    column_defaults: Selectors = None  # type: ignore[assignment]  # for probing a bare URL
    presets: tuple = ()                # (name pattern, Rule, note) for discover; empty: the shipped ones
    report: ReportWords = ReportWords()
    submissions: Submissions = Submissions()
    boards: tuple = ()
    content: ContentChecks = ContentChecks()
    site: SiteCheck = SiteCheck()
    web: WebSettings = WebSettings()
    _by_id: dict[str, Source] = field(default_factory=dict, repr=False)

    @property
    def sources(self) -> list[Source]:
        return [*self.columns, *self.accounts]

    def source(self, source_id: str) -> Source:
        if not self._by_id:
            self._by_id = {s.id: s for s in self.sources}
        return self._by_id[source_id]
