"""A tiny HTTP server on 127.0.0.1 for benchmarks: ``respond(path)`` gives (body, content type)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(respond: Callable[[str], tuple[bytes, str]], counter: list[int] | None = None) -> str:
    """Serve in a background thread; return the base URL. ``counter[0]`` counts requests."""
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            if counter is not None:
                counter[0] += 1
            body, kind = respond(self.path)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"
