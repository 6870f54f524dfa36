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
