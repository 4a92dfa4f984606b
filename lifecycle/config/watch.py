"""Follows the files the merchant saves on the settings page (store profile, touchpoint settings),
so that a process other than the app server puts a change to work without a restart."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Callable, Iterable, Optional


def _stamps(paths: Iterable[Path]) -> tuple[Optional[int], ...]:
    stamps = []
    for path in paths:
        try:
            stamps.append(path.stat().st_mtime_ns)
        except FileNotFoundError:
            stamps.append(None)
    return tuple(stamps)


async def follow(paths: list[Path], apply: Callable[[], None], stop: asyncio.Event, every: float = 5.0) -> None:
    """Call ``apply`` each time one of ``paths`` is written, until ``stop`` is set."""
    seen = _stamps(paths)
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), every)
        except asyncio.TimeoutError:
            pass
        stamps = _stamps(paths)
        if stamps != seen:
            seen = stamps
            apply()
