"""Logging as the officer reads it: Chinese level names, times in the monitor's timezone whatever
the server's clock zone, secrets masked, and optionally a rotating log file."""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from .secrets import RedactSecrets

LEVELS = {logging.DEBUG: "调试", logging.INFO: "信息", logging.WARNING: "警告", logging.ERROR: "错误", logging.CRITICAL: "严重"}


class LocalTimeFormatter(logging.Formatter):
    """``%(asctime)s`` in ``tz`` (default Asia/Shanghai), not in the server's TZ."""

    tz: ZoneInfo = ZoneInfo("Asia/Shanghai")

    def formatTime(self, record, datefmt=None):
        moment = dt.datetime.fromtimestamp(record.created, self.tz)
        return moment.strftime(datefmt or "%Y-%m-%d %H:%M:%S")


def setup(verbose: bool) -> None:
    for level, name in LEVELS.items():
        logging.addLevelName(level, name)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_formatter(verbose))
    handler.addFilter(RedactSecrets())       # urllib3 at -v logs request lines with webhook keys
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.getLogger("urllib3").setLevel(logging.DEBUG if verbose else logging.ERROR)


def use_config(tz: ZoneInfo, log_file: Path | None, verbose: bool = False) -> None:
    """Once the config is known: its timezone for every log line, and its log file if any."""
    LocalTimeFormatter.tz = tz
    root = logging.getLogger()
    if log_file is not None and not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=10_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(_formatter(verbose))
        handler.addFilter(RedactSecrets())
        root.addHandler(handler)


def _formatter(verbose: bool) -> logging.Formatter:
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s" if verbose else "%(asctime)s %(levelname)s %(message)s"
    return LocalTimeFormatter(fmt, "%Y-%m-%d %H:%M:%S")


def exit_now(code: int) -> None:
    """Flush the logs and the output, then end the process at once, without interpreter teardown
    and without waiting for other threads."""
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):    # output piped to `head` and closed, or already closed
        code = code or 1
    os._exit(code)
