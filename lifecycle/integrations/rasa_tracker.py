"""Tells Rasa about proactive messages, so transcripts and dialogue policies see them."""
from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any, Optional

import httpx

from lifecycle.integrations.rasa_auth import bearer_headers

logger = logging.getLogger(__name__)


BotEvent = tuple[str, str, list, dict]  # sender id, text, buttons, metadata


class RasaTracker:
    """``POST /conversations/{sender}/tracker/events`` on the Rasa HTTP API (``--enable-api``).

    Events Rasa could not take (restarting, unreachable, 5xx) wait in a bounded backlog and
    are posted, oldest first, the next time the worker records or polls.
    """

    MAX_BACKLOG = 10_000
    CONCURRENCY = 20

    def __init__(self, rasa_url: str, token: str, timeout: float = 5.0) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._client: Optional[httpx.AsyncClient] = None
        self._backlog: deque[BotEvent] = deque(maxlen=self.MAX_BACKLOG)

    @property
    def pending(self) -> int:
        return len(self._backlog)

    async def record(self, events: list[BotEvent]) -> int:
        """Post ``events`` after whatever is still pending; returns how many wait for a retry."""
        if not self.enabled:
            return 0
        self._backlog.extend(events)
        while self._backlog:
            chunk = [self._backlog.popleft() for _ in range(min(self.CONCURRENCY, len(self._backlog)))]
            taken = await asyncio.gather(*(self.record_bot_message(*event) for event in chunk))
            failed = [event for event, ok in zip(chunk, taken) if not ok]
            if failed:
                self._backlog.extendleft(reversed(failed))
                break
        return len(self._backlog)

    @property
    def enabled(self) -> bool:
        return bool(self.rasa_url)

    async def record_bot_message(self, sender_id: str, text: str, buttons: list[dict[str, str]],
                                 metadata: dict[str, Any]) -> bool:
        """Append a ``bot`` event; False (logged) if Rasa could not take it and it is worth retrying."""
        if not self.enabled:
            return False
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout)
        events = [{"event": "bot", "text": text, "data": {"buttons": buttons} if buttons else {},
                   "metadata": {"proactive": True, **metadata}}]
        if metadata.get("ask"):  # the dialogue reads the next message against this question first
            events.append({"event": "slot", "name": "pending_question", "value": metadata["ask"]})
        try:
            response = await self._client.post(f"{self.rasa_url}/conversations/{sender_id}/tracker/events",
                                               headers=bearer_headers(self.token), json=events)
        except httpx.HTTPError as exc:
            logger.warning("tracker event for %s (%s) not recorded: %r", sender_id, metadata, exc)
            return False
        if response.status_code >= 300:
            logger.warning("tracker event for %s (%s) refused: %s %s", sender_id, metadata,
                           response.status_code, response.text[:200])
        return response.status_code < 500  # a 4xx will not change on a retry

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
