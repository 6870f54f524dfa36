"""One HTTP client for every page and feed: timeouts, retries, politeness, size limit, decoding."""

from __future__ import annotations

import heapq
import itertools
import os
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from ..config import HttpSettings
from ..neterrors import network_error
from ..textutil import clean
from .encoding import EncodingError
from .encoding import decode_html as _decode_html

RETRY_STATUSES = (500, 502, 503, 504)


class FetchError(Exception):
    """A page or feed could not be read; the message is Chinese, for the office."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(clean(message, 300))   # it may quote a server's words: keep them printable
        self.status = status


@dataclass
class Response:
    url: str                    # after redirects
    status: int
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Aborted(Exception):
    """A request passed its deadline, or the fetcher was closed: no further attempt."""


class InFlight:
    """One request in progress: the connection it is using, so another thread can cut it off."""

    def __init__(self):
        self.conn = None
        self.reason: str | None = None     # why it was cut off: deadline | closed
        self.done = False                  # ended: past its deadline it is left alone

    def cut(self, reason: str) -> None:
        self.reason = self.reason or reason
        sock = getattr(self.conn, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)   # wakes the thread blocked reading it
            except OSError:
                pass


_current = threading.local()    # the InFlight of the request this thread is making


class Watchdog:
    """One thread that cuts off every request still running at its deadline (a timer thread per
    request would start and stop a thread for each page)."""

    IDLE = 60.0         # seconds the thread sleeps at a time when nothing is in flight

    def __init__(self):
        self.cond = threading.Condition()
        self.heap: list[tuple[float, int, InFlight]] = []
        self.order = itertools.count()
        self.thread: threading.Thread | None = None

    def watch(self, flight: InFlight, seconds: float) -> None:
        with self.cond:
            entry = (time.monotonic() + seconds, next(self.order), flight)
            heapq.heappush(self.heap, entry)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="deadlines", daemon=True)
                self.thread.start()
            if self.heap[0] is entry:   # only a new earliest deadline needs the thread awake sooner
                self.cond.notify()

    def end(self, flight: InFlight) -> None:
        with self.cond:
            flight.done = True

    def _run(self) -> None:
        with self.cond:
            while True:
                while self.heap and self.heap[0][2].done:
                    heapq.heappop(self.heap)
                if not self.heap:
                    self.cond.wait(self.IDLE)
                    continue
                deadline, _, flight = self.heap[0]
                left = deadline - time.monotonic()
                if left > 0:
                    self.cond.wait(left)
                    continue
                heapq.heappop(self.heap)
                flight.cut("deadline")


def _track(conn):
    flight = getattr(_current, "flight", None)
    if flight is not None:
        if flight.reason:
            raise Aborted(flight.reason)      # no retry after the deadline passed
        flight.conn = conn
    return conn


class _TrackedHTTPPool(HTTPConnectionPool):
    def _get_conn(self, timeout=None):
        return _track(super()._get_conn(timeout))


class _TrackedHTTPSPool(HTTPSConnectionPool):
    def _get_conn(self, timeout=None):
        return _track(super()._get_conn(timeout))


class _Adapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}


class Fetcher:
    """GET with retries on connection errors and 5xx, one request at a time per host,
    ``delay_per_host`` seconds between request starts to the same host, and conditional GET.

    Every request has a total deadline of ``timeout`` seconds (connect, headers and body
    together): a server that trickles its answer is cut off, not waited for. ``close()`` cuts off
    every request in flight, so a stopping daemon need not wait for slow servers."""

    def __init__(self, settings: HttpSettings, backoff: float = 0.5):
        self.settings = settings
        self.session = self._session(settings.retries, backoff)
        self.once = self._session(0, backoff)   # for reads whose retry is the next pass (article pages, links)
        self._flights: set[InFlight] = set()
        self._flights_lock = threading.Lock()
        self.watchdog = Watchdog()
        self.closed = False
        self._hosts: dict[str, tuple[threading.Lock, list[float]]] = {}
        self._hosts_lock = threading.Lock()

    def _session(self, retries: int, backoff: float) -> requests.Session:
        settings = self.settings
        session = requests.Session()
        retry = Retry(
            total=retries, connect=retries, read=retries, status=retries,
            backoff_factor=backoff, status_forcelist=RETRY_STATUSES,
            allowed_methods={"GET"}, raise_on_status=False, respect_retry_after_header=False,
        )
        adapter = _Adapter(max_retries=retry, pool_connections=64, pool_maxsize=8)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers["User-Agent"] = settings.user_agent
        if settings.proxy:
            session.proxies = {"http": settings.proxy, "https": settings.proxy}
        if settings.ca_bundle:
            session.verify = str(settings.ca_bundle)
        # requests re-reads the proxy environment for every request (a third of its own time here);
        # without proxy variables there is nothing to find, so read the environment once instead.
        if not any(k.lower().endswith("_proxy") and v for k, v in os.environ.items()):
            session.trust_env = False
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            if bundle and not settings.ca_bundle:
                session.verify = bundle
        return session

    def _host(self, url: str):
        host = urlsplit(url).netloc
        with self._hosts_lock:
            if host not in self._hosts:
                self._hosts[host] = (threading.Lock(), [0.0])
            return self._hosts[host]

    def ready_at(self, host: str) -> float:
        """When (time.monotonic) a request to ``host`` may start."""
        entry = self._hosts.get(host)
        return entry[1][0] if entry else 0.0

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None, body: bool = True,
            retry: bool = True) -> Response:
        """GET ``url``; with ``body=False`` only the status and headers are read (a link check:
        an attachment is not downloaded to learn that it is there); with ``retry=False`` one attempt."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        lock, next_start = self._host(url)
        with lock:
            wait = next_start[0] - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            next_start[0] = time.monotonic() + self.settings.delay_per_host
            return self._get(url, headers, body, retry)

    def close(self) -> None:
        """Cut off every request in flight and refuse new ones."""
        self.closed = True
        with self._flights_lock:
            for flight in self._flights:
                flight.cut("closed")

    def _get(self, url: str, headers: dict, body: bool = True, retry: bool = True) -> Response:
        if self.closed:
            raise FetchError("程序正在退出，未读取")
        flight = InFlight()
        with self._flights_lock:
            self._flights.add(flight)
        _current.flight = flight
        self.watchdog.watch(flight, self.settings.timeout)
        try:
            try:
                response = self._request(url, headers, body, retry)
            except (FetchError, Aborted, requests.exceptions.RequestException, OSError, urllib3.exceptions.HTTPError):
                if not flight.reason:
                    raise
            finally:
                self.watchdog.end(flight)
            # A cut-off body may look complete (a server that closes to end it): never trust it.
            if flight.reason == "deadline":
                raise FetchError(f"超时（{self.settings.timeout:g} 秒内未读完，服务器响应过慢）")
            if flight.reason == "closed":
                raise FetchError("程序正在退出，已中止读取")
            return response
        finally:
            _current.flight = None
            with self._flights_lock:
                self._flights.discard(flight)

    def _request(self, url: str, headers: dict, body: bool = True, retry: bool = True) -> Response:
        timeout = (min(self.settings.timeout, 10.0), self.settings.timeout)
        try:
            session = self.session if retry else self.once
            with session.get(url, headers=headers, timeout=timeout, stream=True) as r:
                if r.status_code == 304:
                    return Response(r.url, 304, b"", r.headers.get("Content-Type", ""))
                if r.status_code >= 400:
                    retried = f"（已重试 {self.settings.retries} 次）" if retry and self.settings.retries and r.status_code in RETRY_STATUSES else ""
                    raise FetchError(f"HTTP {r.status_code}{retried}", r.status_code)
                content = self._read(r) if body else b""
                return Response(
                    r.url, r.status_code, content, r.headers.get("Content-Type", ""),
                    r.headers.get("ETag"), r.headers.get("Last-Modified"),
                )
        except requests.exceptions.Timeout:
            raise FetchError(f"超时（{self.settings.timeout:g} 秒内无响应）") from None
        except requests.exceptions.ConnectionError as e:
            # With retries, a read timeout arrives wrapped in a ConnectionError.
            reason = getattr(e.args[0] if e.args else None, "reason", None)
            if isinstance(reason, urllib3.exceptions.TimeoutError) and not isinstance(reason, urllib3.exceptions.NewConnectionError):
                raise FetchError(f"超时（{self.settings.timeout:g} 秒内无响应）") from None
            raise FetchError(f"无法连接：{network_error(e)}") from None
        except requests.exceptions.RequestException as e:
            raise FetchError(f"请求失败：{network_error(e)}") from None

    def _read(self, r: requests.Response) -> bytes:
        chunks, size = [], 0
        for chunk in r.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.settings.max_bytes:
                raise FetchError(f"页面超过 {self.settings.max_bytes} 字节，已放弃")
            chunks.append(chunk)
        return b"".join(chunks)


def decode_html(content: bytes, content_type: str = "", override: str | None = None) -> tuple[str, str]:
    """Bytes → (text, encoding); see ``encoding.py``. Undecodable bytes are a FetchError."""
    try:
        return _decode_html(content, content_type, override)
    except EncodingError as e:
        raise FetchError(str(e)) from None
