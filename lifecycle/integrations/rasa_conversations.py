"""A customer's conversation in Rasa (HTTP API, ``--enable-api`` + RASA_AUTH_TOKEN): read it
for the agent console, and pause / resume the bot while a person handles the customer."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

import httpx

from lifecycle.integrations.rasa_auth import bearer_headers

logger = logging.getLogger(__name__)


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


class RasaConversations:
    def __init__(self, rasa_url: str, token: str, timeout: float = 5.0) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    @property
    def enabled(self) -> bool:
        return bool(self.rasa_url)

    async def _request(self, method: str, sender_id: str, path: str, body: Any = None) -> Optional[httpx.Response]:
        if not self.enabled:
            return None
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.request(method, f"{self.rasa_url}/conversations/{sender_id}/{path}",
                                                headers=bearer_headers(self.token), json=body)
        except httpx.HTTPError as exc:
            logger.warning("Rasa %s %s for %s failed: %r", method, path, sender_id, exc)
            return None
        if response.status_code >= 300:
            logger.warning("Rasa %s %s for %s answered %s: %s", method, path, sender_id, response.status_code,
                           response.text[:200])
            return None
        return response

    async def transcript(self, sender_id: str) -> Optional[list[dict[str, Any]]]:
        """The live conversation, or None when Rasa cannot be reached."""
        response = await self._request("GET", sender_id, "tracker")
        return transcript(response.json().get("events") or []) if response is not None else None

    async def set_paused(self, sender_id: str, paused: bool) -> bool:
        """Pause (the bot stops answering) or resume the conversation; False if Rasa refused.
        Without a Rasa URL there is no bot to pause (True)."""
        if not self.enabled:
            return True
        event = {"event": "pause" if paused else "resume"}
        return await self._request("POST", sender_id, "tracker/events", [event]) is not None

    async def record_agent_message(self, sender_id: str, agent: str, text: str) -> bool:
        """Append the agent's reply as a bot event marked ``agent`` (transcripts show who wrote it)."""
        event = {"event": "bot", "text": text, "metadata": {"agent": agent}}
        return await self._request("POST", sender_id, "tracker/events", [event]) is not None
