"""The report as one self-contained HTML file: the tables and a weekly heat map, readable on a phone."""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment, PackageLoader, select_autoescape

from .tables import account_table, column_table

SHADES = ["#f3f4f6", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"]


def shade(n: int) -> str:
    return SHADES[0] if n == 0 else SHADES[min(n, 4)]


def render_html(data: dict) -> str:
    env = Environment(loader=PackageLoader("monitor.report", "templates"), autoescape=select_autoescape(["html"]))
    weeks = [dt.date.fromisoformat(w) for w in data["weeks"]]
    heat_rows = [{"name": c["name"], "unit": c["unit"], "frequency": c["frequency"], "bad": c["compliant"] is False,
                  "cells": c["weekly"]} for c in data["columns"]]
    heat_rows += [{"name": a["name"], "unit": a["unit"], "frequency": a["rule"] + "（原创）", "bad": a["broken"] is True,
                   "cells": a["weekly"]} for a in data["accounts"] if a["monitored"]]
    return env.get_template("report.html").render(
        data=data, tables=[column_table(data), account_table(data)],
        week_labels=[f"{w.month}/{w.day}" for w in weeks], heat_rows=heat_rows, shade=shade, shades=SHADES,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    )
