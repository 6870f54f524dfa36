"""Real peers on 127.0.0.1 for notification tests: an SMTP server and a WeCom robot stub."""

import json
import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from werkzeug import Response


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailBox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "msg": msg})
        return "250 OK"

    def for_address(self, address):
        return [m["msg"] for m in self.messages if address in m["to"]]


class SmtpServer:
    """aiosmtpd on a fixed port, so a test can start it after the monitor found it down."""

    def __init__(self, port: int):
        self.port = port
        self.box = MailBox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.box, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


class WeComStub:
    """Answers like the WeCom group robot: errcode 0, 45009 when rate limited, 40058 for bad content.

    ``script`` holds errcodes to answer next, one per request; when empty it answers 0,
    or 40058 for a markdown content over 4096 bytes, as the real API does.
    """

    def __init__(self, httpserver):
        self.received = []      # (key, payload, errcode)
        self.script = []
        httpserver.expect_request("/cgi-bin/webhook/send", method="POST").respond_with_handler(self.handle)
        self.url = httpserver.url_for("/cgi-bin/webhook/send")

    def webhook(self, key: str) -> str:
        return f"{self.url}?key={key}"

    def handle(self, request):
        key = request.args.get("key")
        payload = json.loads(request.get_data())
        content = payload.get(payload.get("msgtype"), {}).get("content", "")
        if self.script:
            code = self.script.pop(0)
        elif payload.get("msgtype") == "markdown" and len(content.encode()) > 4096:
            code = 40058
        else:
            code = 0
        self.received.append((key, payload, code))
        messages = {0: "ok", 45009: "api freq out of limit", 40058: "markdown.content exceed max length 4096"}
        return Response(json.dumps({"errcode": code, "errmsg": messages.get(code, "error")}),
                        headers={"Content-Type": "application/json"})

    def delivered(self, key: str) -> list[str]:
        return [p["markdown"]["content"] for k, p, code in self.received if k == key and code == 0]


class TrickleServer:
    """An HTTP server on 127.0.0.1 that answers one byte at a time, ``interval`` seconds apart:
    the body (``stage="body"``) or even the headers (``stage="headers"``). Stops when told to."""

    def __init__(self, stage: str = "body", interval: float = 0.3):
        import threading

        self.stage, self.interval = stage, interval
        self.stopped = threading.Event()
        self.connections = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/slow/index.html"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        import threading

        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 100000\r\n\r\n"
        body = b"<ul class='list'>" + b"<li><a href='/a.html'>x</a><span>2021-12-01</span></li>" * 2000
        stream = head + body if self.stage == "headers" else body
        try:
            conn.recv(65536)
            if self.stage == "body":
                conn.sendall(head)
            for i in range(len(stream)):
                if self.stopped.wait(self.interval):
                    break
                conn.sendall(stream[i:i + 1])
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self):
        self.stopped.set()
        self.sock.close()


class SignedRobotStub:
    """DingTalk's and Feishu's custom robots, as their documentation describes them: the request is
    signed with the shared secret (DingTalk: in the query; Feishu: in the body), a bad signature is
    refused, and ``script`` holds codes to answer next (e.g. the rate-limit code)."""

    def __init__(self, httpserver, kind: str, secret: str):
        import base64
        import hashlib
        import hmac

        self.kind, self.secret, self.received, self.script = kind, secret, [], []
        self._hmac = lambda key, msg: base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()
        path = "/robot/send" if kind == "dingtalk" else "/open-apis/bot/v2/hook/fs-token"
        httpserver.expect_request(path, method="POST").respond_with_handler(self.handle)
        self.url = httpserver.url_for(path) + ("?access_token=ding-token" if kind == "dingtalk" else "")

    def signed(self, request, payload) -> bool:
        if self.kind == "dingtalk":
            stamp, sign = request.args.get("timestamp", ""), request.args.get("sign", "")
            return sign == self._hmac(self.secret.encode(), f"{stamp}\n{self.secret}".encode())
        stamp = payload.get("timestamp", "")
        return payload.get("sign") == self._hmac(f"{stamp}\n{self.secret}".encode(), b"")

    def handle(self, request):
        payload = json.loads(request.get_data())
        code = self.script.pop(0) if self.script else (0 if self.signed(request, payload) else
                                                       (310000 if self.kind == "dingtalk" else 19021))
        self.received.append((payload, code))
        key, msg = ("errcode", "errmsg") if self.kind == "dingtalk" else ("code", "msg")
        return Response(json.dumps({key: code, msg: "ok" if code == 0 else "refused"}), headers={"Content-Type": "application/json"})

    def delivered(self) -> list[dict]:
        return [p for p, code in self.received if code == 0]
