"""The Flask app: read-only pages and their JSON under /api/, escaped, with a strict CSP and no
resource from outside (the office network may be offline)."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import tempfile
from pathlib import Path

from flask import Flask, Response, abort, g, jsonify, render_template, request, send_file

from ..config import Config
from ..evidence.posts import posts_in
from ..report.build import PeriodError, build, parse_period
from ..report.render import write
from ..report.tables import all_tables
from ..status import all_statuses
from ..store import Store
from ..store.errors import StoreError, explain
from . import views
from .auth import Gate

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
DOWNLOADS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "md": "text/markdown; charset=utf-8", "json": "application/json"}


def create_app(config: Config, as_of: dt.datetime | None = None, gate: Gate | None = None) -> Flask:
    """``as_of``: judge as of this moment (like ``--as-of`` elsewhere); None: the real time of each request.
    Each request reads the config as it is when the request starts (``use_config`` replaces it)."""
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.config["MONITOR"] = config
    store = Store(config.settings.database)

    def now() -> dt.datetime:
        return as_of or dt.datetime.now(g.config.settings.timezone).replace(microsecond=0)

    @app.before_request
    def take_config():
        g.config = app.config["MONITOR"]

    @app.before_request
    def guard():
        if request.method not in ("GET", "HEAD"):
            abort(405)
        if gate is None:
            return None
        address = request.remote_addr or "?"
        if gate.blocked(address):
            return Response("尝试次数过多，请稍后再试。\n", 429, {"Retry-After": "60", "Content-Type": "text/plain; charset=utf-8"})
        auth = request.authorization
        if not gate.check(address, auth.username if auth else None, auth.password if auth else None):
            return Response("需要登录（用户名和密码见 config.toml 的 [web]）。\n", 401,
                            {"WWW-Authenticate": 'Basic realm="zwgk-monitor", charset="UTF-8"',
                             "Content-Type": "text/plain; charset=utf-8"})
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def common():
        config_now = g.get("config", app.config["MONITOR"])     # error pages may come before take_config
        return {"title_site": config_now.report.site, "fixed_time": as_of.strftime("%Y-%m-%d %H:%M") if as_of else None}

    def source_or_404(source_id: str):
        try:
            return g.config.source(source_id)
        except KeyError:
            abort(404)

    def unit_or_404(name: str) -> str:
        if name not in g.config.units:
            abort(404)
        return name

    # ------------------------------------------------------------ pages

    @app.get("/")
    def overview_page():
        data = views.overview(g.config, store, now(), request.args.get("q", "").strip(), request.args.get("state", ""))
        return render_template("overview.html", page="overview", **data)

    @app.get("/source/<source_id>")
    def source_page(source_id):
        moment = now()
        period, start, end = _period(moment)
        data = views.source_page(g.config, store, source_or_404(source_id), moment, (start, end))
        return render_template("source.html", page="source", period=period, quarters=_recent_quarters(moment.date()), **data)

    @app.get("/unit/<name>")
    def unit_page(name):
        return render_template("unit.html", page="unit", **views.unit_page(g.config, store, unit_or_404(name), now()))

    @app.get("/report")
    def report_page():
        moment = now()
        period, start, end = _period(moment)
        data = build(g.config, store, start, end, moment)
        return render_template("report.html", page="report", period=period, data=data, tables=all_tables(data),
                               quarters=_recent_quarters(moment.date()))

    @app.get("/report/<period>.<fmt>")
    def report_file(period, fmt):
        if fmt not in DOWNLOADS:
            abort(404)
        try:
            start, end = parse_period(period)
        except PeriodError:
            abort(404)
        moment = now()
        data = build(g.config, store, start, end, moment)
        details = posts_in(store, g.config, start, min(end, moment.date())) if fmt == "xlsx" else None
        with tempfile.TemporaryDirectory() as tmp:      # the very writer `monitor report` uses
            path = Path(tmp) / f"{period}.{fmt}"
            write(data, fmt, path, details)
            body = io.BytesIO(path.read_bytes())
        name = f"{period}-通报草稿.docx" if fmt == "docx" else f"{period}.{fmt}"
        return send_file(body, mimetype=DOWNLOADS[fmt], as_attachment=True, download_name=name)

    @app.get("/outbox")
    def outbox_page():
        return render_template("outbox.html", page="outbox", **views.outbox_page(store))

    # ------------------------------------------------------------ the same data as JSON

    @app.get("/api/status")
    def api_status():
        moment = now()
        return jsonify({"as_of": moment.isoformat(), "sources": [s.to_json() for s in all_statuses(g.config, store, moment)]})

    @app.get("/api/overview")
    def api_overview():
        return jsonify(views.overview(g.config, store, now(), request.args.get("q", "").strip(), request.args.get("state", "")))

    @app.get("/api/source/<source_id>")
    def api_source(source_id):
        moment = now()
        _, start, end = _period(moment)
        return jsonify(views.source_page(g.config, store, source_or_404(source_id), moment, (start, end)))

    @app.get("/api/unit/<name>")
    def api_unit(name):
        return jsonify(views.unit_page(g.config, store, unit_or_404(name), now()))

    @app.get("/api/report")
    def api_report():
        moment = now()
        _, start, end = _period(moment)
        return Response(json.dumps(build(g.config, store, start, end, moment), ensure_ascii=False, indent=2),
                        mimetype="application/json")

    @app.get("/api/outbox")
    def api_outbox():
        return jsonify(views.outbox_page(store))

    @app.errorhandler(404)
    def not_found(e):
        return render_template("message.html", page="", message="没有这个页面（编号或单位名称可能已从配置中删除）。"), 404

    @app.errorhandler(400)
    def bad_request(e):
        return render_template("message.html", page="", message=e.description), 400

    @app.errorhandler(500)
    def server_error(e):
        cause = getattr(e, "original_exception", None)
        app.logger.error("网页出错：%r", cause)
        if isinstance(cause, StoreError):
            words = str(cause)
        elif isinstance(cause, (OSError, sqlite3.Error)):
            words = explain(cause, store.path)
        else:
            words = "程序内部错误，详见日志"
        return render_template("message.html", page="", message=f"读取数据时出错：{words}。请稍后刷新。"), 500

    return app


def _period(moment: dt.datetime) -> tuple[str, dt.date, dt.date]:
    """?period=2021Q4 | 2021-10 | 2021-10-01..2021-12-31; default: the quarter of ``moment``."""
    today = moment.date()
    default = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    period = request.args.get("period", "").strip() or default
    try:
        start, end = parse_period(period)
    except PeriodError as e:
        abort(400, description=str(e))
    return period, start, end


def _recent_quarters(today: dt.date, n: int = 4) -> list[str]:
    year, q = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(n):
        out.append(f"{year}Q{q}")
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return out


def use_config(app: Flask, config: Config) -> None:
    """Serve the pages from ``config`` from the next request on (the daemon's SIGHUP reload). The
    store, the address and the password stay those the server started with."""
    app.config["MONITOR"] = config
