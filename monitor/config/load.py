"""``load``: config.toml read, checked table by table, every problem reported at once."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from ..core.rules import ACCOUNT_DEFAULT, Rule, RuleError, parse_rule
from . import sections
from .table import Table
from .types import (
    DEFAULT_REPOST_MARKERS, DEFAULT_SELECTORS, PLATFORMS, ROBOT_NAMES, Account, Column, Config, ConfigError, ContentChecks,
    ReportWords, Selectors, SiteCheck, Submissions, Unit, WebSettings,
)


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
    settings = errors.attempt(sections.settings, table("monitor"), base) or sections.settings(Table(file, "monitor", {}, env), base)
    calendar = errors.attempt(sections.calendar, table("calendar")) or sections.calendar(Table(file, "calendar", {}, env))
    http = errors.attempt(sections.http, table("http"), base) or sections.http(Table(file, "http", {}, env))
    defaults = errors.attempt(sections.column_defaults, table("column_defaults"), fallback={})

    units: dict[str, Unit] = {}

    def read_unit(t: Table) -> None:
        unit = Unit(name=t.str("name", required=True), email=sections.addresses(t, "email"), wecom=t.url("wecom"),
                    aliases=t.strings("aliases"),
                    submissions_required=(t.number("submissions_required", 24, maximum=10000, integer=True)
                                          if "submissions_required" in t.data else None))
        t.done()
        if unit.name in units:
            t.fail("name", f"单位 {unit.name} 重复出现")
        units[unit.name] = unit

    for t in errors.attempt(list, sections.array(file, "units", raw.get("units", []), env), fallback=[]):
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
                    check_every=t.duration("check_every", sections.fmt_duration(settings.check_every), **sections.CHECK_EVERY))

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
            selectors=sections.selectors(t, defaults),
            encoding=sections.encoding(t),
            json=sections.json_list(t),
            scan_articles=t.bool("scan_articles", True),
            column_class=sections.column_class(t),
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
            timezone=sections.zone(t, "timezone") if "timezone" in t.data else None,
            owner=t.str("owner"),
            must_repost=sections.must_repost(t, "must_repost", raw.get("account_defaults", {}).get("must_repost")),
            scan_articles=t.bool("scan_articles", True),
        )
        t.done()
        return account

    def read_all(name: str, read) -> list:
        found = [errors.attempt(read, t) for t in errors.attempt(list, sections.array(file, name, raw.get(name, []), env), fallback=[])]
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
    channels = read_all("notify", sections.channel)
    presets = tuple(read_all("presets", read_preset))

    def read_account_defaults(t: Table) -> None:
        sections.must_repost(t, "must_repost", None)
        t.done()

    errors.attempt(read_account_defaults, table("account_defaults"))
    for name in settings.digest_to:
        if name not in (*ROBOT_NAMES, "email"):
            errors.attempt(table("monitor").fail, "digest_to", f"渠道类型 {name} 无效，应为 wecom、dingtalk、feishu 或 email")
    report = errors.attempt(sections.report, table("report"), fallback=ReportWords())
    boards = tuple(read_all("boards", sections.board))
    submissions = errors.attempt(sections.submissions, table("submissions"), {c.id for c in columns}, fallback=Submissions())
    content = errors.attempt(sections.content, table("content"), fallback=ContentChecks())
    site = errors.attempt(sections.site, table("site"), fallback=SiteCheck())
    web = errors.attempt(sections.web, table("web"), fallback=WebSettings())
    errors.raise_any()
    return Config(path, settings, http, calendar, units, columns, accounts, channels,
                  Selectors(**{**DEFAULT_SELECTORS, **defaults}), presets=presets, report=report, submissions=submissions,
                  boards=boards, content=content, site=site, web=web)
