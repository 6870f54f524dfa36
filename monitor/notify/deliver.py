"""``monitor test-notify``: one test message on every channel, sent now, each result reported."""

from __future__ import annotations

import datetime as dt
import json

from ..config import Config
from . import DeliveryError
from .outbox import message_key, send
from .targets import office_targets, unit_targets


def test_all(config: Config, now: dt.datetime, out=print) -> bool:
    targets = office_targets(config) + [t for u in config.units.values() for t in unit_targets(config, u)]
    if not targets:
        out("没有配置任何通知渠道（[[notify]]，或单位的 email / wecom）。")
        return False
    ok = True
    text = f"这是一条测试消息，发送于 {now.strftime('%Y-%m-%d %H:%M')}。收到即说明通知渠道配置正确。"
    for t in targets:
        row = {"channel": t.channel, "subject": "【政务公开监测】测试消息", "body": f"**政务公开监测**\n{text}",
               "html": f"<p>{text}</p>", "key": message_key(t, now, text)}
        try:
            send(row, json.loads(t.to_json()), config)
            out(f"成功  {t.recipient}")
        except DeliveryError as e:
            ok = False
            out(f"失败  {t.recipient}：{e}")
    return ok
