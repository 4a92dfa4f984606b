"""Tells Rasa about proactive messages, so transcripts and dialogue policies see them."""
from __future__ import annotations

import logging
from typing import Any, Optional

import httpx

logger = logging.getLogger(__name__)


class RasaTracker:
    """``POST /conversations/{sender}/tracker/events`` on the Rasa HTTP API (``--enable-api``)."""

    def __init__(self, rasa_url: str, token: str, timeout: float = 5.0) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._client: Optional[httpx.AsyncClient] = None

    @property
    def enabled(self) -> bool:
        return bool(self.rasa_url)

    async def record_bot_message(self, sender_id: str, text: str, buttons: list[dict[str, str]],
                                 metadata: dict[str, Any]) -> bool:
        """Append a ``bot`` event; False (logged) if Rasa could not be told."""
        if not self.enabled:
            return False
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout)
        event = {"event": "bot", "text": text, "data": {"buttons": buttons} if buttons else {},
                 "metadata": {"proactive": True, **metadata}}
        try:
            response = await self._client.post(f"{self.rasa_url}/conversations/{sender_id}/tracker/events",
                                               params={"token": self.token}, json=[event])
        except httpx.HTTPError as exc:
            logger.warning("tracker event for %s (%s) not recorded: %r", sender_id, metadata, exc)
            return False
        if response.status_code >= 300:
            logger.warning("tracker event for %s (%s) refused: %s %s", sender_id, metadata,
                           response.status_code, response.text[:200])
            return False
        return True

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
