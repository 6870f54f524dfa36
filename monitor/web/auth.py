"""HTTP basic auth for a page served beyond loopback: one password, compared in constant time;
an address that fails ``LIMIT`` times within ``WINDOW`` is refused (429) until the window passes."""

from __future__ import annotations

import hmac
import threading
import time
from collections import defaultdict, deque

LIMIT = 5
WINDOW = 60.0       # seconds


class Gate:
    def __init__(self, user: str, password: str, clock=time.monotonic):
        self.user, self.password = user.encode(), password.encode()
        self.clock = clock
        self.failures: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def blocked(self, address: str) -> bool:
        with self.lock:
            recent = self.failures[address]
            while recent and self.clock() - recent[0] > WINDOW:
                recent.popleft()
            return len(recent) >= LIMIT

    def check(self, address: str, user: str | None, password: str | None) -> bool:
        # Both compared, always, so the time taken says nothing about which part was wrong.
        good_user = hmac.compare_digest((user or "").encode(), self.user)
        good_password = hmac.compare_digest((password or "").encode(), self.password)
        if good_user and good_password:
            return True
        if user is not None or password is not None:
            with self.lock:
                self.failures[address].append(self.clock())
        return False
