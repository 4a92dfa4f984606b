"""The one retry policy: exponential backoff from ``base`` doubling up to ``cap``, at most
``attempts`` tries (None: until it works), optionally with "equal jitter" so that many
clients retrying at once spread out. Each caller keeps its own constants as an instance here
(stdlib only: bot/ and lifecycle/ share it)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class RetryPolicy:
    base: float
    cap: float
    attempts: Optional[int] = None
    jitter: bool = False

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed try number ``attempt`` (1, 2, …)."""
        delay = min(self.cap, self.base * (1 << max(0, attempt - 1)))
        return delay / 2 + random.uniform(0, delay / 2) if self.jitter else delay

    def gives_up(self, attempt: int) -> bool:
        """True once ``attempt`` tries were made and no more are allowed."""
        return self.attempts is not None and attempt >= self.attempts
