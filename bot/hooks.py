"""Hand channel events the dialogue does not own (statuses, opt-outs, template updates,
inbound activity, media, catalog orders) to the lifecycle side of the app server over
signed HTTP: ``{"kind": ..., "data": ...}`` to ``SAUDA_HOOKS_URL``."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict
from typing import Any

import httpx

from bot.signing import sign
from bot.updates import InboundMessage, MarketingPreference, OtherUpdate, StatusUpdate

logger = logging.getLogger(__name__)

HOOK_SIGNATURE_HEADER = "X-Sauda-Signature"
# Meta fields about our message templates; the lifecycle must stop using a rejected one.
TEMPLATE_FIELDS = ("message_template_status_update", "template_category_update",
                   "message_template_quality_update")


class LifecycleHooks:
    """Posts events to the app server; each call returns whether it was handed over."""

    def __init__(self, hooks_url: str, secret: str, timeout: float = 5.0) -> None:
        self.hooks_url = hooks_url
        self.secret = secret
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None

    async def _post(self, kind: str, data: dict[str, Any]) -> bool:
        if not self.hooks_url:
            logger.debug("no SAUDA_HOOKS_URL: %s hook dropped: %s", kind, data)
            return True
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout)
        body = json.dumps({"kind": kind, "data": data}, default=str).encode()
        try:
            response = await self._client.post(
                self.hooks_url,
                content=body,
                headers={"Content-Type": "application/json", HOOK_SIGNATURE_HEADER: sign(body, self.secret)},
            )
        except httpx.HTTPError as exc:
            logger.warning("%s hook failed for %s: %r", kind, data.get("wamid") or data.get("wa_id"), exc)
            return False
        if response.status_code >= 300:
            logger.warning("%s hook rejected (%s): %s", kind, response.status_code, response.text[:200])
        # A 4xx will not get better by Meta redelivering the same body; only 5xx is retried.
        return response.status_code < 500

    async def on_status(self, status: StatusUpdate) -> bool:
        return await self._post("status", {**asdict(status), "outcome": status.outcome})

    async def on_marketing_preference(self, pref: MarketingPreference) -> bool:
        return await self._post("marketing_preference", {**asdict(pref), "opted_out": pref.opted_out})

    async def on_template_update(self, update: OtherUpdate) -> bool:
        return await self._post("template_update", {"field": update.field, **update.value})

    async def on_inbound(self, message: InboundMessage) -> bool:
        """Every customer message: keeps the 24 h window, media and catalog orders on record."""
        data = {
            key: getattr(message, key)
            for key in ("wamid", "type", "timestamp", "profile_name", "text", "payload", "media",
                        "order", "referral", "location", "contacts", "reaction", "system", "context")
        }
        data["wa_id"] = message.sender
        return await self._post("inbound", data)
