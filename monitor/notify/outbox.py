"""The outbox: every message is written to the store before it is sent, and marked sent only
after the server accepted it. Failed sends are retried with exponential backoff, across passes
and restarts. Delivery is at-least-once: a crash between "accepted" and "marked" re-sends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field

from .. import secrets
from ..clock import in_future
from ..config import Config
from ..store import Store, iso
from . import DeliveryError
from . import email as email_channel
from . import wecom

log = logging.getLogger(__name__)

MAX_BACKOFF = dt.timedelta(hours=1)
FIRST_BACKOFF = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Target:
    """Where a message goes: a robot webhook, or addresses through a configured SMTP channel."""
    channel: str                       # wecom | email
    recipient: str                     # who, in words: 办公室「政务公开工作群」, 财政局 …
    webhook: str | None = None
    smtp: str | None = None            # name of the [[notify]] email channel used to send
    to: tuple[str, ...] = ()

    def to_json(self) -> str:
        """What the outbox keeps: never the webhook (its key is a secret), only its fingerprint."""
        ref = secrets.ref(self.webhook) if self.webhook else None
        return json.dumps({"ref": ref, "smtp": self.smtp, "to": list(self.to)}, ensure_ascii=False)


def webhooks(config: Config) -> dict[str, str]:
    """Fingerprint → webhook URL, for every robot the config names."""
    urls = [c.webhook for c in config.channels if c.type == "wecom"] + [u.wecom for u in config.units.values() if u.wecom]
    return {secrets.ref(url): url for url in urls}


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


def message_key(target: Target, created: dt.datetime, body: str) -> str:
    digest = hashlib.sha256(f"{target.to_json()}|{iso(created)}|{body}".encode()).hexdigest()
    return digest[:32]


def enqueue(store: Store, target: Target, subject: str, text: str, markdown: str, html: str, now: dt.datetime) -> int:
    """Queue one message (WeCom: one row per part that fits the robot's size limit). Call inside a transaction."""
    if target.channel == "wecom":
        rows = [(subject, part, None) for part in wecom.split_lines(markdown)]
    else:
        rows = [(subject, text, html)]
    for i, (subj, body, html_part) in enumerate(rows):
        key = message_key(target, now, body) + (f"-{i}" if len(rows) > 1 else "")
        store.conn.execute(
            """INSERT OR IGNORE INTO outbox (key, channel, target, recipient, subject, body, html, created, next_try)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (key, target.channel, target.to_json(), target.recipient, subj, body, html_part, iso(now), iso(now)),
        )
    return len(rows)


def pending(store: Store, now: dt.datetime) -> list[dict]:
    """Messages due now. A next try further ahead than the longest backoff comes from a clock that
    ran ahead (or a future --as-of): it is due too."""
    rows = store.query(
        "SELECT * FROM outbox WHERE sent IS NULL AND dead = 0 AND (next_try <= ? OR next_try > ?) ORDER BY id",
        (iso(now), iso(now + MAX_BACKOFF + FIRST_BACKOFF)))
    for row in rows:
        in_future(dt.datetime.fromisoformat(row["next_try"]), now, "通知重试时间")
    return rows


def deliver(store: Store, config: Config, now: dt.datetime) -> Delivery:
    """Send what is due; leave the rest queued with its next try."""
    report = Delivery()
    for row in pending(store, now):
        target = json.loads(row["target"])
        if row["channel"] == "wecom":
            wait = _robot_wait(store, target["ref"], now)
            if wait:
                _retry_later(store, row, now + wait, "等待企业微信频率限制（每分钟 20 条）", count=False)
                report.retrying += 1
                continue
        try:
            send(row, target, config)
        except DeliveryError as e:
            if e.permanent:
                with store.transaction():
                    store.conn.execute("UPDATE outbox SET dead = 1, attempts = attempts + 1, error = ? WHERE id = ?",
                                       (str(e), row["id"]))
                report.dead += 1
                log.error("消息无法送达 %s：%s（不再重试）", row["recipient"], e)
            else:
                delay = dt.timedelta(seconds=e.retry_after) if e.retry_after else _backoff(row["attempts"] + 1)
                _retry_later(store, row, now + delay, str(e))
                report.retrying += 1
                log.warning("消息发送失败 %s：%s；%s 后重试", row["recipient"], e, delay)
            report.errors.append(f"{row['recipient']}：{e}")
            continue
        with store.transaction():
            store.conn.execute("UPDATE outbox SET sent = ?, attempts = attempts + 1, error = NULL WHERE id = ?",
                               (iso(now), row["id"]))
        report.sent += 1
    return report


def send(row: dict, target: dict, config: Config) -> None:
    if row["channel"] == "wecom":
        url = webhooks(config).get(target["ref"])
        if url is None:
            raise DeliveryError("配置中已没有这个企业微信机器人（webhook 已删除或更换）", permanent=True)
        wecom.send_markdown(url, row["body"])
        return
    channel = next((c for c in config.channels if c.type == "email" and c.name == target["smtp"]), None)
    if channel is None:
        raise DeliveryError(f"配置中已没有名为「{target['smtp']}」的邮件渠道")
    msg = email_channel.build(channel, target["to"], row["subject"], row["body"], row["html"], row["key"],
                              config.settings.timezone)
    email_channel.send(channel, msg)


def _backoff(attempts: int) -> dt.timedelta:
    return min(FIRST_BACKOFF * 2 ** (attempts - 1), MAX_BACKOFF)


def _retry_later(store: Store, row: dict, when: dt.datetime, error: str, count: bool = True) -> None:
    with store.transaction():
        store.conn.execute(
            f"UPDATE outbox SET next_try = ?, error = ?{', attempts = attempts + 1' if count else ''} WHERE id = ?",
            (iso(when), error, row["id"]))


def _robot_wait(store: Store, ref: str, now: dt.datetime) -> dt.timedelta | None:
    """How long to wait before the robot takes another message (≤ 20 a minute)."""
    window = now - dt.timedelta(minutes=1)
    rows = store.conn.execute(
        "SELECT sent FROM outbox WHERE channel = 'wecom' AND sent > ? AND sent <= ? AND json_extract(target, '$.ref') = ? "
        "ORDER BY sent", (iso(window), iso(now), ref)).fetchall()
    if len(rows) < wecom.PER_MINUTE:
        return None
    oldest = dt.datetime.fromisoformat(rows[-wecom.PER_MINUTE][0])
    return max(oldest + dt.timedelta(minutes=1) - now, dt.timedelta(seconds=1))
