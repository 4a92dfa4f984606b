"""Durable channel state: seen ``wamid``s (dedupe), the inbox of customer messages not yet
answered by Rasa, the last numbered menu per customer, and the queue of events waiting to be
handed to the lifecycle.

SQLite by default (one Rasa process); Redis (``SET NX`` with a TTL, a stream with a
consumer group for the hook queue) when several Rasa replicas share the webhook.
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional


@dataclass(frozen=True)
class Inbound:
    """A message to keep: its sender and wamid, the serialised message, whether it came over
    the customer's rate, and the lifecycle's hook body for it."""

    sender: str
    wamid: str
    body: str
    flood: bool = False
    hook: bytes = b""


@dataclass(frozen=True)
class Queued:
    key: str
    sender: str
    wamid: str
    body: str
    flood: bool
    attempts: int


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
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS hook_queue (id INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL, "
            "queued_at REAL NOT NULL)"
        )
        # Customer messages from the webhook's acknowledgement until Rasa has handled them
        # (``flood``: over the customer's rate, answered with the slow-down message instead).
        self._db.execute("CREATE TABLE IF NOT EXISTS inbox (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                         "sender TEXT NOT NULL, wamid TEXT NOT NULL, message TEXT NOT NULL, flood INTEGER NOT NULL, "
                         "attempts INTEGER NOT NULL DEFAULT 0, parked_reason TEXT, queued_at REAL NOT NULL)")
        self._db.execute("CREATE INDEX IF NOT EXISTS inbox_sender ON inbox (sender, id)")
        self._db.execute("CREATE TABLE IF NOT EXISTS hook_dead (id INTEGER PRIMARY KEY, body BLOB NOT NULL, "
                         "reason TEXT NOT NULL, parked_at REAL NOT NULL)")

    async def accept(self, messages: list[Inbound], hooks: list[bytes]) -> list[Inbound]:
        """In one transaction: mark each message's wamid seen, put the first sightings in the
        inbox and queue ``hooks`` (the lifecycle's bodies, keyed by wamid in ``Inbound.hook``).
        Returns the first sightings; redeliveries change nothing."""
        now, fresh = time.time(), []
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for message in messages:
                if self._db.execute("INSERT OR IGNORE INTO seen_wamid (wamid, seen_at) VALUES (?, ?)",
                                    (message.wamid, now)).rowcount != 1:
                    continue
                self._db.execute("INSERT INTO inbox (sender, wamid, message, flood, queued_at) VALUES (?, ?, ?, ?, ?)",
                                 (message.sender, message.wamid, message.body, int(message.flood), now))
                fresh.append(message)
            bodies = hooks + [m.hook for m in fresh if m.hook]
            self._db.executemany("INSERT INTO hook_queue (body, queued_at) VALUES (?, ?)", [(b, now) for b in bodies])
        return fresh

    async def inbox(self, sender: Optional[str] = None, limit: int = 50) -> list[Queued]:
        """Unhandled messages (of ``sender``, or everyone's), oldest first; parked ones left out."""
        where, args = ("AND sender = ?", (sender, limit)) if sender else ("", (limit,))
        rows = self._db.execute(f"SELECT id, sender, wamid, message, flood, attempts FROM inbox "
                                f"WHERE parked_reason IS NULL {where} ORDER BY id LIMIT ?", args).fetchall()
        return [Queued(str(r[0]), r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]

    async def handled(self, key: str) -> None:
        self._db.execute("DELETE FROM inbox WHERE id = ?", (int(key),))

    async def unpark_inbox(self) -> int:
        """Give parked messages their tries again (at start: the outage may be over); how many."""
        return self._db.execute("UPDATE inbox SET parked_reason = NULL, attempts = 0 "
                                "WHERE parked_reason IS NOT NULL").rowcount

    async def failed(self, key: str, reason: Optional[str]) -> None:
        """One more failed attempt; with a ``reason`` the message is parked (kept, not retried)."""
        self._db.execute("UPDATE inbox SET attempts = attempts + 1, parked_reason = ? WHERE id = ?",
                         (reason, int(key)))

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

    async def queue_hooks(self, bodies: list[bytes]) -> None:
        """Keep hook bodies on disk, all or none, before the webhook is acknowledged."""
        if not bodies:
            return
        now = time.time()
        self._db.execute("BEGIN")
        try:
            self._db.executemany("INSERT INTO hook_queue (body, queued_at) VALUES (?, ?)",
                                 [(body, now) for body in bodies])
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    async def claim_hooks(self, limit: int) -> list[tuple[str, bytes]]:
        """The oldest queued bodies, as (key, body); they stay queued until ``hooks_done``."""
        rows = self._db.execute("SELECT id, body FROM hook_queue ORDER BY id LIMIT ?", (limit,)).fetchall()
        return [(str(key), bytes(body)) for key, body in rows]

    async def hooks_done(self, keys: list[str]) -> None:
        self._db.executemany("DELETE FROM hook_queue WHERE id = ?", [(int(k),) for k in keys])

    async def queued_hooks(self) -> int:
        return self._db.execute("SELECT count(*) FROM hook_queue").fetchone()[0]

    async def park_hook(self, key: str, body: bytes, reason: str) -> None:
        """Move one queued body to the dead-letter table, with why it was not delivered."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("INSERT INTO hook_dead (body, reason, parked_at) VALUES (?, ?, ?)",
                             (body, reason, time.time()))
            self._db.execute("DELETE FROM hook_queue WHERE id = ?", (int(key),))

    async def parked_hooks(self) -> list[tuple[bytes, str]]:
        return [(bytes(b), r) for b, r in self._db.execute("SELECT body, reason FROM hook_dead ORDER BY id")]

    async def requeue_parked_hooks(self) -> int:
        """Queue every parked body again (at the end); how many."""
        with self._db:
            self._db.execute("BEGIN")
            moved = self._db.execute("INSERT INTO hook_queue (body, queued_at) "
                                     "SELECT body, parked_at FROM hook_dead ORDER BY id").rowcount
            self._db.execute("DELETE FROM hook_dead")
        return moved


# A replica that died holding hook entries: another takes them over after this long.
HOOK_CLAIM_IDLE_MS = 60_000


class RedisChannelState:
    """Keys ``<ns>:wamid:<id>`` (SET NX, 7-day TTL), ``<ns>:menu:<recipient>``, and the
    stream ``<ns>:hooks`` read by the consumer group ``forwarders`` (one consumer per
    replica; a dead replica's pending entries are claimed by the others)."""

    GROUP = "forwarders"

    def __init__(self, url: str, namespace: str = "sauda") -> None:
        import redis.asyncio as redis  # only needed for scale-out

        self._redis = redis.from_url(url)
        self._ns = namespace
        self._stream = f"{namespace}:hooks"
        self._consumer = f"{socket.gethostname()}-{os.getpid()}"
        self._group_ready = False

    # KEYS: the wamid's seen key, the inbox stream; ARGV: TTL, sender, wamid, message, flood
    _ACCEPT = """
    if redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[1]) then
      redis.call('XADD', KEYS[2], '*', 'sender', ARGV[2], 'wamid', ARGV[3], 'message', ARGV[4], 'flood', ARGV[5])
      return 1
    end
    return 0
    """

    async def accept(self, messages: list[Inbound], hooks: list[bytes]) -> list[Inbound]:
        """Per message one atomic script (seen mark + inbox entry), hooks after: a crash between
        them loses no message (Meta redelivers only what was not acknowledged)."""
        fresh = []
        for message in messages:
            if await self._redis.eval(self._ACCEPT, 2, f"{self._ns}:wamid:{message.wamid}", f"{self._ns}:inbox",
                                      DEDUPE_TTL_SECONDS, message.sender, message.wamid, message.body,
                                      int(message.flood)):
                fresh.append(message)
        await self.queue_hooks(hooks + [m.hook for m in fresh if m.hook])
        return fresh

    async def inbox(self, sender: Optional[str] = None, limit: int = 50) -> list[Queued]:
        parked = await self._redis.hgetall(f"{self._ns}:inbox:parked")
        attempts = await self._redis.hgetall(f"{self._ns}:inbox:attempts")
        found = []
        for key, fields in await self._redis.xrange(f"{self._ns}:inbox"):
            who = fields[b"sender"].decode()
            if key in parked or (sender and who != sender):
                continue
            found.append(Queued(key.decode(), who, fields[b"wamid"].decode(), fields[b"message"].decode(),
                                fields[b"flood"] == b"1", int(attempts.get(key, 0))))
            if len(found) >= limit:
                break
        return found

    async def handled(self, key: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xdel(f"{self._ns}:inbox", key)
            pipe.hdel(f"{self._ns}:inbox:attempts", key)
            await pipe.execute()

    async def unpark_inbox(self) -> int:
        parked = await self._redis.hlen(f"{self._ns}:inbox:parked")
        await self._redis.delete(f"{self._ns}:inbox:parked", f"{self._ns}:inbox:attempts")
        return parked

    async def failed(self, key: str, reason: Optional[str]) -> None:
        await self._redis.hincrby(f"{self._ns}:inbox:attempts", key, 1)
        if reason:
            await self._redis.hset(f"{self._ns}:inbox:parked", key, reason)

    async def save_menu(self, recipient: str, payloads: list[str]) -> None:
        await self._redis.set(f"{self._ns}:menu:{recipient}", json.dumps(payloads), ex=MENU_TTL_SECONDS)

    async def clear_menu(self, recipient: str) -> None:
        await self._redis.delete(f"{self._ns}:menu:{recipient}")

    async def menu_choice(self, recipient: str, number: int) -> Optional[str]:
        raw = await self._redis.get(f"{self._ns}:menu:{recipient}")
        payloads = json.loads(raw) if raw else []
        return payloads[number - 1] if 1 <= number <= len(payloads) else None

    async def queue_hooks(self, bodies: list[bytes]) -> None:
        if not bodies:
            return
        async with self._redis.pipeline(transaction=True) as pipe:
            for body in bodies:
                pipe.xadd(self._stream, {"body": body})
            await pipe.execute()

    async def _ensure_group(self) -> None:
        if self._group_ready:
            return
        from redis.exceptions import ResponseError

        try:
            await self._redis.xgroup_create(self._stream, self.GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self._group_ready = True

    async def claim_hooks(self, limit: int) -> list[tuple[str, bytes]]:
        await self._ensure_group()
        # Ours first (unacknowledged after a failed post), then a dead replica's, then new.
        mine = await self._redis.xreadgroup(self.GROUP, self._consumer, {self._stream: "0"}, count=limit)
        entries = list(mine[0][1]) if mine else []
        if len(entries) < limit:
            _, taken, *_ = await self._redis.xautoclaim(
                self._stream, self.GROUP, self._consumer, HOOK_CLAIM_IDLE_MS, "0-0", count=limit - len(entries))
            entries += taken
        if len(entries) < limit:
            new = await self._redis.xreadgroup(self.GROUP, self._consumer, {self._stream: ">"},
                                               count=limit - len(entries))
            entries += new[0][1] if new else []
        unique = {key: fields for key, fields in entries if fields}  # autoclaim may return ours again
        return [(key.decode(), fields[b"body"]) for key, fields in unique.items()]

    async def hooks_done(self, keys: list[str]) -> None:
        if keys:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.xack(self._stream, self.GROUP, *keys)
                pipe.xdel(self._stream, *keys)
                await pipe.execute()

    async def queued_hooks(self) -> int:
        return await self._redis.xlen(self._stream)

    async def park_hook(self, key: str, body: bytes, reason: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xadd(f"{self._stream}:dead", {"body": body, "reason": reason})
            pipe.xack(self._stream, self.GROUP, key)
            pipe.xdel(self._stream, key)
            await pipe.execute()

    async def parked_hooks(self) -> list[tuple[bytes, str]]:
        entries = await self._redis.xrange(f"{self._stream}:dead")
        return [(fields[b"body"], fields[b"reason"].decode()) for _, fields in entries]

    async def requeue_parked_hooks(self) -> int:
        dead = f"{self._stream}:dead"
        entries = await self._redis.xrange(dead)
        if entries:
            async with self._redis.pipeline(transaction=True) as pipe:
                for key, fields in entries:
                    pipe.xadd(self._stream, {"body": fields[b"body"]})
                    pipe.xdel(dead, key)
                await pipe.execute()
        return len(entries)


def open_state(url: str, namespace: str = "sauda"):
    """``sqlite:///path`` or ``redis://host:port/db`` (keys under ``namespace``)."""
    if url.startswith("redis://") or url.startswith("rediss://"):
        return RedisChannelState(url, namespace)
    if url.startswith("sqlite:///"):
        return SqliteChannelState(url[len("sqlite:///"):])
    raise ValueError(f"WHATSAPP_STATE_URL: expected sqlite:///path or redis://..., got {url!r}")
