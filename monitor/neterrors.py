"""Network errors in the officer's words: the cause, not a Python exception name."""

from __future__ import annotations

import re

NETWORK_WORDS = [
    (re.compile(r"Connection refused", re.I), "连接被拒绝（网站服务未运行或端口不对）"),
    (re.compile(r"Name or service not known|nodename nor servname|getaddrinfo failed|Temporary failure in name resolution|No address associated", re.I),
     "域名无法解析（请检查网址，或服务器的 DNS 设置）"),
    (re.compile(r"Network is unreachable|No route to host", re.I), "网络不通（服务器无法到达该网站）"),
    (re.compile(r"Connection reset|Connection aborted|RemoteDisconnected|BadStatusLine", re.I), "连接被对方中断"),
    (re.compile(r"CERTIFICATE_VERIFY_FAILED|certificate verify failed", re.I), "网站的 HTTPS 证书无法验证（可在 [http] ca_bundle 指定证书）"),
    (re.compile(r"SSL|TLS", re.I), "HTTPS 加密连接失败"),
    (re.compile(r"Exceeded \d+ redirects|too many redirects", re.I), "重定向次数过多"),
    (re.compile(r"ProxyError|Unable to connect to proxy", re.I), "无法连接代理服务器（请检查 [http] proxy）"),
]


def network_error(e: BaseException) -> str:
    """A network error in Chinese: the cause in words, not a Python exception."""
    text = str(e)
    for pattern, words in NETWORK_WORDS:
        if pattern.search(text):
            return words
    m = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    return f"网络错误（{m.group(1) if m else type(e).__name__}）"
