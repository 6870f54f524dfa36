"""WeCom group robot: POST JSON to the webhook, check ``errcode``, respect its size limits."""

from __future__ import annotations

import requests

from . import DeliveryError

MARKDOWN_LIMIT = 4096   # bytes of UTF-8, per the robot API (text messages allow 2048; we send markdown)
PER_MINUTE = 20         # messages a minute per robot
RATE_LIMITED = 45009
TRANSIENT = {-1, RATE_LIMITED}  # -1: system busy


def split_lines(text: str, limit: int = MARKDOWN_LIMIT) -> list[str]:
    """Split on line boundaries so each part, with its "（续 i/n）" header, fits in ``limit`` bytes."""
    reserve = len("\n（续 99/99）".encode())
    budget = limit - reserve
    parts: list[list[str]] = [[]]
    size = 0
    for line in text.split("\n"):
        for piece in _chop(line, budget):
            cost = len(piece.encode()) + 1
            if parts[-1] and size + cost > budget:
                parts.append([])
                size = 0
            parts[-1].append(piece)
            size += cost
    chunks = ["\n".join(p) for p in parts]
    if len(chunks) == 1:
        return chunks
    return [f"{c}\n（续 {i}/{len(chunks)}）" for i, c in enumerate(chunks, start=1)]


def _chop(line: str, budget: int) -> list[str]:
    """A single line longer than the budget is cut at character boundaries."""
    if len(line.encode()) < budget:
        return [line]
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode()) >= budget:
            out.append(current)
            current = ""
        current += ch
    return out + [current]


def send_markdown(webhook: str, content: str, timeout: float = 10.0) -> None:
    if len(content.encode()) > MARKDOWN_LIMIT:
        raise DeliveryError(f"消息超过 {MARKDOWN_LIMIT} 字节", permanent=True)
    _post(webhook, {"msgtype": "markdown", "markdown": {"content": content}}, timeout)


def _post(webhook: str, payload: dict, timeout: float) -> None:
    try:
        r = requests.post(webhook, json=payload, timeout=timeout)
    except requests.RequestException as e:
        raise DeliveryError(f"企业微信机器人连接失败：{type(e).__name__}") from None
    if r.status_code >= 500:
        raise DeliveryError(f"企业微信机器人 HTTP {r.status_code}")
    try:
        answer = r.json()
    except ValueError:
        raise DeliveryError(f"企业微信机器人返回了非 JSON 内容（HTTP {r.status_code}）", permanent=r.status_code < 500) from None
    code = answer.get("errcode")
    if code == 0:
        return
    message = f"企业微信机器人 errcode {code}：{answer.get('errmsg', '')}"
    if code == RATE_LIMITED:
        raise DeliveryError(message, retry_after=60)
    raise DeliveryError(message, permanent=code not in TRANSIENT)
