"""Hand channel events the dialogue does not own (statuses, opt-outs, template updates,
inbound activity, media, catalog orders) to the lifecycle side of the app server over
signed HTTP: ``{"kind": ..., "data": ...}`` to ``SAUDA_HOOKS_URL``."""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import asdict
from typing import Any

import httpx

from whatsapp.retry import RetryPolicy
from whatsapp.signing import HOOK_SIGNATURE_HEADER, sign
from whatsapp.updates import InboundMessage, MarketingPreference, OtherUpdate, StatusUpdate

logger = logging.getLogger(__name__)

# Meta fields about our message templates; the lifecycle must stop using a rejected one.
TEMPLATE_FIELDS = ("message_template_status_update", "template_category_update",
                   "message_template_quality_update")


class LifecycleHooks:
    """Builds signed hook bodies and posts them to the app server."""

    def __init__(self, hooks_url: str, secret: str, timeout: float = 5.0) -> None:
        self.hooks_url = hooks_url
        self.secret = secret
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None

    async def deliver(self, body: bytes) -> bool:
        """Post one body; False when it should be tried again later (no answer or 5xx)."""
        if not self.hooks_url:
            logger.debug("no SAUDA_HOOKS_URL: hook dropped: %s", body[:200])
            return True
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout)
        try:
            response = await self._client.post(
                self.hooks_url,
                content=body,
                headers={"Content-Type": "application/json", HOOK_SIGNATURE_HEADER: sign(body, self.secret)},
            )
        except httpx.HTTPError as exc:
            logger.warning("hook not delivered (%r), kept for a retry: %s", exc, body[:200])
            return False
        if response.status_code >= 300:
            logger.warning("hook rejected (%s): %s", response.status_code, response.text[:200])
        # A 4xx will not get better by posting the same body again; only 5xx is retried.
        return response.status_code < 500


def hook_body(kind: str, data: dict[str, Any]) -> bytes:
    return json.dumps({"kind": kind, "data": data}, default=str).encode()


def update_hook(update) -> bytes | None:
    """The hook body for a webhook update the lifecycle owns, or None."""
    if isinstance(update, StatusUpdate):
        return hook_body("status", {**asdict(update), "outcome": update.outcome})
    if isinstance(update, MarketingPreference):
        return hook_body("marketing_preference", {**asdict(update), "opted_out": update.opted_out})
    if isinstance(update, OtherUpdate) and update.field in TEMPLATE_FIELDS:
        return hook_body("template_update", {"field": update.field, **update.value})
    if isinstance(update, OtherUpdate):
        logger.info("whatsapp webhook: %s update logged only", update.field)
    return None


def inbound_hook(message: InboundMessage) -> bytes:
    """Every customer message: keeps the 24 h window, media and catalog orders on record."""
    data = {
        key: getattr(message, key)
        for key in ("wamid", "type", "timestamp", "profile_name", "text", "payload", "media",
                    "order", "referral", "location", "contacts", "reaction", "system", "context")
    }
    data["wa_id"] = message.sender
    return hook_body("inbound", data)


class HookForwarder:
    """Drains the durable hook queue to the app server in order, retrying with backoff
    while it is unreachable; nothing is dropped until the app server has taken it."""

    BATCH = 50
    RETRY = RetryPolicy(base=0.5, cap=30.0)  # until the app server takes them

    def __init__(self, hooks: LifecycleHooks, state, idle_poll: float = 5.0) -> None:
        self.hooks = hooks
        self.state = state
        self.idle_poll = idle_poll
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        """Start draining on the running loop (once); also picks up what a previous process left."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._wake.set()

    async def _run(self) -> None:
        failures = 0
        while True:
            self._wake.clear()
            try:
                delivered = await self._forward_batch()
            except Exception:  # a broken state store must not end forwarding for good
                logger.exception("hook forwarder: reading the queue failed")
                delivered = None
            if delivered is None:
                failures += 1
                await asyncio.sleep(self.RETRY.delay(failures))
                continue
            failures = 0
            if delivered == 0:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.idle_poll)
                except asyncio.TimeoutError:
                    pass

    async def _forward_batch(self) -> int | None:
        """How many were delivered; None when the app server stopped taking them."""
        batch = await self.state.claim_hooks(self.BATCH)
        done = []
        for key, body in batch:
            if not await self.hooks.deliver(body):
                await self.state.hooks_done(done)
                return None
            done.append(key)
        await self.state.hooks_done(done)
        return len(done)
