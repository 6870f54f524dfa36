"""Command line: ``monitor [--config PATH] COMMAND``.

Heavy modules are imported inside each command so that ``monitor --help`` starts fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sqlite3
import sys
import threading
from pathlib import Path

from . import __version__
from .errors import UsageError

log = logging.getLogger("monitor")

from .core.evaluate import STATE_LABELS


def build_parser() -> argparse.ArgumentParser:
    from .cli_words import chinese

    chinese()
    p = argparse.ArgumentParser(
        prog="monitor",
        description="政务公开监测：检查区政府网站栏目和政务新媒体是否按要求频次更新，到期前提醒，逾期告警，按季度出具通报附表。",
        epilog="示例：monitor validate；monitor check；monitor status --as-of 2021-12-20；monitor report --period 2021Q4 --format xlsx -o 2021Q4.xlsx",
    )
    p.add_argument("--config", metavar="PATH", help="配置文件（默认 ./config.toml 或环境变量 MONITOR_CONFIG）")
    p.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    p.add_argument("--version", action="version", version=f"monitor {__version__}", help="显示版本并退出")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", title="命令")

    def command(name, help_text):
        return sub.add_parser(name, help=help_text, description=help_text)

    def as_of(parser):
        parser.add_argument("--as-of", metavar="ISO", help="假定当前时间（如 2021-12-20 或 2021-12-20T09:00），用于补查和测试")

    def web_address(parser):
        parser.add_argument("--host", default="127.0.0.1", help="网页监听的地址（默认 127.0.0.1，仅本机；其他地址须设置访问密码）")
        parser.add_argument("--port", type=int, default=8080, help="网页端口（默认 8080）")

    c = command("run", "常驻运行：按计划抓取、评估、告警，每天生成日报")
    c.add_argument("--serve", action="store_true", help="同时提供只读网页（见 monitor serve）")
    web_address(c)
    c = command("serve", "提供只读网页：总览、来源、单位整改清单、报表下载、通知记录，以及 /api/ 下的 JSON")
    web_address(c)
    as_of(c)
    c = command("check", "立即检查一遍：抓取、记录、评估、通知")
    as_of(c)
    c.add_argument("--only", nargs="+", metavar="ID", help="只检查这些编号的栏目或账号")
    c.add_argument("--no-notify", action="store_true", help="只抓取和评估，不发送通知")
    c.add_argument("--exit-zero", action="store_true", help="有逾期或抓取失败时也以 0 退出（供只关心程序是否运行成功的定时任务使用）")
    c = command("status", "显示每个栏目和账号的状态、最近更新和截止日期")
    as_of(c)
    c.add_argument("--json", action="store_true", help="输出 JSON")
    c = command("report", "生成统计期的通报附表（栏目更新统计表、政务新媒体更新情况统计表）")
    c.add_argument("--period", required=True, metavar="统计期", help="统计期：2021Q4、2021-10、2021 或 2021-10-01..2021-12-31")
    c.add_argument("--format", default="md", choices=["json", "md", "html", "xlsx", "notice"],
                   help="格式：json、md、html、xlsx，或 notice（通报草稿）；默认 md")
    c.add_argument("-o", "--output", metavar="FILE", help="输出文件（默认打印到屏幕；xlsx 默认写入 state/reports）")
    as_of(c)
    c = command("posts", "列出一个栏目或账号在统计期内记录到的每条信息和有效监测的日期，即报表结论的依据")
    c.add_argument("source", metavar="ID", help="栏目或账号编号")
    c.add_argument("--period", help="统计期（默认本季度）：2021Q4、2021-10、2021 或 2021-10-01..2021-12-31")
    c.add_argument("--json", action="store_true", help="输出 JSON")
    as_of(c)
    c = command("digest", "生成（并按配置发送）每日简报")
    c.add_argument("--date", help="简报日期 YYYY-MM-DD（默认今天）")
    c.add_argument("--no-send", action="store_true", help="只写文件，不发送")
    command("validate", "检查配置文件并显示理解到的内容")
    c = command("probe", "试抓一个页面，显示提取到的条目、日期、链接和下一页，用于调试选择器")
    c.add_argument("target", metavar="URL|ID", help="栏目编号，或一个列表页网址（使用 [column_defaults] 选择器）")
    for key, words in (("item", "每条信息"), ("title", "标题"), ("date", "日期"), ("link", "链接"), ("next", "下一页链接")):
        c.add_argument(f"--{key}", metavar="CSS", help=f"试用这个{words}选择器（不改配置文件）")
    c.add_argument("--date-attr", metavar="ATTR", help="日期所在的属性，如 title、data-time")
    c.add_argument("--date-pattern", metavar="REGEX", help="日期的正则表达式，含命名分组 m、d（可选 y）")
    command("test-notify", "在每个通知渠道发送一条测试消息")
    c = command("import-submissions", "导入网站后台导出的政务信息报送记录（CSV：单位、标题、日期），作为附件1的“实报”")
    c.add_argument("file", metavar="FILE.csv", help="后台导出的 CSV 文件（UTF-8 或 GBK）")
    c.add_argument("--period", required=True, metavar="统计期", help="统计期：2021Q4、2021-10、2021 或 2021-10-01..2021-12-31")
    c = command("discover", "从网站首页或单位信息公开页出发，找出带日期列表的栏目，输出可直接粘贴的 [[columns]] 配置")
    c.add_argument("url", metavar="URL", help="起点，如网站首页或某单位的信息公开页")
    c.add_argument("--depth", type=int, default=3, help="最多沿链接走几层（默认 3）")
    c.add_argument("--max-pages", type=int, default=200, help="最多读取多少个页面（默认 200）")
    c.add_argument("--write", metavar="FILE", help="写入文件（默认打印到屏幕）")
    c = command("demo", "在本机启动演示网站，完整运行一遍检查、告警、日报和报表")
    c.add_argument("--dir", metavar="DIR", help="演示输出目录（默认新建临时目录）")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from . import logs

    logs.setup(args.verbose)
    if not args.command:
        parser.print_help()
        return 2
    from .config import ConfigError
    from .store.errors import StoreError

    try:
        return COMMANDS[args.command](args) or 0
    except (ConfigError, UsageError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except StoreError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    except OSError as e:
        # A file the officer named cannot be read or written (-o in a read-only folder, …).
        name = f"{e.filename}：" if getattr(e, "filename", None) else ""
        print(f"错误：无法读写文件 {name}{FILE_ERRORS.get(e.errno, f'操作失败（错误码 {e.errno}）')}", file=sys.stderr)
        return 1
    except sqlite3.Error as e:
        # The store failed mid-command (a disk filling up, a file replaced underneath): say what to do.
        print(f"错误：{_explain_store_fault(args, e)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def entry() -> None:
    """``monitor`` on the command line: run the command, then leave without tearing the interpreter
    down. Freeing every module and object one by one costs a short command ~50 ms and gives it
    nothing, once the stores are closed and the logs and output flushed (mypy leaves the same way)."""
    code = main()
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if others:      # a thread still working gets the ordinary exit, which waits for it
        sys.exit(code)
    if "monitor.store" in sys.modules:
        sys.modules["monitor.store"].close_all()
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):    # output piped to `head` and closed, or already closed
        code = code or 1
    os._exit(code)


# ---------------------------------------------------------------- helpers

FILE_ERRORS = {13: "没有权限", 2: "文件或目录不存在", 17: "路径中有一段是已存在的文件，不能当作目录", 20: "路径中有一段不是目录",
               21: "这是一个目录", 28: "磁盘已满", 30: "文件系统只读", 1: "不允许的操作", 36: "文件名太长"}


def _explain_store_fault(args, e: BaseException) -> str:
    from .store.errors import explain

    try:
        path = load_config(args).settings.database
    except Exception:  # noqa: BLE001 - only for naming the file in the message
        path = Path("monitor.db")
    return explain(e, Path(path))


def load_config(args):
    from . import config, logs

    cfg = config.load(args.config)
    logs.use_config(cfg.settings.timezone, cfg.settings.log_file, args.verbose)
    return cfg


def open_store(cfg):
    from .store import Store

    return Store(cfg.settings.database)


def parse_as_of(text: str | None, tz) -> dt.datetime:
    """--as-of: a date (midnight) or a datetime; naive times are in the configured timezone."""
    if not text:
        return dt.datetime.now(tz).replace(microsecond=0)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of {text!r} 不是有效的时间（示例：2021-12-20 或 2021-12-20T09:00）") from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


# ---------------------------------------------------------------- commands

def cmd_validate(args) -> int:
    cfg = load_config(args)
    print(f"配置文件：{cfg.path.resolve()}")
    s = cfg.settings
    from .config import PLATFORMS
    from .textutil import human_duration, table

    print(f"时区 {s.timezone.key}；数据库 {s.database}；检查间隔 {human_duration(s.check_every)}；"
          f"提前提醒 {human_duration(s.warn_before)}；重复提醒间隔 {human_duration(s.repeat_every)}；"
          f"日报 {s.digest_at.strftime('%H:%M')}")
    print(f"工作日：{'国务院放假安排' if cfg.calendar.mode == 'china' else '周一至周五'}"
          f"，额外假日 {len(cfg.calendar.holidays)} 天，额外调休上班 {len(cfg.calendar.makeup_workdays)} 天")
    unmonitored = sum(1 for a in cfg.accounts if a.feed is None)
    print(f"单位 {len(cfg.units)} 个，栏目 {len(cfg.columns)} 个，政务新媒体账号 {len(cfg.accounts)} 个"
          f"（其中未监测 {unmonitored} 个），通知渠道 {len(cfg.channels)} 个")

    c = cfg.content
    print(f"读网盯网：{'读取新信息正文，查找个人信息、错词' + ('和断链' if c.check_links else '') if c.scan_articles else '关闭'}"
          f"；错词表 {len(c.wordings)} 条；号码白名单 {len(c.allow_numbers)} 个")
    if cfg.site.home:
        print(f"网站体检：首页 {cfg.site.home}，每 {human_duration(cfg.site.check_every)} 打开一次，"
              f"超过 {cfg.site.slow_after:g} 秒算打不开（国办秘函〔2019〕19号）")
    if cfg.columns:
        print("\n栏目：")
        print(table(
            ["编号", "栏目", "单位", "频次", "含义", "选择器"],
            [[c.id, c.name, c.unit, str(c.rule), c.rule.describe(), _selector_summary(c.selectors)] for c in cfg.columns],
        ))
    if cfg.accounts:
        print("\n政务新媒体：")
        print(table(
            ["编号", "账号", "单位", "平台", "规则", "含义", "订阅源"],
            [[a.id, a.name, a.unit, PLATFORMS[a.platform], str(a.rule), a.rule.describe(), a.feed or "（未监测）"] for a in cfg.accounts],
        ))
    if cfg.channels:
        print("\n通知渠道：")
        kinds = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书", "email": "邮件"}
        for ch in cfg.channels:
            target = f"{ch.smtp_host}:{ch.smtp_port} → {', '.join(ch.to)}" if ch.type == "email" else ch.webhook
            print(f"  {kinds[ch.type]}  {ch.name}  {_hide_key(target)}")
    if any(u.email for u in cfg.units.values()) and not any(c.type == "email" for c in cfg.channels):
        print("\n提示：有单位填写了 email，但没有 type = \"email\" 的 [[notify]] 渠道作为发信服务器，单位邮件不会发出。")
    _unmatched_prefixes(cfg)
    for ch in cfg.channels:
        if ch.type == "email" and ch.password and not (ch.ssl or ch.starttls):
            print(f"\n警告：邮件渠道「{ch.name}」没有启用 ssl 或 starttls，登录密码会以明文在网络上传输。"
                  "请设置 ssl = true（端口 465）或 starttls = true（端口 587）。")
    print("\n配置有效。")
    return 0


def _unmatched_prefixes(cfg) -> None:
    """报送 titles whose prefix names no unit: the aliases [[units]] still lacks."""
    if not cfg.submissions.columns or not cfg.settings.database.is_file():
        return
    from collections import Counter

    from .submissions.attribute import PREFIX, alias_table, attribute

    aliases = alias_table(cfg.units.values())
    marks = ",".join("?" * len(cfg.submissions.columns))
    titles = [r["title"] for r in open_store(cfg).query(
        f"SELECT title FROM posts WHERE source_id IN ({marks})", cfg.submissions.columns)]
    missing = Counter(m.group(1).strip() for t in titles if attribute(t, aliases) is None and (m := PREFIX.match(t)))
    if missing:
        print("\n报送信息中无法归属到单位的标题前缀（可加到相应单位的 aliases）：" +
              "、".join(f"{prefix}（{n} 条）" for prefix, n in missing.most_common(20)))


def _selector_summary(sel) -> str:
    parts = [f"item={sel.item or '(自动识别)'}", f"title={sel.title}", f"date={sel.date or '(整条文字)'}", f"link={sel.link}"]
    if sel.next:
        parts.append(f"next={sel.next}")
    if sel.pages:
        parts.append(f"pages={sel.pages}")
    parts.append(f"max_pages={sel.max_pages}")
    return " ".join(parts)


def _hide_key(url: str) -> str:
    from .secrets import mask_url_secrets

    return mask_url_secrets(url)


def cmd_status(args) -> int:
    cfg = load_config(args)
    now = parse_as_of(args.as_of, cfg.settings.timezone)
    from .status import all_statuses

    store = open_store(cfg)
    statuses = all_statuses(cfg, store, now)
    if args.json:
        print(json.dumps({"as_of": now.isoformat(), "sources": [s.to_json() for s in statuses]}, ensure_ascii=False, indent=2))
        return 0
    print_status_table(statuses, now)
    pending, dead = store.conn.execute(
        "SELECT coalesce(sum(sent IS NULL AND dead = 0), 0), coalesce(sum(dead = 1), 0) FROM outbox").fetchone()
    if pending or dead:
        print(f"通知：待发送 {pending} 条，无法送达 {dead} 条（见日报“无法送达的通知”）")
    return 0


def print_status_table(statuses, now) -> None:
    from .textutil import table

    print(f"状态（{now.strftime('%Y-%m-%d %H:%M')}）")
    rows = []
    for s in statuses:
        last = s.last_post["day"] if s.last_post else "无"
        rows.append([s.source.id, s.source.name, s.source.unit, str(s.source.rule), state_label(s.state),
                     last, s.deadline.isoformat() if s.deadline else "", s.error or ""])
    print(table(["编号", "名称", "单位", "规则", "状态", "最近更新", "截止", "说明"], rows))
    counts: dict[str, int] = {}
    for s in statuses:
        counts[s.state] = counts.get(s.state, 0) + 1
    print("合计：" + "，".join(f"{state_label(k)} {v}" for k, v in counts.items()))


def period_arg(text: str) -> tuple[dt.date, dt.date]:
    from .report.build import PeriodError, parse_period

    try:
        return parse_period(text)
    except PeriodError as e:
        raise UsageError(str(e)) from None


def cmd_report(args) -> int:
    cfg = load_config(args)
    from .report.build import build

    start, end = period_arg(args.period)
    now = parse_as_of(args.as_of, cfg.settings.timezone)
    store = open_store(cfg)
    data = build(cfg, store, start, end, now)
    from .report import render

    out = Path(args.output) if args.output else None
    fmt = args.format
    if fmt == "notice" and out and out.suffix.lower() == ".docx":
        fmt = "docx"
    if fmt in ("xlsx", "docx") and out is None:
        out = cfg.settings.report_dir / f"{args.period}.{fmt}"
    details = None
    if fmt == "xlsx":
        from .evidence.posts import posts_in

        details = posts_in(store, cfg, start, min(end, now.date()))
    written = render.write(data, fmt, out, details)
    if written is not None:
        print(f"已写入 {written}", file=sys.stderr)
    return 0


def cmd_posts(args) -> int:
    cfg = load_config(args)
    now = parse_as_of(args.as_of, cfg.settings.timezone)
    source = next((s for s in cfg.sources if s.id == args.source), None)
    if source is None:
        raise UsageError(f"配置中没有编号为 {args.source!r} 的栏目或账号")
    from .core.evaluate import period_of
    from .evidence.listing import listing, render_listing

    start, end = period_arg(args.period) if args.period else period_of("quarter", now.date())
    data = listing(cfg, open_store(cfg), source, start, end, now)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_listing(data))
    return 0


def cmd_check(args) -> int:
    cfg = load_config(args)
    now = parse_as_of(args.as_of, cfg.settings.timezone)
    from .pipeline import run_check

    unknown = [i for i in args.only or [] if i not in {s.id for s in cfg.sources}]
    if unknown:
        raise UsageError(f"配置中没有这些编号：{'、'.join(unknown)}")
    store = open_store(cfg)
    result = run_check(cfg, store, now, only=set(args.only) if args.only else None, notify=not args.no_notify)
    print_status_table(result.statuses, now)
    return 0 if args.exit_zero else check_exit_code(result.statuses)


EXIT_OVERDUE, EXIT_FAILING = 2, 3


def check_exit_code(statuses) -> int:
    """0 all well, 2 something overdue, 3 something could not be read (the worse of the two)."""
    states = {s.state for s in statuses}
    if "failing" in states:
        return EXIT_FAILING
    return EXIT_OVERDUE if "overdue" in states else 0


def cmd_digest(args) -> int:
    cfg = load_config(args)
    from .digest import write_digest

    tz = cfg.settings.timezone
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date {args.date!r} 不是有效的日期（示例：2021-12-20）") from None
        now = dt.datetime.combine(day, cfg.settings.digest_at, tzinfo=tz)
    else:
        now = parse_as_of(None, tz)
    path = write_digest(cfg, open_store(cfg), now, send=not args.no_send)
    print(f"已写入 {path}", file=sys.stderr)
    print(path.read_text(encoding="utf-8"))
    return 0


def cmd_probe(args) -> int:
    cfg = load_config(args)
    from .collect.probe import probe

    overrides = {k: getattr(args, k) for k in ("item", "title", "date", "link", "next", "date_attr", "date_pattern")}
    _check_overrides(overrides)
    result = probe(cfg, args.target, {k: v for k, v in overrides.items() if v})
    print(result.text)
    return 0 if result.found else 1


def _check_overrides(overrides: dict) -> None:
    """Selectors typed on the command line get the same checks as the config's."""
    from .config import selector_problem

    for key, value in overrides.items():
        problem = selector_problem(key, value)
        if problem:
            raise UsageError(f"--{key.replace('_', '-')} {value!r}：{problem}")


def cmd_discover(args) -> int:
    from . import config as config_module
    from .collect.http import Fetcher
    from .discover import Preset, as_toml, discover

    if not config_module.is_url(args.url):
        raise UsageError(f"{args.url!r} 不是 http(s) 网址")
    if not (0 <= args.depth <= 10 and 1 <= args.max_pages <= 5000):
        raise UsageError("--depth 应在 0–10 之间，--max-pages 应在 1–5000 之间")
    try:
        cfg = load_config(args)
        http, presets, units = cfg.http, [Preset(*p) for p in cfg.presets], set(cfg.units)
        tz = cfg.settings.timezone
    except config_module.ConfigError:
        if args.config or config_module.default_path().exists():
            raise
        # No config yet: discovering columns is how one starts writing it.
        from zoneinfo import ZoneInfo

        http, presets, units, tz = config_module.HttpSettings(), None, None, ZoneInfo("Asia/Shanghai")
    crawl = discover(args.url, Fetcher(http), dt.datetime.now(tz), args.depth, args.max_pages)
    text = as_toml(crawl, args.url, presets, units)
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"已写入 {args.write}：{len(crawl.columns)} 个栏目（读取 {crawl.pages} 个页面）", file=sys.stderr)
    else:
        print(text, end="")
    return 0 if crawl.columns else 1


def cmd_import_submissions(args) -> int:
    cfg = load_config(args)
    from .submissions.facts import period_key
    from .submissions.imports import ImportError_, import_submissions

    start, end = period_arg(args.period)
    try:
        n = import_submissions(open_store(cfg), cfg, Path(args.file), period_key(start, end), start, end,
                               parse_as_of(None, cfg.settings.timezone))
    except ImportError_ as e:
        raise UsageError(str(e)) from None
    print(f"已导入 {n} 条报送记录（{args.period}）")
    return 0


def cmd_test_notify(args) -> int:
    cfg = load_config(args)
    from .notify.deliver import test_all

    ok = test_all(cfg, dt.datetime.now(cfg.settings.timezone))
    return 0 if ok else 1


def cmd_run(args) -> int:
    from .daemon import run

    return run(args.config, web=(args.host, args.port) if args.serve else None)


def cmd_serve(args) -> int:
    import signal

    from .web.serve import make_server

    cfg = load_config(args)
    as_of = parse_as_of(args.as_of, cfg.settings.timezone) if args.as_of else None
    open_store(cfg)         # a store fault is told now, in words, not on the first page
    server, _ = make_server(cfg, args.host, args.port, as_of)
    print(f"网页：http://{args.host}:{server.effective_port}/（Ctrl+C 退出）", file=sys.stderr)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def cmd_demo(args) -> int:
    from .demo import run_demo

    return run_demo(Path(args.dir) if args.dir else None)


COMMANDS = {
    "validate": cmd_validate, "status": cmd_status, "report": cmd_report, "check": cmd_check,
    "digest": cmd_digest, "discover": cmd_discover, "import-submissions": cmd_import_submissions, "posts": cmd_posts, "probe": cmd_probe, "test-notify": cmd_test_notify, "run": cmd_run, "demo": cmd_demo, "serve": cmd_serve,
}
