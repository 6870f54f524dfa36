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
from .robots import ROBOTS

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


def webhooks(config: Config) -> dict[str, tuple[str, str | None, tuple]]:
    """Fingerprint → (webhook URL, signing secret, mobiles to @), for every robot the config names."""
    found = [(c.webhook, c.secret, c.mentions) for c in config.channels if c.type in ROBOTS]
    found += [(u.wecom, None, ()) for u in config.units.values() if u.wecom]
    return {secrets.ref(url): (url, secret, mentions) for url, secret, mentions in found}


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
    if target.channel in ROBOTS:
        robot = ROBOTS[target.channel]
        text = markdown if target.channel != "feishu" else text   # Feishu's text messages show markdown raw
        rows = [(subject, part, None) for part in wecom.split_lines(text, robot.limit)]
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
        if row["channel"] in ROBOTS:
            robot = ROBOTS[row["channel"]]
            wait = _robot_wait(store, target["ref"], now, robot.per_minute)
            if wait:
                _retry_later(store, row, now + wait, f"等待{robot.name}频率限制（每分钟 {robot.per_minute} 条）", count=False)
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
    if row["channel"] in ROBOTS:
        robot = ROBOTS[row["channel"]]
        found = webhooks(config).get(target["ref"])
        if found is None:
            raise DeliveryError(f"配置中已没有这个{robot.name}（webhook 已删除或更换）", permanent=True)
        url, secret, mentions = found
        if len(row["body"].encode()) > robot.limit:
            raise DeliveryError(f"消息超过 {robot.limit} 字节", permanent=True)
        robot.send(url, row["body"], row["subject"], secret, mentions)
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


def _robot_wait(store: Store, ref: str, now: dt.datetime, per_minute: int) -> dt.timedelta | None:
    """How long to wait before the robot takes another message (``per_minute`` at most)."""
    window = now - dt.timedelta(minutes=1)
    rows = store.conn.execute(
        "SELECT sent FROM outbox WHERE sent > ? AND sent <= ? AND json_extract(target, '$.ref') = ? "
        "ORDER BY sent", (iso(window), iso(now), ref)).fetchall()
    if len(rows) < per_minute:
        return None
    oldest = dt.datetime.fromisoformat(rows[-per_minute][0])
    return max(oldest + dt.timedelta(minutes=1) - now, dt.timedelta(seconds=1))
