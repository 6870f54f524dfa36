"""Read config.toml into typed objects, with errors that name the file, table and key."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import secrets
from .core.calendar import WorkCalendar
from .core.rules import ACCOUNT_DEFAULT, Rule, RuleError, parse_rule

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


# ---------------------------------------------------------------- reading tables

class Table:
    """One TOML table being read; every read key is remembered so leftovers are unknown keys."""

    def __init__(self, file: str, label: str, data, env=os.environ):
        if not isinstance(data, dict):
            raise ConfigError(f"{file}: {label}: 应为表（[{label}] 或 [[{label}]]），实际是 {type(data).__name__}")
        self.file, self.label, self.data, self.env = file, label, data, env
        self.seen: set[str] = set()

    def fail(self, key: str, message: str):
        value = self.data.get(key)
        shown = f" = {_toml_repr(hide_secrets(key, value))}" if key in self.data else ""
        raise ConfigError(f"{self.file}: {self.label}.{key}{shown}: {message}")

    def get(self, key: str, default=None, *, required: bool = False):
        self.seen.add(key)
        if key not in self.data:
            if required:
                typo = difflib.get_close_matches(key, [k for k in self.data if isinstance(k, str)], n=1, cutoff=0.7)
                hint = f"（是否把 {key} 写成了 {typo[0]}？）" if typo else ""
                raise ConfigError(f"{self.file}: {self.label}: 缺少必填项 {key}{hint}")
            return default
        return self._expand(key, self.data[key])

    def _expand(self, key, value):
        if isinstance(value, str):
            def sub(m):
                name = m.group(1)
                if name not in self.env:
                    self.fail(key, f"环境变量 {name} 未设置")
                return self.env[name]
            return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", sub, value)
        if isinstance(value, list):
            return [self._expand(key, v) for v in value]
        return value

    def str(self, key, default=None, *, required=False) -> str | None:
        value = self.get(key, default, required=required)
        if value is not None and not isinstance(value, str):
            self.fail(key, "应为字符串（加引号）")
        return value

    def number(self, key, default, *, minimum=0.0, maximum=None, integer=False):
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            self.fail(key, "应为整数" if integer else "应为数字")
        if not math.isfinite(value):
            self.fail(key, "应为有限的数字")
        if value < minimum:
            self.fail(key, f"应不小于 {minimum:g}")
        if maximum is not None and value > maximum:
            self.fail(key, f"应不大于 {maximum:g}")
        return value

    def bool(self, key, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, "应为 true 或 false")
        return value

    def strings(self, key, default=()) -> tuple[str, ...]:
        value = self.get(key, list(default))
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, '应为字符串列表，如 ["a", "b"]')
        return tuple(value)

    def dates(self, key) -> tuple[dt.date, ...]:
        value = self.get(key, [])
        out = []
        for v in value if isinstance(value, list) else [value]:
            out.append(self._date(key, v))
        return tuple(out)

    def date(self, key) -> dt.date | None:
        value = self.get(key)
        return None if value is None else self._date(key, value)

    def _date(self, key, value) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(key, "应为日期，如 2021-10-09")

    def duration(self, key, default: str, *, minimum=dt.timedelta(0), maximum=dt.timedelta(days=366)) -> dt.timedelta:
        value = self.get(key, default)
        try:
            td = parse_duration(value)
        except (ValueError, OverflowError):
            self.fail(key, '不是有效的时长（示例："30m"、"6h"、"1d"、"90s"）')
        if td < minimum:
            self.fail(key, f"至少为 {_words(minimum)}")
        if td > maximum:
            self.fail(key, f"不能超过 {_words(maximum)}")
        return td

    def url(self, key, *, required=False) -> str | None:
        value = self.str(key, required=required)
        if value is not None and not is_url(value):
            self.fail(key, "不是有效的网址（应以 http:// 或 https:// 开头）")
        return value

    def done(self):
        unknown = [k for k in self.data if k not in self.seen]
        if unknown:
            key = unknown[0]
            hint = difflib.get_close_matches(key, sorted(self.seen), n=1)
            also = f"，是否应为 {hint[0]}？" if hint else ""
            raise ConfigError(
                f"{self.file}: {self.label}: 未知的配置项 {key}{also}（可用：{', '.join(sorted(self.seen))}）"
            )


SECRET_KEYS = ("password", "secret", "token")


def hide_secrets(key: str, value):
    """A value as an error message may show it: passwords never, webhook keys masked."""
    if any(word in key.lower() for word in SECRET_KEYS):
        return "****"
    if isinstance(value, str):
        return secrets.mask_url_secrets(value)
    return value


def _words(td: dt.timedelta) -> str:
    from .textutil import human_duration

    return human_duration(td)


def _toml_repr(value) -> str:
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def parse_duration(text) -> dt.timedelta:
    """"90s", "30m", "6h", "1d", "1h30m" → timedelta."""
    if not isinstance(text, str):
        raise ValueError(text)
    compact = re.sub(r"\s", "", text.lower())
    if not re.fullmatch(r"(\d+(\.\d+)?[smhd])+", compact):
        raise ValueError(text)
    parts = re.findall(r"(\d+(?:\.\d+)?)([smhd])", compact)
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    return dt.timedelta(seconds=sum(float(n) * seconds[u] for n, u in parts))


def is_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        parts.port                      # raises for a port out of range or not a number
    except ValueError:                  # "http://[::1/ok": an unclosed IPv6 bracket
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# ---------------------------------------------------------------- loading

def default_path() -> Path:
    return Path(os.environ.get("MONITOR_CONFIG", "config.toml"))


def load(path: str | os.PathLike | None = None, env=os.environ) -> Config:
    """Read and validate a config file. Raises ConfigError with a message for the officer."""
    path = Path(path) if path is not None else default_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: 配置文件不存在（用 --config 指定，或设置 MONITOR_CONFIG）") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name}: 配置文件应为 UTF-8 编码") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path.name}: {toml_error(str(e))}") from None
    return parse(raw, path, env)


class _Errors:
    """Collects one error per table, so the officer sees every problem in one go."""

    def __init__(self):
        self.messages: list[str] = []

    def attempt(self, read, *args, fallback=None):
        try:
            return read(*args)
        except ConfigError as e:
            self.messages.append(str(e))
            return fallback

    def raise_any(self) -> None:
        if len(self.messages) == 1:
            raise ConfigError(self.messages[0])
        if self.messages:
            raise ConfigError(f"配置中有 {len(self.messages)} 处错误：\n" + "\n".join(f"  {m}" for m in self.messages))


TOML_WORDS = [
    ("Illegal character", "这里有不允许的字符（字符串要用英文双引号括起来，注释以 # 开头）"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Expected '=' after a key", "配置项名称后面应是 ="),
    ("Invalid value", "值的写法不对（文字要加英文双引号，如 \"1条/月\"；数字、true/false 不加）"),
    ("Invalid statement", "这一行不是“名称 = 值”或 [表名] 的格式"),
    ("Cannot overwrite a value", "同一个配置项写了两次"),
    ("Cannot declare", "同一个表重复出现（多个栏目请用 [[columns]]）"),
    ("Unclosed array", "列表缺少结尾的 ]"),
    ("Expected ']]'", "表数组的名称应写成 [[名称]]，缺少 ]]"),
    ("Expected ']'", "表的名称应写成 [名称]，缺少 ]"),
    ("Unclosed inline table", "内联表缺少结尾的 }"),
    ("Expected newline or end of document", "值的后面还有多余的内容（文字要加英文双引号，如 \"1条/月\"；一行只写一个配置项）"),
    ("Invalid initial character for a key part", "配置项名称的写法不对"),
    ("Invalid date or datetime", "日期写法不对（如 2021-10-09）"),
]


def toml_error(message: str) -> str:
    """A TOML parser's message in the officer's words, with line and column."""
    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    where = f"第 {m[1]} 行第 {m[2]} 列" if m else ("文件末尾" if "end of document" in message else "")
    words = next((zh for en, zh in TOML_WORDS if message.startswith(en)), "格式错误")
    return f"配置文件格式错误：{where}{'，' if where else ''}{words}"


def parse(raw: dict, path: Path, env=os.environ) -> Config:
    file = path.name
    base = path.resolve().parent
    errors = _Errors()
    root = Table(file, "(顶层)", raw, env)
    for key in ("monitor", "calendar", "http", "column_defaults", "units", "columns", "accounts", "notify", "presets",
                "report", "submissions", "boards", "account_defaults", "content", "site", "web"):
        root.seen.add(key)
    errors.attempt(root.done)

    def table(name: str) -> Table:
        return Table(file, name, raw.get(name, {}), env)

    # A broken settings table still lets the rest be checked, against the defaults.
    settings = errors.attempt(_settings, table("monitor"), base) or _settings(Table(file, "monitor", {}, env), base)
    calendar = errors.attempt(_calendar, table("calendar")) or _calendar(Table(file, "calendar", {}, env))
    http = errors.attempt(_http, table("http"), base) or _http(Table(file, "http", {}, env))
    defaults = errors.attempt(_column_defaults, table("column_defaults"), fallback={})

    units: dict[str, Unit] = {}

    def read_unit(t: Table) -> None:
        unit = Unit(name=t.str("name", required=True), email=_addresses(t, "email"), wecom=t.url("wecom"),
                    aliases=t.strings("aliases"),
                    submissions_required=(t.number("submissions_required", 24, maximum=10000, integer=True)
                                          if "submissions_required" in t.data else None))
        t.done()
        if unit.name in units:
            t.fail("name", f"单位 {unit.name} 重复出现")
        units[unit.name] = unit

    for t in errors.attempt(list, _array(file, "units", raw.get("units", []), env), fallback=[]):
        errors.attempt(read_unit, t)

    ids: set[str] = set()

    def source_fields(t: Table) -> dict:
        sid = t.str("id", required=True)
        if not re.fullmatch(r"[a-z0-9_-]{1,64}", sid):
            t.fail("id", "只能包含小写字母、数字、_ 和 -，至多 64 个字符")
        if sid in ids:
            t.fail("id", f"编号 {sid} 与前面的栏目或账号重复")
        ids.add(sid)
        unit = t.str("unit", required=True)
        if unit not in units:
            t.fail("unit", f"单位未在 [[units]] 中列出（已列出：{'、'.join(units) or '无'}）")
        return dict(id=sid, name=t.str("name", required=True), unit=unit,
                    check_every=t.duration("check_every", _fmt_duration(settings.check_every), **CHECK_EVERY))

    def rule(t: Table, key: str, default: str | None = None) -> Rule:
        try:
            return parse_rule(t.str(key, default, required=default is None))
        except RuleError as e:
            t.fail(key, str(e))

    def read_column(t: Table) -> Column:
        column = Column(
            **source_fields(t),
            rule=rule(t, "frequency"),
            page_url=t.url("url", required=True),
            selectors=_selectors(t, defaults),
            encoding=_encoding(t),
            json=_json_list(t),
            scan_articles=t.bool("scan_articles", True),
            column_class=_column_class(t),
        )
        t.done()
        return column

    def read_account(t: Table) -> Account:
        common = source_fields(t)
        platform = t.str("platform", "wechat")
        if platform not in PLATFORMS:
            t.fail("platform", f"应为 {' | '.join(PLATFORMS)} 之一")
        account = Account(
            **common,
            rule=rule(t, "rule", ACCOUNT_DEFAULT),
            platform=platform,
            feed=t.url("feed"),
            repost_markers=t.strings("repost_markers", DEFAULT_REPOST_MARKERS),
            timezone=_zone(t, "timezone") if "timezone" in t.data else None,
            owner=t.str("owner"),
            must_repost=_must_repost(t, "must_repost", raw.get("account_defaults", {}).get("must_repost")),
            scan_articles=t.bool("scan_articles", True),
        )
        t.done()
        return account

    def read_all(name: str, read) -> list:
        found = [errors.attempt(read, t) for t in errors.attempt(list, _array(file, name, raw.get(name, []), env), fallback=[])]
        return [x for x in found if x is not None]

    def read_preset(t: Table) -> tuple:
        pattern = t.str("pattern", required=True)
        try:
            compiled = re.compile(pattern)
        except re.error as e:
            t.fail("pattern", f"不是有效的正则表达式：{e}")
        preset = (compiled, rule(t, "frequency"), t.str("note", f"预设：{pattern}"))
        t.done()
        return preset

    columns = read_all("columns", read_column)
    accounts = read_all("accounts", read_account)
    channels = read_all("notify", _channel)
    presets = tuple(read_all("presets", read_preset))

    def read_account_defaults(t: Table) -> None:
        _must_repost(t, "must_repost", None)
        t.done()

    errors.attempt(read_account_defaults, table("account_defaults"))
    for name in settings.digest_to:
        if name not in (*ROBOT_NAMES, "email"):
            errors.attempt(table("monitor").fail, "digest_to", f"渠道类型 {name} 无效，应为 wecom、dingtalk、feishu 或 email")
    report = errors.attempt(_report, table("report"), fallback=ReportWords())
    boards = tuple(read_all("boards", _board))
    submissions = errors.attempt(_submissions, table("submissions"), {c.id for c in columns}, fallback=Submissions())
    content = errors.attempt(_content, table("content"), fallback=ContentChecks())
    site = errors.attempt(_site, table("site"), fallback=SiteCheck())
    web = errors.attempt(_web, table("web"), fallback=WebSettings())
    errors.raise_any()
    return Config(path, settings, http, calendar, units, columns, accounts, channels,
                  Selectors(**{**DEFAULT_SELECTORS, **defaults}), presets=presets, report=report, submissions=submissions,
                  boards=boards, content=content, site=site, web=web)


COLUMN_CLASSES = ("动态要闻", "通知公告", "其他")


def _column_class(t: Table) -> str | None:
    value = t.str("class")
    if value is not None and value not in COLUMN_CLASSES:
        t.fail("class", f"应为 {'、'.join(COLUMN_CLASSES)} 之一（国家网站检查按这三类判断栏目不更新）")
    return value


def _content(t: Table) -> ContentChecks:
    from .content.wording import Wording, merged

    allow = []
    for number in t.strings("allow_numbers"):
        digits = re.sub(r"[\s-]", "", number)
        if not digits.isdigit():
            t.fail("allow_numbers", f"{number!r} 应为号码（只含数字、空格和 -）")
        allow.append(digits)
    own = []
    for e in _array(t.file, "content.errors", t.get("errors", []), t.env):
        wrong, right = e.str("wrong", required=True), e.str("right", required=True)
        if not wrong.strip() or wrong == right:
            e.fail("wrong", "应为非空的错误写法，且与 right 不同")
        own.append(Wording(wrong, right, e.str("note", "本单位规定")))
        e.done()
    checks = ContentChecks(scan_articles=t.bool("scan_articles", True), check_links=t.bool("check_links", True),
                           allow_numbers=frozenset(allow), wordings=merged(tuple(own)),
                           recent_days=t.number("recent_days", 30, minimum=1, maximum=366, integer=True))
    t.done()
    return checks


def _web(t: Table) -> WebSettings:
    user = _one_line(t, "user", "monitor")
    if ":" in user:
        t.fail("user", "用户名不能含冒号")
    password = t.str("password")
    if password is not None and len(password) < 8:
        t.fail("password", "访问密码至少 8 个字符")
    web = WebSettings(user=user, password=_remembered(password))
    t.done()
    return web


def _site(t: Table) -> SiteCheck:
    profile = t.str("profile", "national")
    if profile != "national":
        t.fail("profile", '目前只支持 "national"（国办秘函〔2019〕19号 政府网站与政务新媒体检查指标）')
    site = SiteCheck(home=t.url("home", required=bool(t.data)), profile=profile,
                     check_every=t.duration("check_every", "30m", minimum=dt.timedelta(minutes=1), maximum=dt.timedelta(days=1)),
                     slow_after=t.number("slow_after", 15.0, minimum=1, maximum=120))
    t.done()
    return site


EMAIL = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")


def _addresses(t: Table, key: str, *, required: bool = False) -> tuple[str, ...]:
    """E-mail addresses, one per string: a newline or a second address in one string is an error."""
    from email.utils import getaddresses

    value = t.get(key, required=required)
    values = t.strings(key) if value is not None else ()
    for address in values:
        parsed = getaddresses([address])
        if "\n" in address or "\r" in address or len(parsed) != 1 or not EMAIL.fullmatch(parsed[0][1]):
            t.fail(key, f"{address!r} 不是有效的邮件地址（每个字符串写一个地址）")
    return values


def _one_line(t: Table, key: str, default: str) -> str:
    value = t.str(key, default)
    if not value.strip() or any(ord(c) < 32 or ord(c) == 127 for c in value):
        t.fail(key, "应为一行非空文字")
    return value


JSON_KEYS = {"json_items": "items", "json_title": "title", "json_date": "date", "json_link": "link"}


def _json_list(t: Table) -> JsonList | None:
    values = {name: t.str(key) for key, name in JSON_KEYS.items()}
    if not values["items"]:
        if any(values.values()):
            t.fail("json_items", "读取 JSON 列表时必须写明信息数组的位置，如 \"data.list\"")
        return None
    for key, name in JSON_KEYS.items():
        if values[name] is not None and not re.fullmatch(r"[\w$-]+(\.[\w$-]+)*", values[name]):
            t.fail(key, "应为用点分隔的键名，如 data.list 或 info.title")
    return JsonList(**{k: v for k, v in values.items() if v})


def _remembered(secret: str | None) -> str | None:
    secrets.remember(secret)
    return secret


def _encoding(t: Table) -> str | None:
    import codecs

    value = t.str("encoding")
    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            t.fail("encoding", "不是已知的文字编码（如 gb18030、utf-8）")
    return value


def _array(file, name, value, env):
    """``[[name]]`` tables as ``Table``s labelled name[i]「their name」."""
    if not isinstance(value, list):
        raise ConfigError(f"{file}: {name}: 应写作 [[{name}]] 表数组")
    for i, data in enumerate(value, start=1):
        label = f"{name}[{i}]"
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            label += f"「{data['name']}」"
        yield Table(file, label, data, env)


def _fmt_duration(td: dt.timedelta) -> str:
    return f"{int(td.total_seconds())}s"


def _zone(t: Table, key: str, default: str = "Asia/Shanghai") -> ZoneInfo:
    try:
        return ZoneInfo(t.str(key, default))
    except (ZoneInfoNotFoundError, ValueError):
        t.fail(key, "不是有效的时区（如 Asia/Shanghai、UTC）")


def _settings(t: Table, base: Path) -> Settings:
    tz = _zone(t, "timezone")
    digest_at = t.str("digest_at", "08:30")
    try:
        at = dt.time.fromisoformat(digest_at)
    except ValueError:
        t.fail("digest_at", '应为 "HH:MM"，如 "08:30"')
    s = Settings(
        timezone=tz,
        database=base / _path(t, "database", "state/monitor.db"),
        digest_dir=base / _path(t, "digest_dir", "state/digests"),
        report_dir=base / _path(t, "report_dir", "state/reports"),
        check_every=t.duration("check_every", "6h", **CHECK_EVERY),
        digest_at=at,
        digest_to=t.strings("digest_to", ()),
        repeat_every=t.duration("repeat_every", "24h", minimum=dt.timedelta(minutes=1)),
        warn_before=t.duration("warn_before", "3d", maximum=dt.timedelta(days=90)),
        backfill_since=t.date("backfill_since"),
        log_file=(base / _path(t, "log_file", "-")) if "log_file" in t.data else None,
        fail_after=t.number("fail_after", 3, minimum=1, maximum=100, integer=True),
        fail_span=t.duration("fail_span", "30m", maximum=dt.timedelta(days=7)),
        batch_alerts=t.duration("batch_alerts", "1m", minimum=dt.timedelta(seconds=1), maximum=dt.timedelta(hours=1)),
    )
    if s.backfill_since and not dt.date(2000, 1, 1) <= s.backfill_since <= dt.date(2100, 1, 1):
        t.fail("backfill_since", "应在 2000 年至 2100 年之间")
    t.done()
    return s


CHECK_EVERY = dict(minimum=dt.timedelta(seconds=1), maximum=dt.timedelta(days=31))


def _path(t: Table, key: str, default: str) -> str:
    value = t.str(key, default)
    if not value.strip():
        t.fail(key, "不能为空")
    if "\x00" in value:
        t.fail(key, "含有不可用的字符")
    return value


def _calendar(t: Table) -> WorkCalendar:
    mode = t.str("workdays", "china")
    if mode not in ("china", "weekdays"):
        t.fail("workdays", '应为 "china"（国务院放假安排）或 "weekdays"（周一至周五）')
    cal = WorkCalendar(mode, t.dates("holidays"), t.dates("makeup_workdays"))
    t.done()
    return cal


def _must_repost(t: Table, key: str, default) -> MustRepost | None:
    value = t.data.get(key, default)
    t.seen.add(key)
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"from", "rule"} or not value.get("from"):
        t.fail(key, '应写作 { from = ["中国政府网", "国务院客户端"], rule = "1条/月" }')
    origins = value["from"] if isinstance(value["from"], list) else [value["from"]]
    if not all(isinstance(o, str) and o.strip() for o in origins):
        t.fail(key, "from 应为来源名称的列表")
    try:
        rule = parse_rule(value.get("rule", "1条/月"))
    except RuleError as e:
        t.fail(key, f"rule：{e}")
    return MustRepost(tuple(origins), rule)


def _board(t: Table) -> Board:
    bid = t.str("id", required=True)
    if not re.fullmatch(r"[a-z0-9_-]{1,64}", bid):
        t.fail("id", "只能包含小写字母、数字、_ 和 -")
    selectors = {}
    for key in ("item", "title", "asked", "unit", "state", "replied", "link", "next", "detail_replied"):
        value = t.str(key, required=key == "item")
        if value is not None:
            _check_selector(t, key, value)
            selectors[key] = value
    within = t.str("reply_within", "5个工作日")
    m = re.fullmatch(r"\s*(\d{1,2})\s*个?工作日\s*", within)
    if not m or not 1 <= int(m[1]) <= 60:
        t.fail("reply_within", "应写作“N个工作日”，如 5个工作日")
    board = Board(id=bid, name=t.str("name", bid), url=t.url("url", required=True),
                  max_pages=t.number("max_pages", 5, minimum=1, maximum=100, integer=True),
                  reply_within=int(m[1]), **selectors)
    t.done()
    return board


def _stretch(t: Table, key: str, text: str) -> dt.timedelta:
    """3周, 21天, 21d: a stretch of days."""
    m = re.fullmatch(r"\s*(\d{1,3})\s*(周|星期|天|日)\s*", text)
    if m:
        return dt.timedelta(days=int(m[1]) * (7 if m[2] in ("周", "星期") else 1))
    return t.duration(key, text, minimum=dt.timedelta(days=1), maximum=dt.timedelta(days=92))


def _submissions(t: Table, column_ids: set[str]) -> Submissions:
    columns = t.strings("columns")
    unknown = [c for c in columns if c not in column_ids]
    if unknown:
        t.fail("columns", f"没有这些编号的栏目：{'、'.join(unknown)}")
    remind = t.str("remind_after")
    found = Submissions(columns=columns, required=t.number("required", 24, maximum=10000, integer=True),
                        remind_after=_stretch(t, "remind_after", remind) if remind else None)
    t.done()
    return found


def _report(t: Table) -> ReportWords:
    d = ReportWords()
    words = ReportWords(
        issuer=t.str("issuer", d.issuer), office=t.str("office", d.office), site=t.str("site", d.site),
        recipients=t.str("recipients", d.recipients),
        submission_attachment=t.number("submission_attachment", d.submission_attachment, minimum=1, maximum=20, integer=True),
        column_attachment=t.number("column_attachment", d.column_attachment, minimum=1, maximum=20, integer=True),
        board_attachment=t.number("board_attachment", d.board_attachment, minimum=1, maximum=20, integer=True),
        account_attachment=t.number("account_attachment", d.account_attachment, minimum=1, maximum=20, integer=True),
        contact=t.str("contact", d.contact), deadline=t.str("deadline", d.deadline), signed=t.str("signed", d.signed),
    )
    t.done()
    return words


def _proxy(t: Table) -> str | None:
    value = t.str("proxy")
    if value is not None and not (is_url(value) or value.startswith(("socks5://", "socks5h://"))):
        t.fail("proxy", "应为代理地址，如 http://10.0.0.1:3128")
    return value


def _ca_bundle(t: Table, base: Path) -> Path | None:
    value = t.str("ca_bundle")
    if value is None:
        return None
    path = base / value
    if not path.is_file():
        t.fail("ca_bundle", f"找不到证书文件 {path}")
    return path


def _http(t: Table, base: Path = Path(".")) -> HttpSettings:
    h = HttpSettings(
        timeout=t.number("timeout", 20.0, minimum=0.1, maximum=600),
        delay_per_host=t.number("delay_per_host", 1.0, maximum=3600),
        user_agent=_one_line(t, "user_agent", HttpSettings.user_agent),
        retries=t.number("retries", 2, maximum=10, integer=True),
        max_bytes=t.number("max_bytes", 5_000_000, minimum=1024, maximum=500_000_000, integer=True),
        workers=t.number("workers", 16, minimum=1, maximum=256, integer=True),
        proxy=_proxy(t),
        ca_bundle=_ca_bundle(t, base),
    )
    t.done()
    return h


def selector_problem(key: str, value) -> str | None:
    """What is wrong with a selector setting, in words, or None."""
    if value is None or key in ("pages", "max_pages", "date_attr"):
        return None
    if key == "date_pattern":
        try:
            groups = re.compile(value).groupindex
        except re.error as e:
            return f"不是有效的正则表达式：{e}"
        if not {"m", "d"} <= set(groups):
            return "应含命名分组 (?P<m>…) 和 (?P<d>…)，可选 (?P<y>…)，如 (?P<m>\\d+)月(?P<d>\\d+)日"
        return None
    from cssselect import SelectorError
    from lxml.cssselect import CSSSelector

    try:
        CSSSelector(value)
    except SelectorError as e:
        return f"不是有效的 CSS 选择器：{str(e).splitlines()[0]}"
    return None


def _check_selector(t: Table, key: str, value):
    problem = selector_problem(key, value)
    if problem:
        t.fail(key, problem)


def _check_template(t: Table, key: str, value: str) -> None:
    if "{n}" not in value:
        t.fail(key, '分页模板应包含 {n}，如 "index_{n}.html"')
    try:
        value.format(n=1)
    except (KeyError, IndexError, ValueError, AttributeError):
        t.fail(key, '分页模板只能使用 {n}（页码），其他花括号请写成 {{ 和 }}')


def _selector_values(t: Table) -> dict:
    out = {}
    for key in SELECTOR_KEYS:
        if key in t.data:
            value = t.number(key, 10, minimum=1, maximum=1000, integer=True) if key == "max_pages" else t.str(key)
            if key == "pages":
                _check_template(t, key, value)
            _check_selector(t, key, value)
            out[key] = value
        else:
            t.seen.add(key)
    return out


def _column_defaults(t: Table) -> dict:
    values = _selector_values(t)
    t.done()
    return values


def _selectors(t: Table, defaults: dict) -> Selectors:
    return Selectors(**{**DEFAULT_SELECTORS, **defaults, **_selector_values(t)})


def _channel(t: Table) -> Channel:
    kind = t.str("type", required=True)
    if kind in ROBOT_NAMES:
        secret_env = t.str("secret_env")
        if "secret" in t.data:
            t.fail("secret", "签名密钥不得写在配置文件中，请用 secret_env 指定环境变量名")
        if secret_env and secret_env not in t.env:
            t.fail("secret_env", f"环境变量 {secret_env} 未设置")
        mentions = t.strings("mention_mobiles")
        for mobile in mentions:
            if not re.fullmatch(r"1\d{10}", mobile):
                t.fail("mention_mobiles", f"{mobile!r} 不是 11 位手机号")
        c = Channel(kind, t.str("name", ROBOT_NAMES[kind]), webhook=t.url("webhook", required=True),
                    secret=_remembered(t.env.get(secret_env) if secret_env else None), mentions=mentions)
    elif kind == "email":
        password_env = t.str("password_env")
        if "password" in t.data:
            t.fail("password", "密码不得写在配置文件中，请用 password_env 指定环境变量名")
        if password_env and password_env not in t.env:
            t.fail("password_env", f"环境变量 {password_env} 未设置")
        ssl = t.bool("ssl", not t.data.get("starttls", False))
        starttls = t.bool("starttls", False)
        if ssl and starttls:
            t.fail("starttls", "ssl 与 starttls 只能选一个")
        to = _addresses(t, "to")
        if not to:
            t.fail("to", "至少填写一个收件地址")
        c = Channel(
            "email", t.str("name", "邮件"),
            smtp_host=t.str("smtp_host", required=True),
            smtp_port=t.number("smtp_port", 465 if ssl else 25, minimum=1, maximum=65535, integer=True),
            ssl=ssl, starttls=starttls,
            username=t.str("username"),
            password=_remembered(t.env.get(password_env) if password_env else None),
            sender=_addresses(t, "sender", required=True)[0],
            to=to,
        )
    else:
        t.fail("type", '应为 "wecom"（企业微信）、"dingtalk"（钉钉）、"feishu"（飞书）或 "email"')
    t.done()
    return c
