"""What the commands share: the config and store they open, ``--as-of`` and ``--period``, the status
table and the exit code of ``check``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..core.evaluate import STATE_LABELS
from ..errors import UsageError


FILE_ERRORS = {13: "没有权限", 2: "文件或目录不存在", 17: "路径中有一段是已存在的文件，不能当作目录", 20: "路径中有一段不是目录",
               21: "这是一个目录", 28: "磁盘已满", 30: "文件系统只读", 1: "不允许的操作", 36: "文件名太长"}


def explain_store_fault(args, e: BaseException) -> str:
    from ..store.errors import explain

    try:
        path = load_config(args).settings.database
    except Exception:  # noqa: BLE001 - only for naming the file in the message
        path = Path("monitor.db")
    return explain(e, Path(path))


def load_config(args):
    from .. import config, logs

    cfg = config.load(args.config)
    logs.use_config(cfg.settings.timezone, cfg.settings.log_file, args.verbose)
    return cfg


def open_store(cfg):
    from ..store import Store

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


def print_status_table(statuses, now) -> None:
    from ..textutil import table

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
    from ..report.build import PeriodError, parse_period

    try:
        return parse_period(text)
    except PeriodError as e:
        raise UsageError(str(e)) from None


EXIT_OVERDUE, EXIT_FAILING = 2, 3


def check_exit_code(statuses) -> int:
    """0 all well, 2 something overdue, 3 something could not be read (the worse of the two)."""
    states = {s.state for s in statuses}
    if "failing" in states:
        return EXIT_FAILING
    return EXIT_OVERDUE if "overdue" in states else 0
