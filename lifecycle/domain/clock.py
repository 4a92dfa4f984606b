"""The lifecycle's notion of now: the system clock plus an offset that dev mode can move forward."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Optional


class Clock:
    """``Clock()`` follows the system clock; ``Clock(start)`` is a manual clock for tests."""

    def __init__(self, start: Optional[datetime] = None) -> None:
        self._start = start
        self.offset = timedelta(0)

    def now(self) -> datetime:
        base = self._start if self._start is not None else datetime.now(timezone.utc)
        return base + self.offset

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.offset += timedelta(seconds=seconds)
        return self.now()
