"""Which encoding a page is in: BOM, HTTP header, <meta>, then the bytes themselves.

District sites serve GB2312/GBK pages with no charset anywhere, label GBK pages as UTF-8, and
leave a stray byte in a UTF-8 page. The order: a BOM; the HTTP charset and the <meta> charset,
each only if the bytes decode cleanly with it (a servlet's default ISO-8859-1 yields to <meta>);
UTF-8, also with a stray bad byte or two; GB18030 when the bytes decode cleanly and read as
simplified Chinese; Big5 when they read as traditional Chinese; only then a statistical guess.
GB2312 and GBK are read as GB18030, their superset, so rare characters survive.
"""

from __future__ import annotations

import codecs
import re

GB_FAMILY = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "csgb2312", "euc-cn", "cp936", "gb18030"}
LATIN1_DEFAULTS = {"iso-8859-1", "latin-1", "latin1"}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
CJK = re.compile(r"[\u4e00-\u9fff]")
STRAY_BYTES = 1 / 2000       # bad bytes a UTF-8 page may hold and still be UTF-8


class EncodingError(ValueError):
    """No encoding reads these bytes."""


def decode_html(content: bytes, content_type: str = "", override: str | None = None) -> tuple[str, str]:
    """Bytes → (text, encoding name)."""
    if override:
        return _decode(content, normalise(override)), normalise(override)
    for bom, name in BOMS:
        if content.startswith(bom):
            return content.decode(name, errors="replace"), name
    m = HTTP_CHARSET.search(content_type or "")
    http_charset = m.group(1) if m else None
    m = META_CHARSET.search(content[:4096])
    meta_charset = m.group(1).decode("ascii", "ignore") if m else None
    if http_charset and http_charset.lower() in LATIN1_DEFAULTS and meta_charset:
        http_charset = None     # a servlet container's default label; the page's own <meta> knows better
    for name in filter(None, (http_charset, meta_charset)):
        text = _clean(content, normalise(name))
        if text is not None:
            return text, normalise(name)
    for name, accept in (("utf-8", _mostly_clean), ("gb18030", _simplified), ("big5", _traditional)):
        text = accept(content, name)
        if text is not None:
            return text, name
    guessed = _guess(content)
    if guessed is not None:
        return guessed
    if http_charset or meta_charset:   # labelled, but not cleanly: the label, with replacements
        name = normalise(http_charset or meta_charset)
        return _decode(content, name), name
    raise EncodingError("无法识别页面的文字编码")


def normalise(name: str) -> str:
    name = name.strip().lower()
    if name in GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name if name not in ("utf8", "utf-8") else "utf-8"
    except LookupError:
        return name


def _decode(content: bytes, name: str) -> str:
    try:
        return content.decode(name, errors="replace")
    except LookupError:
        return content.decode("utf-8", errors="replace")


def _clean(content: bytes, name: str) -> str | None:
    try:
        return content.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None


def _mostly_clean(content: bytes, name: str) -> str | None:
    """UTF-8, allowing a stray bad byte: one bad byte never turns a page into cp775."""
    text = _clean(content, name)
    if text is not None:
        return text
    text = content.decode(name, errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(2, len(content) * STRAY_BYTES) and len(CJK.findall(text)) > bad * 20:
        return text
    return None


def _simplified(content: bytes, name: str) -> str | None:
    """GB18030 when it decodes cleanly and its Chinese characters are (nearly all) GB2312 ones,
    as simplified text is; Big5 bytes read as GBK give many characters outside GB2312."""
    text = _clean(content, name)
    if text is None:
        return None
    cjk = CJK.findall(text)
    if not cjk:
        return None
    common = sum(1 for ch in cjk if _in_gb2312(ch))
    return text if common >= 0.9 * len(cjk) else None


def _traditional(content: bytes, name: str) -> str | None:
    text = _clean(content, name)
    return text if text is not None and CJK.search(text) else None


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _guess(content: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(content).best()
    if best is None:
        return None
    name = normalise(best.encoding)
    return content.decode(name, errors="replace"), name
