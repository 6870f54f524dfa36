"""Email over SMTP (SSL, STARTTLS or plain), UTF-8 headers, a text and an HTML part."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from zoneinfo import ZoneInfo

from ..config import Channel
from ..neterrors import network_error
from . import DeliveryError

log = logging.getLogger(__name__)
_warned_plain: set[str] = set()


def build(channel: Channel, to: list[str], subject: str, text: str, html: str | None, message_id: str,
          tz=None) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    # A name people recognise in their inbox, unless the config gave one.
    name, address = parseaddr(channel.sender)
    msg["From"] = channel.sender if name else formataddr(("政务公开监测", address))
    msg["To"] = ", ".join(to)
    msg["Date"] = format_datetime(dt.datetime.now(tz or ZoneInfo("Asia/Shanghai")))   # the office's zone, not the server's
    # The same id on a re-send lets mail systems drop the duplicate.
    msg["Message-ID"] = f"<{message_id}@zwgk-monitor>"
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


def send(channel: Channel, msg: EmailMessage, timeout: float = 30.0) -> None:
    try:
        if channel.ssl:
            smtp = smtplib.SMTP_SSL(channel.smtp_host, channel.smtp_port, timeout=timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(channel.smtp_host, channel.smtp_port, timeout=timeout)
        with smtp:
            if channel.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if channel.username and channel.password:
                if not (channel.ssl or channel.starttls) and channel.name not in _warned_plain:
                    _warned_plain.add(channel.name)
                    log.warning("邮件渠道「%s」未启用 ssl/starttls：登录密码以明文发送", channel.name)
                smtp.login(channel.username, channel.password)
            smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as e:
        raise DeliveryError(f"收件地址被拒绝：{', '.join(e.recipients)}", permanent=True) from None
    except smtplib.SMTPAuthenticationError as e:
        raise DeliveryError(f"SMTP 登录失败（{e.smtp_code}）", permanent=False) from None
    except smtplib.SMTPResponseException as e:
        raise DeliveryError(f"SMTP 错误 {e.smtp_code}：{_text(e.smtp_error)}", permanent=500 <= e.smtp_code < 600) from None
    except (smtplib.SMTPException, OSError, socket.timeout) as e:
        raise DeliveryError(f"无法连接邮件服务器 {channel.smtp_host}:{channel.smtp_port}：{_smtp_words(e)}") from None


def _smtp_words(e: BaseException) -> str:
    if isinstance(e, smtplib.SMTPServerDisconnected):
        return "服务器断开了连接"
    if isinstance(e, (socket.timeout, TimeoutError)):
        return "超时"
    if isinstance(e, ConnectionRefusedError):
        return "连接被拒绝（服务未运行或端口不对）"
    return network_error(e)


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
