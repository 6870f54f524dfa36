"""Who hears about what: the office's channels, and each unit's own contacts."""

from __future__ import annotations

from ..config import Channel, Config, Unit
from .outbox import Target


def office_targets(config: Config) -> list[Target]:
    out = []
    for ch in config.channels:
        if ch.type in ("wecom", "dingtalk", "feishu"):
            out.append(Target(ch.type, f"办公室「{ch.name}」", webhook=ch.webhook))
        else:
            out.append(Target("email", f"办公室「{ch.name}」", smtp=ch.name, to=ch.to))
    return out


def unit_targets(config: Config, unit: Unit) -> list[Target]:
    out = []
    if unit.wecom:
        out.append(Target("wecom", f"{unit.name}（企业微信）", webhook=unit.wecom))
    smtp = _first_email_channel(config)
    if unit.email and smtp is not None:
        out.append(Target("email", f"{unit.name}（邮件）", smtp=smtp.name, to=unit.email))
    return out


def _first_email_channel(config: Config) -> Channel | None:
    return next((c for c in config.channels if c.type == "email"), None)


def digest_targets(config: Config) -> list[Target]:
    """Office channels whose type is named in ``[monitor] digest_to``."""
    return [t for t in office_targets(config) if t.channel in config.settings.digest_to]
