"""The stores outside the lifecycle database that hold a customer's words and number: the
Rasa tracker store (SQL, Rasa's ``events`` table) and the channel's state (bot/state.py:
SQLite, or Redis at scale). Used by erasure and retention only, so it looks for the
number in whatever those stores hold rather than depending on their layout: a table or
stream added to the channel later is covered without a change here.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import Engine, bindparam, create_engine, inspect, text


@dataclass(frozen=True)
class Stores:
    tracker_url: str = ""  # SQLAlchemy URL of Rasa's tracker store ("" = none)
    channel_state_url: str = ""  # WHATSAPP_STATE_URL
    redis_namespace: str = "sauda"

    def erase(self, forms: list[str]) -> dict[str, int]:
        """Delete the conversations of the sender written any of these ways, and every channel
        state row or entry that mentions them; counts per store."""
        return {"tracker events": self._erase_tracker(forms), "channel state entries": self._erase_channel(forms)}

    def expire(self, conversation_days: int, seen_wamid_days: int) -> dict[str, int]:
        return {"tracker events": self._expire_tracker(conversation_days),
                "seen wamids": self._expire_seen(seen_wamid_days)}

    def _tracker(self) -> Optional[Engine]:
        if not self.tracker_url:
            return None
        engine = create_engine(self.tracker_url)
        if "events" not in inspect(engine).get_table_names():
            engine.dispose()
            return None
        return engine

    def _erase_tracker(self, forms: list[str]) -> int:
        engine = self._tracker()
        if engine is None:
            return 0
        with engine.begin() as connection:
            gone = connection.execute(text("DELETE FROM events WHERE sender_id IN :forms")
                                      .bindparams(bindparam("forms", expanding=True)), {"forms": forms}).rowcount
        engine.dispose()
        return int(gone)

    def _expire_tracker(self, days: int) -> int:
        """Whole conversations idle for longer than ``days`` (a tracker cut in the middle would
        replay into the wrong state)."""
        engine = self._tracker()
        if engine is None:
            return 0
        with engine.begin() as connection:
            gone = connection.execute(text(
                "DELETE FROM events WHERE sender_id IN (SELECT sender_id FROM events GROUP BY sender_id "
                "HAVING max(timestamp) < :cutoff)"), {"cutoff": time.time() - days * 86400}).rowcount
        engine.dispose()
        return int(gone)

    def _sqlite_channel(self) -> Optional[sqlite3.Connection]:
        if not self.channel_state_url.startswith("sqlite:///"):
            return None
        return sqlite3.connect(self.channel_state_url[len("sqlite:///"):], isolation_level=None, timeout=30)

    def _erase_channel(self, forms: list[str]) -> int:
        if self.channel_state_url.startswith(("redis://", "rediss://")):
            return self._erase_redis(forms)
        db = self._sqlite_channel()
        if db is None:
            return 0
        gone = 0
        with db:
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                   "AND name NOT LIKE 'sqlite_%'")]
            for table in tables:
                columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
                mentions = " OR ".join(f'instr(CAST("{c}" AS TEXT), ?) > 0' for c in columns for _ in forms)
                gone += db.execute(f'DELETE FROM "{table}" WHERE {mentions}', forms * len(columns)).rowcount
        db.close()
        return gone

    def _erase_redis(self, forms: list[str]) -> int:
        import redis  # only at scale

        client, gone = redis.Redis.from_url(self.channel_state_url), 0
        for key in client.scan_iter(match=f"{self.redis_namespace}:*", count=500):
            kind = client.type(key)
            if any(form.encode() in key for form in forms):
                gone += client.delete(key)
            elif kind == b"stream":
                doomed = [entry_id for entry_id, fields in client.xrange(key)
                          if any(form.encode() in value for value in fields.values() for form in forms)]
                gone += client.xdel(key, *doomed) if doomed else 0
            elif kind == b"string" and any(form.encode() in (client.get(key) or b"") for form in forms):
                gone += client.delete(key)
        client.close()
        return gone

    def _expire_seen(self, days: int) -> int:
        """SQLite only: Redis keys carry their own TTL (bot/state.py, ``seen_wamid``)."""
        db = self._sqlite_channel()
        if db is None:
            return 0
        with db:
            exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'seen_wamid'").fetchone()
            gone = db.execute("DELETE FROM seen_wamid WHERE seen_at < ?",
                              (time.time() - days * 86400,)).rowcount if exists else 0
        db.close()
        return gone
