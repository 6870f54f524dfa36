"""Group robots: WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书), one small class each, chosen by
the channel's ``type``. Each knows its message size limit, its rate limit, how it signs a request
and how it says "too fast" — the outbox does the rest the same way for all of them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

import requests

from . import DeliveryError, wecom


class Robot:
    name = ""
    limit = 4096            # bytes of one message's text
    per_minute = 20
    rate_limited: set = set()
    transient: set = set()

    def send(self, webhook: str, text: str, title: str, secret: str | None = None, mentions: tuple = ()) -> None:
        raise NotImplementedError

    def _post(self, url: str, payload: dict, code_key: str = "errcode", message_key: str = "errmsg") -> None:
        try:
            r = requests.post(url, json=payload, timeout=10)
        except requests.RequestException as e:
            raise DeliveryError(f"{self.name}连接失败：{type(e).__name__}") from None
        if r.status_code >= 500:
            raise DeliveryError(f"{self.name} HTTP {r.status_code}")
        try:
            answer = r.json()
        except ValueError:
            raise DeliveryError(f"{self.name}返回了非 JSON 内容（HTTP {r.status_code}）", permanent=True) from None
        code = answer.get(code_key, answer.get("StatusCode"))
        if code == 0:
            return
        message = f"{self.name}错误 {code}：{self.words(code, answer.get(message_key) or answer.get('msg', ''))}"
        if code in self.rate_limited:
            raise DeliveryError(message, retry_after=60)
        raise DeliveryError(message, permanent=code not in self.transient)

    def words(self, code, message: str) -> str:
        return message


class WeCom(Robot):
    name = "企业微信机器人"
    limit = wecom.MARKDOWN_LIMIT
    per_minute = wecom.PER_MINUTE
    rate_limited = {wecom.RATE_LIMITED}
    transient = {-1, wecom.RATE_LIMITED}
    WORDS = {93000: "webhook 地址无效", 93004: "机器人已被停用", 40058: "消息太长", 45009: "发送太频繁（每分钟不超过 20 条）",
             -1: "系统繁忙"}

    def send(self, webhook, text, title, secret=None, mentions=()):
        self._post(webhook, {"msgtype": "markdown", "markdown": {"content": text}})
        if mentions:     # markdown cannot @ by phone number; a short text message can
            self._post(webhook, {"msgtype": "text", "text": {"content": f"{title}：请相关同志及时处理",
                                                           "mentioned_mobile_list": list(mentions)}})

    def words(self, code, message):
        return self.WORDS.get(code, message)


class DingTalk(Robot):
    """钉钉自定义机器人: markdown, signed with HmacSHA256 over "timestamp\\nsecret" keyed by the secret."""
    name = "钉钉机器人"
    limit = 20000
    per_minute = 20
    rate_limited = {130101}
    transient = {-1, 130101}
    WORDS = {130101: "发送太频繁（每分钟不超过 20 条）", 310000: "签名不匹配、关键词不符或 IP 不在白名单",
             300001: "access_token 无效", -1: "系统繁忙"}

    def send(self, webhook, text, title, secret=None, mentions=()):
        url = webhook
        if secret:
            stamp = str(round(time.time() * 1000))
            digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
            url += f"&timestamp={stamp}&sign={urllib.parse.quote_plus(base64.b64encode(digest))}"
        at = "".join(f" @{m}" for m in mentions)
        self._post(url, {"msgtype": "markdown", "markdown": {"title": title, "text": text + at},
                         "at": {"atMobiles": list(mentions), "isAtAll": False}})

    def words(self, code, message):
        return self.WORDS.get(code, message)


class Feishu(Robot):
    """飞书自定义机器人: a text message, signed with HmacSHA256 keyed by "timestamp\\nsecret" over nothing."""
    name = "飞书机器人"
    limit = 18000            # the API refuses bodies over 20 KB
    per_minute = 100
    rate_limited = {11232, 9499}
    transient = {11232, 9499}
    WORDS = {19021: "签名校验失败", 19024: "关键词校验失败", 19022: "IP 不在白名单", 11232: "发送太频繁", 9499: "请求过多"}

    def send(self, webhook, text, title, secret=None, mentions=()):
        payload: dict = {"msg_type": "text", "content": {"text": text}}
        if secret:
            stamp = str(int(time.time()))
            digest = hmac.new(f"{stamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
            payload.update(timestamp=stamp, sign=base64.b64encode(digest).decode())
        self._post(webhook, payload, code_key="code", message_key="msg")

    def words(self, code, message):
        return self.WORDS.get(code, message)


ROBOTS: dict[str, Robot] = {"wecom": WeCom(), "dingtalk": DingTalk(), "feishu": Feishu()}
