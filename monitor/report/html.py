"""The report as one self-contained HTML file: the tables and a weekly heat map, readable on a phone."""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment, PackageLoader, select_autoescape

from .tables import all_tables

SHADES = ["#f3f4f6", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"]


def shade(n: int) -> str:
    return SHADES[0] if n == 0 else SHADES[min(n, 4)]


def heat_cell(cell: dict, label: str) -> dict:
    """A heat-map cell: future weeks blank, weeks not observed hatched, observed weeks shaded by count."""
    n, state = cell["n"], cell["state"]
    if state == "future":
        return {"cls": "cell future", "style": "", "text": "", "title": f"{label} 起一周：未到"}
    if state == "uncovered" and not n:
        return {"cls": "cell uncovered", "style": "", "text": "", "title": f"{label} 起一周：无数据"}
    words = {"covered": "", "partial": "（部分日期有数据）", "uncovered": "（无完整数据）"}[state]
    return {"cls": f"cell {state}", "style": f"background: {shade(n or 0)}", "text": n or "",
            "title": f"{label} 起一周：{n or 0} 条{words}"}


def render_html(data: dict) -> str:
    env = Environment(loader=PackageLoader("monitor.report", "templates"), autoescape=select_autoescape(["html"]))
    weeks = [dt.date.fromisoformat(w) for w in data["weeks"]]
    labels = [f"{w.month}/{w.day}" for w in weeks]

    def cells(row):
        return [heat_cell(c, label) for c, label in zip(row["weekly"], labels)]

    heat_rows = [{"name": c["name"], "unit": c["unit"], "frequency": c["frequency"], "bad": c["compliant"] is False,
                  "cells": cells(c)} for c in data["columns"]]
    heat_rows += [{"name": a["name"], "unit": a["unit"], "frequency": a["rule"] + "（原创）", "bad": a["broken"] is True,
                   "cells": cells(a)} for a in data["accounts"] if a["monitored"]]
    return env.get_template("report.html").render(
        data=data, tables=all_tables(data),
        week_labels=labels, heat_rows=heat_rows, shades=SHADES,
        generated=dt.datetime.fromisoformat(data["generated"]).strftime("%Y-%m-%d %H:%M") if data.get("generated")
        else dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    )
