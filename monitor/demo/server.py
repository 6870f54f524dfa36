"""A small fake district site on 127.0.0.1: list pages, feeds and a WeCom robot stub.

Pages under ``sfj/`` are GB2312 and served as bare ``text/html`` (no charset), as many
government sites do; the stub answers like the WeCom group robot API and keeps what it got.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

SITE = resources.files("monitor.demo") / "site"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html",
    ".xml": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
}


class DemoSite:
    """``with DemoSite() as site: site.url`` — serves the demo site until the block ends."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.robot_messages: list[dict] = []
        handler = _handler(self)
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "DemoSite":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(site: DemoSite):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet: the demo prints its own story
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0].lstrip("/")
            target = SITE.joinpath(*[p for p in path.split("/") if p not in ("", "..")])
            if not path or not target.is_file():
                self.send_error(404)
                return
            body = target.read_bytes()
            suffix = "." + target.name.rsplit(".", 1)[-1]
            self.send_response(200)
            self.send_header("Content-Type", CONTENT_TYPES.get(suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not self.path.startswith("/cgi-bin/webhook/send"):
                self.send_error(404)
                return
            try:
                message = json.loads(body)
                site.robot_messages.append(message)
                answer = {"errcode": 0, "errmsg": "ok"}
            except ValueError:
                answer = {"errcode": 40035, "errmsg": "invalid parameter"}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
