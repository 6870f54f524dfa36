"""Write a built report in one of its formats."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def write(data: dict, fmt: str, out: Path | None, details: list[dict] | None = None) -> Path | None:
    """Render ``data`` as ``fmt`` to ``out`` (or stdout for text formats); return the file written.
    ``details``: the posts counted, for the XLSX 明细 sheet."""
    if fmt == "json":
        return _emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", out)
    if fmt == "md":
        from .markdown import render_markdown

        return _emit(render_markdown(data), out)
    if fmt == "html":
        from .html import render_html

        return _emit(render_html(data), out)
    if fmt == "notice":
        from .notice import render_notice

        return _emit(render_notice(data), out)
    if fmt == "docx":
        from .notice import write_docx

        out.parent.mkdir(parents=True, exist_ok=True)
        write_docx(data, out)
        return out
    if fmt == "xlsx":
        from .xlsx import write_xlsx

        out.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(data, out, details)
        return out
    raise ValueError(fmt)


def _emit(text: str, out: Path | None) -> Path | None:
    if out is None:
        sys.stdout.write(text)
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
