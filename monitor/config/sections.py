"""One reader per table of config.toml ([monitor], [http], [[notify]], [[boards]], …)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import secrets
from ..core.calendar import WorkCalendar
from ..core.rules import RuleError, parse_rule
from .table import Table, is_url
from .types import (
    DEFAULT_SELECTORS, ROBOT_NAMES, SELECTOR_KEYS, Board, Channel, ConfigError, ContentChecks, HttpSettings, JsonList,
    MustRepost, ReportWords, Selectors, Settings, SiteCheck, Submissions, WebSettings,
)


COLUMN_CLASSES = ("动态要闻", "通知公告", "其他")


def column_class(t: Table) -> str | None:
    value = t.str("class")
    if value is not None and value not in COLUMN_CLASSES:
        t.fail("class", f"应为 {'、'.join(COLUMN_CLASSES)} 之一（国家网站检查按这三类判断栏目不更新）")
    return value


def content(t: Table) -> ContentChecks:
    from ..content.wording import Wording, merged

    allow = []
    for number in t.strings("allow_numbers"):
        digits = re.sub(r"[\s-]", "", number)
        if not digits.isdigit():
            t.fail("allow_numbers", f"{number!r} 应为号码（只含数字、空格和 -）")
        allow.append(digits)
    own = []
    for e in array(t.file, "content.errors", t.get("errors", []), t.env):
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


def web(t: Table) -> WebSettings:
    user = _one_line(t, "user", "monitor")
    if ":" in user:
        t.fail("user", "用户名不能含冒号")
    password = t.str("password")
    if password is not None and len(password) < 8:
        t.fail("password", "访问密码至少 8 个字符")
    result = WebSettings(user=user, password=_remembered(password))
    t.done()
    return result


def site(t: Table) -> SiteCheck:
    profile = t.str("profile", "national")
    if profile != "national":
        t.fail("profile", '目前只支持 "national"（国办秘函〔2019〕19号 政府网站与政务新媒体检查指标）')
    result = SiteCheck(home=t.url("home", required=bool(t.data)), profile=profile,
                       check_every=t.duration("check_every", "30m", minimum=dt.timedelta(minutes=1), maximum=dt.timedelta(days=1)),
                       slow_after=t.number("slow_after", 15.0, minimum=1, maximum=120))
    t.done()
    return result


EMAIL = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")


def addresses(t: Table, key: str, *, required: bool = False) -> tuple[str, ...]:
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


def json_list(t: Table) -> JsonList | None:
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


def encoding(t: Table) -> str | None:
    import codecs

    value = t.str("encoding")
    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            t.fail("encoding", "不是已知的文字编码（如 gb18030、utf-8）")
    return value


def array(file, name, value, env):
    """``[[name]]`` tables as ``Table``s labelled name[i]「their name」."""
    if not isinstance(value, list):
        raise ConfigError(f"{file}: {name}: 应写作 [[{name}]] 表数组")
    for i, data in enumerate(value, start=1):
        label = f"{name}[{i}]"
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            label += f"「{data['name']}」"
        yield Table(file, label, data, env)


def fmt_duration(td: dt.timedelta) -> str:
    return f"{int(td.total_seconds())}s"


def zone(t: Table, key: str, default: str = "Asia/Shanghai") -> ZoneInfo:
    try:
        return ZoneInfo(t.str(key, default))
    except (ZoneInfoNotFoundError, ValueError):
        t.fail(key, "不是有效的时区（如 Asia/Shanghai、UTC）")


def settings(t: Table, base: Path) -> Settings:
    tz = zone(t, "timezone")
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


def calendar(t: Table) -> WorkCalendar:
    mode = t.str("workdays", "china")
    if mode not in ("china", "weekdays"):
        t.fail("workdays", '应为 "china"（国务院放假安排）或 "weekdays"（周一至周五）')
    cal = WorkCalendar(mode, t.dates("holidays"), t.dates("makeup_workdays"))
    t.done()
    return cal


def must_repost(t: Table, key: str, default) -> MustRepost | None:
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


def board(t: Table) -> Board:
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
    result = Board(id=bid, name=t.str("name", bid), url=t.url("url", required=True),
                   max_pages=t.number("max_pages", 5, minimum=1, maximum=100, integer=True),
                   reply_within=int(m[1]), **selectors)
    t.done()
    return result


def _stretch(t: Table, key: str, text: str) -> dt.timedelta:
    """3周, 21天, 21d: a stretch of days."""
    m = re.fullmatch(r"\s*(\d{1,3})\s*(周|星期|天|日)\s*", text)
    if m:
        return dt.timedelta(days=int(m[1]) * (7 if m[2] in ("周", "星期") else 1))
    return t.duration(key, text, minimum=dt.timedelta(days=1), maximum=dt.timedelta(days=92))


def submissions(t: Table, column_ids: set[str]) -> Submissions:
    columns = t.strings("columns")
    unknown = [c for c in columns if c not in column_ids]
    if unknown:
        t.fail("columns", f"没有这些编号的栏目：{'、'.join(unknown)}")
    remind = t.str("remind_after")
    found = Submissions(columns=columns, required=t.number("required", 24, maximum=10000, integer=True),
                        remind_after=_stretch(t, "remind_after", remind) if remind else None)
    t.done()
    return found


def report(t: Table) -> ReportWords:
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


def http(t: Table, base: Path = Path(".")) -> HttpSettings:
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


def column_defaults(t: Table) -> dict:
    values = _selector_values(t)
    t.done()
    return values


def selectors(t: Table, defaults: dict) -> Selectors:
    return Selectors(**{**DEFAULT_SELECTORS, **defaults, **_selector_values(t)})


def channel(t: Table) -> Channel:
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
        to = addresses(t, "to")
        if not to:
            t.fail("to", "至少填写一个收件地址")
        c = Channel(
            "email", t.str("name", "邮件"),
            smtp_host=t.str("smtp_host", required=True),
            smtp_port=t.number("smtp_port", 465 if ssl else 25, minimum=1, maximum=65535, integer=True),
            ssl=ssl, starttls=starttls,
            username=t.str("username"),
            password=_remembered(t.env.get(password_env) if password_env else None),
            sender=addresses(t, "sender", required=True)[0],
            to=to,
        )
    else:
        t.fail("type", '应为 "wecom"（企业微信）、"dingtalk"（钉钉）、"feishu"（飞书）或 "email"')
    t.done()
    return c
