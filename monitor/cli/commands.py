"""One function per command; each reads the config, does its one job, and returns the exit status."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from ..errors import UsageError
from .common import check_exit_code, load_config, open_store, parse_as_of, period_arg, print_status_table
from .validate import cmd_validate


def cmd_status(args) -> int:
    cfg = load_config(args)
    now = parse_as_of(args.as_of, cfg.settings.timezone)
    from ..status import all_statuses

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


def cmd_report(args) -> int:
    cfg = load_config(args)
    from ..report.build import build

    start, end = period_arg(args.period)
    now = parse_as_of(args.as_of, cfg.settings.timezone)
    store = open_store(cfg)
    data = build(cfg, store, start, end, now)
    from ..report import render

    out = Path(args.output) if args.output else None
    fmt = args.format
    if fmt == "notice" and out and out.suffix.lower() == ".docx":
        fmt = "docx"
    if fmt in ("xlsx", "docx") and out is None:
        out = cfg.settings.report_dir / f"{args.period}.{fmt}"
    details = None
    if fmt == "xlsx":
        from ..evidence.posts import posts_in

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
    from ..core.evaluate import period_of
    from ..evidence.listing import listing, render_listing

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
    from ..pipeline import run_check

    unknown = [i for i in args.only or [] if i not in {s.id for s in cfg.sources}]
    if unknown:
        raise UsageError(f"配置中没有这些编号：{'、'.join(unknown)}")
    store = open_store(cfg)
    result = run_check(cfg, store, now, only=set(args.only) if args.only else None, notify=not args.no_notify)
    print_status_table(result.statuses, now)
    return 0 if args.exit_zero else check_exit_code(result.statuses)


def cmd_digest(args) -> int:
    cfg = load_config(args)
    from ..digest import write_digest

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
    from ..collect.probe import probe

    overrides = {k: getattr(args, k) for k in ("item", "title", "date", "link", "next", "date_attr", "date_pattern")}
    _check_overrides(overrides)
    result = probe(cfg, args.target, {k: v for k, v in overrides.items() if v})
    print(result.text)
    return 0 if result.found else 1


def _check_overrides(overrides: dict) -> None:
    """Selectors typed on the command line get the same checks as the config's."""
    from ..config import selector_problem

    for key, value in overrides.items():
        problem = selector_problem(key, value)
        if problem:
            raise UsageError(f"--{key.replace('_', '-')} {value!r}：{problem}")


def cmd_discover(args) -> int:
    from .. import config as config_module
    from ..collect.http import Fetcher
    from ..discover import Preset, as_toml, discover

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
    from ..submissions.facts import period_key
    from ..submissions.imports import ImportError_, import_submissions

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
    from ..notify.deliver import test_all

    ok = test_all(cfg, dt.datetime.now(cfg.settings.timezone))
    return 0 if ok else 1


def cmd_run(args) -> int:
    from ..daemon import run

    return run(args.config, web=(args.host, args.port) if args.serve else None)


def cmd_serve(args) -> int:
    import signal

    from ..web.serve import make_server

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
    from ..demo import run_demo

    return run_demo(Path(args.dir) if args.dir else None)


COMMANDS = {
    "validate": cmd_validate, "status": cmd_status, "report": cmd_report, "check": cmd_check,
    "digest": cmd_digest, "discover": cmd_discover, "import-submissions": cmd_import_submissions, "posts": cmd_posts, "probe": cmd_probe, "test-notify": cmd_test_notify, "run": cmd_run, "demo": cmd_demo, "serve": cmd_serve,
}
