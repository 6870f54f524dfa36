"""Serve the pages with waitress (a production WSGI server, pure Python). Loopback by default; any
other address only with a password, asked for by HTTP basic auth."""

from __future__ import annotations

import datetime as dt
import errno
import ipaddress
import logging
import os

from .. import secrets
from ..config import Config, ConfigError
from ..errors import UsageError

log = logging.getLogger(__name__)

PASSWORD_ENV = "MONITOR_WEB_PASSWORD"
THREADS = 4


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def password_for(config: Config, env=os.environ) -> str | None:
    password = env.get(PASSWORD_ENV) or config.web.password
    secrets.remember(password)
    return password or None


def make_server(config: Config, host: str, port: int, as_of: dt.datetime | None = None, env=os.environ):
    """A waitress server for the app, bound, not yet running, and the app (``use_config`` in app.py moves it
    to a reloaded config). ConfigError when the address needs a password; UsageError when the port is
    taken or cannot be used."""
    from waitress.server import create_server

    from .app import create_app
    from .auth import Gate

    if not 0 < port < 65536:
        raise UsageError(f"--port {port} 不是有效的端口（1–65535）")
    password = password_for(config, env)
    if not is_loopback(host) and not password:
        raise ConfigError(f"网页将在 {host} 上对其他电脑开放，必须先设置访问密码："
                          f"在 config.toml 的 [web] 中写 password，或设置环境变量 {PASSWORD_ENV}。"
                          "只在本机查看时不加 --host（默认 127.0.0.1）。")
    gate = Gate(config.web.user, password) if password else None
    app = create_app(config, as_of, gate)
    try:
        server = create_server(app, host=host, port=port, threads=THREADS, ident="zwgk-monitor",
                               channel_timeout=60, cleanup_interval=30)
    except OSError as e:
        why = "已被其他程序占用" if e.errno == errno.EADDRINUSE else "无法使用（地址不属于本机，或没有权限使用 1024 以下的端口）"
        raise UsageError(f"网页地址 {host}:{port} {why}：{e.strerror}") from None
    where = f"http://{host if ':' not in host else f'[{host}]'}:{server.effective_port}/"
    log.info("网页已启动：%s%s", where, "（需要登录）" if gate else "（仅本机可访问）" if is_loopback(host) else "")
    return server, app
