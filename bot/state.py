"""Durable channel state: seen ``wamid``s (dedupe) and the last numbered menu per customer.

SQLite by default (one Rasa process); Redis (``SET NX`` with a TTL) when several Rasa
replicas share the webhook.
"""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Optional

DEDUPE_TTL_SECONDS = 7 * 24 * 3600  # Meta retries a delivery for up to 7 days
MENU_TTL_SECONDS = 24 * 3600


class SqliteChannelState:
    """One SQLite file; its statements take microseconds, so they run on the event loop."""

    def __init__(self, path: str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS seen_wamid (wamid TEXT PRIMARY KEY, seen_at REAL)")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS menu (recipient TEXT PRIMARY KEY, payloads TEXT, saved_at REAL)"
        )

    async def first_sighting(self, wamid: str) -> bool:
        """True the first time a wamid is seen, False for every redelivery."""
        cur = self._db.execute(
            "INSERT OR IGNORE INTO seen_wamid (wamid, seen_at) VALUES (?, ?)", (wamid, time.time())
        )
        return cur.rowcount == 1

    async def save_menu(self, recipient: str, payloads: list[str]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO menu (recipient, payloads, saved_at) VALUES (?, ?, ?)",
            (recipient, json.dumps(payloads), time.time()),
        )

    async def clear_menu(self, recipient: str) -> None:
        self._db.execute("DELETE FROM menu WHERE recipient = ?", (recipient,))

    async def menu_choice(self, recipient: str, number: int) -> Optional[str]:
        row = self._db.execute(
            "SELECT payloads, saved_at FROM menu WHERE recipient = ?", (recipient,)
        ).fetchone()
        if not row or time.time() - row[1] > MENU_TTL_SECONDS:
            return None
        payloads = json.loads(row[0])
        return payloads[number - 1] if 1 <= number <= len(payloads) else None


class RedisChannelState:
    """Keys ``sauda:wamid:<id>`` (SET NX, 7-day TTL) and ``sauda:menu:<recipient>``."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis  # only needed for scale-out

        self._redis = redis.from_url(url)

    async def first_sighting(self, wamid: str) -> bool:
        return bool(await self._redis.set(f"sauda:wamid:{wamid}", 1, nx=True, ex=DEDUPE_TTL_SECONDS))

    async def save_menu(self, recipient: str, payloads: list[str]) -> None:
        await self._redis.set(f"sauda:menu:{recipient}", json.dumps(payloads), ex=MENU_TTL_SECONDS)

    async def clear_menu(self, recipient: str) -> None:
        await self._redis.delete(f"sauda:menu:{recipient}")

    async def menu_choice(self, recipient: str, number: int) -> Optional[str]:
        raw = await self._redis.get(f"sauda:menu:{recipient}")
        payloads = json.loads(raw) if raw else []
        return payloads[number - 1] if 1 <= number <= len(payloads) else None


def open_state(url: str):
    """``sqlite:///path`` or ``redis://host:port/db``."""
    if url.startswith("redis://") or url.startswith("rediss://"):
        return RedisChannelState(url)
    if url.startswith("sqlite:///"):
        return SqliteChannelState(url[len("sqlite:///"):])
    raise ValueError(f"WHATSAPP_STATE_URL: expected sqlite:///path or redis://..., got {url!r}")
