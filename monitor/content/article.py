"""An article page's main text and its links: the block holding most paragraph text wins,
the way a reader's eye finds it; menus, headers, footers and scripts are left out."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html

DROP = ("script", "style", "noscript", "nav", "header", "footer", "form", "aside", "iframe")
ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|pptx?|zip|rar|7z|ofd|txt|csv)$", re.I)
MAX_LINKS = 30


@dataclass
class Article:
    heading: str            # the page's own title (h1, else <title>): the list's copy of it is stored masked
    text: str
    links: list[str]        # absolute http(s) links in the main text and every attachment on the page


def read_article(html: str, url: str) -> Article:
    try:
        doc = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return Article("", "", [])
    for bad in list(doc.iter(*DROP)):
        if bad.getparent() is not None:
            bad.drop_tree()
    h1 = doc.find(".//h1")
    heading = (h1.text_content() if h1 is not None else doc.findtext(".//title") or "").strip()
    main = _main_block(doc)
    text = re.sub(r"[ \t\r\f\v\u3000]+", " ", main.text_content())
    text = re.sub(r"\n\s*\n+", "\n", text).strip()
    links = []
    for a in main.iter("a"):
        links.append(a.get("href"))
    links += [a.get("href") for a in doc.iter("a") if ATTACHMENT.search(urlsplit(a.get("href") or "").path)]
    absolute = []
    for href in links:
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        full = urljoin(url, href.strip()).split("#")[0]
        if urlsplit(full).scheme in ("http", "https") and full not in absolute and full != url:
            absolute.append(full)
    return Article(heading, text, absolute[:MAX_LINKS])


def _main_block(doc):
    """The element whose own paragraphs hold the most text; the body when a page has none."""
    scores: Counter = Counter()
    for p in doc.iter("p", "br"):
        parent = p.getparent()
        if parent is None:
            continue
        size = len((p.text_content() if p.tag == "p" else (p.tail or "")).strip())
        scores[parent] += size
    if scores:
        best, size = scores.most_common(1)[0]
        if size >= 20:
            return best
    body = doc.find("body")
    return body if body is not None else doc
