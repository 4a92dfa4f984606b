"""Hand channel events the dialogue does not own (statuses, opt-outs, inbound activity,
media, catalog orders) to the lifecycle side of the app server over signed HTTP."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict
from typing import Any

import httpx

from bot.signing import sign
from bot.updates import InboundMessage, MarketingPreference, StatusUpdate

logger = logging.getLogger(__name__)

HOOK_SIGNATURE_HEADER = "X-Sauda-Signature"


class LifecycleHooks:
    """POSTs ``{"kind": ..., "data": ...}`` to ``{hooks_url}``; a missing URL only logs."""

    def __init__(self, hooks_url: str, secret: str, timeout: float = 5.0) -> None:
        self.hooks_url = hooks_url
        self.secret = secret
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None

    async def _post(self, kind: str, data: dict[str, Any]) -> None:
        if not self.hooks_url:
            logger.debug("no SAUDA_HOOKS_URL: %s hook dropped: %s", kind, data)
            return
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout)
        body = json.dumps({"kind": kind, "data": data}, default=str).encode()
        try:
            response = await self._client.post(
                self.hooks_url,
                content=body,
                headers={"Content-Type": "application/json", HOOK_SIGNATURE_HEADER: sign(body, self.secret)},
            )
            if response.status_code >= 300:
                logger.warning("%s hook rejected (%s): %s", kind, response.status_code, response.text[:200])
        except httpx.HTTPError as exc:
            logger.warning("%s hook failed for %s: %r", kind, data.get("wamid") or data.get("wa_id"), exc)

    async def on_status(self, status: StatusUpdate) -> None:
        await self._post("status", asdict(status))

    async def on_marketing_preference(self, pref: MarketingPreference) -> None:
        await self._post("marketing_preference", asdict(pref))

    async def on_inbound(self, message: InboundMessage) -> None:
        """Every customer message: keeps the 24 h window, media and catalog orders on record."""
        data = {
            "wamid": message.wamid,
            "wa_id": message.sender,
            "type": message.type,
            "timestamp": message.timestamp,
            "profile_name": message.profile_name,
            "media": message.media,
            "order": message.order,
            "referral": message.referral,
            "location": message.location,
        }
        await self._post("inbound", data)
