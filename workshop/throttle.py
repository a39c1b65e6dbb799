"""Slow down guessing of join codes and of the admin password. Imports no streamlit.

Misses are counted per key (a browser session, and the client's address) in
this process. After ``free`` misses within ``window`` seconds every further
attempt must wait 2, 4, 8 ... up to ``max_wait`` seconds. A correct code does
not reset the address count, so one client cannot interleave a valid code to
keep guessing at full speed.
"""

from __future__ import annotations

import threading
import time


class Throttle:
    def __init__(self, free: int = 5, window: float = 600.0, max_wait: float = 60.0, clock=time.monotonic):
        self.free, self.window, self.max_wait, self.clock = free, window, max_wait, clock
        self._misses: dict[str, list[float]] = {}
        self._blocked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait_left(self, *keys: str) -> int:
        """Whole seconds before the next attempt is allowed (0 = go ahead)."""
        now = self.clock()
        with self._lock:
            return max([0] + [int(self._blocked_until.get(k, 0) - now + 0.999) for k in keys if k])

    def miss(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._misses) > 50_000:  # bound memory: forget old entries
                for key in [k for k, v in self._misses.items() if not v or now - v[-1] > self.window]:
                    self._misses.pop(key, None)
                    self._blocked_until.pop(key, None)
            for key in filter(None, keys):
                recent = [t for t in self._misses.get(key, []) if now - t < self.window] + [now]
                self._misses[key] = recent
                over = len(recent) - self.free
                if over >= 0:
                    self._blocked_until[key] = now + min(self.max_wait, 2 ** (over + 1))


JOIN_CODES = Throttle()
ADMIN_PASSWORD = Throttle()
