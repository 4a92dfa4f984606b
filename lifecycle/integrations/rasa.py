"""Sauda's one client of Rasa's HTTP API (``--enable-api``, a JWT from RASA_AUTH_TOKEN): tells Rasa
about proactive messages so transcripts and dialogue policies see them, reads a conversation for
the agent console, pauses / resumes the bot and records an agent's reply. One pooled connection
set per process (``Lifecycle.rasa``)."""
from __future__ import annotations

import asyncio
import logging
from collections import deque
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

import httpx

from lifecycle.integrations.rasa_auth import bearer_headers

logger = logging.getLogger(__name__)


BotEvent = tuple[str, str, list, dict]  # sender id, text, buttons, metadata


def transcript(events: Iterable[dict[str, Any]], limit: int = 60) -> list[dict[str, Any]]:
    """``[{"who": customer|bot|agent, "text", "at"}]`` from tracker events (the last ``limit``)."""
    lines = []
    for event in events:
        kind, text = event.get("event"), event.get("text")
        if kind not in ("user", "bot") or not text:
            continue
        who = "customer" if kind == "user" else (
            "agent" if (event.get("metadata") or {}).get("agent") else "bot")
        at = event.get("timestamp")
        lines.append({"who": who, "text": text,
                      "at": datetime.fromtimestamp(at, timezone.utc).isoformat() if at else None})
    return lines[-limit:]


class RasaClient:
    """``/conversations/{sender}/...`` on Rasa; every method is a no-op without a Rasa URL.

    Proactive messages Rasa could not take (restarting, unreachable, 5xx) wait in a bounded
    backlog and are posted, oldest first, the next time the worker records or polls.
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
    def enabled(self) -> bool:
        return bool(self.rasa_url)

    @property
    def pending(self) -> int:
        return len(self._backlog)

    async def _request(self, method: str, sender_id: str, path: str, body: Any = None) -> httpx.Response:
        """httpx.HTTPError when Rasa cannot be reached."""
        if self._client is None:  # built on first use, inside the event loop that uses it
            self._client = httpx.AsyncClient(timeout=self.timeout,
                                             limits=httpx.Limits(max_connections=self.CONCURRENCY))
        return await self._client.request(method, f"{self.rasa_url}/conversations/{sender_id}/{path}",
                                          headers=bearer_headers(self.token), json=body)

    async def _call(self, method: str, sender_id: str, path: str, body: Any = None) -> Optional[httpx.Response]:
        """The answer when Rasa took the request, else None (logged)."""
        if not self.enabled:
            return None
        try:
            response = await self._request(method, sender_id, path, body)
        except httpx.HTTPError as exc:
            logger.warning("Rasa %s %s for %s failed: %r", method, path, sender_id, exc)
            return None
        if response.status_code >= 300:
            logger.warning("Rasa %s %s for %s answered %s: %s", method, path, sender_id, response.status_code,
                           response.text[:200])
            return None
        return response

    # -- proactive messages (the worker) ------------------------------------------------------
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

    async def record_bot_message(self, sender_id: str, text: str, buttons: list[dict[str, str]],
                                 metadata: dict[str, Any]) -> bool:
        """Append a ``bot`` event; False (logged) if Rasa could not take it and it is worth retrying."""
        if not self.enabled:
            return False
        events = [{"event": "bot", "text": text, "data": {"buttons": buttons} if buttons else {},
                   "metadata": {"proactive": True, **metadata}}]
        if metadata.get("ask"):  # the dialogue reads the next message against this question first
            events.append({"event": "slot", "name": "pending_question", "value": metadata["ask"]})
        try:
            response = await self._request("POST", sender_id, "tracker/events", events)
        except httpx.HTTPError as exc:
            logger.warning("tracker event for %s (%s) not recorded: %r", sender_id, metadata, exc)
            return False
        if response.status_code >= 300:
            logger.warning("tracker event for %s (%s) refused: %s %s", sender_id, metadata,
                           response.status_code, response.text[:200])
        return response.status_code < 500  # a 4xx will not change on a retry

    # -- the agent console -------------------------------------------------------------------
    async def transcript(self, sender_id: str) -> Optional[list[dict[str, Any]]]:
        """The live conversation, or None when Rasa cannot be reached."""
        response = await self._call("GET", sender_id, "tracker")
        return transcript(response.json().get("events") or []) if response is not None else None

    async def set_paused(self, sender_id: str, paused: bool) -> bool:
        """Pause (the bot stops answering) or resume the conversation; False if Rasa refused.
        Without a Rasa URL there is no bot to pause (True)."""
        if not self.enabled:
            return True
        event = {"event": "pause" if paused else "resume"}
        return await self._call("POST", sender_id, "tracker/events", [event]) is not None

    async def record_agent_message(self, sender_id: str, agent: str, text: str) -> bool:
        """Append the agent's reply as a bot event marked ``agent`` (transcripts show who wrote it)."""
        event = {"event": "bot", "text": text, "metadata": {"agent": agent}}
        return await self._call("POST", sender_id, "tracker/events", [event]) is not None

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
