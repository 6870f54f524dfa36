"""Reading one TOML table: typed getters whose errors name the file, table and key, and notice
unknown keys."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
from urllib.parse import urlsplit

from .. import secrets
from .types import ConfigError


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
    from ..textutil import human_duration

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
