"""Hand channel events the dialogue does not own (statuses, opt-outs, template updates,
inbound activity, media, catalog orders) to the lifecycle side of the app server over
signed HTTP: ``{"kind": ..., "data": ...}`` to ``SAUDA_HOOKS_URL``."""
from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import asdict
from typing import Any, Optional

import httpx

from whatsapp.retry import RetryPolicy
from whatsapp.signing import HOOK_SIGNATURE_HEADER, sign
from whatsapp.updates import InboundMessage, MarketingPreference, OtherUpdate, StatusUpdate

logger = logging.getLogger(__name__)

TRY_AGAIN = "try_again"  # deliver(): a 5xx, worth trying the same body again
UNREACHABLE = "unreachable"  # deliver(): no answer, or a wrong secret; nothing is the body's fault

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

    def check(self, wait_s: float = 30.0) -> None:
        """At start-up: the app server must take our signature. Raises SystemExit when the URL or
        secret is missing or the app server refuses a signed ping (a different secret: every event
        would be refused). An app server that does not answer within ``wait_s`` is not a reason to
        stay down: events are kept and handed over once it is back (a 401 then is logged and the
        events are kept, never dropped)."""
        if not self.hooks_url or not self.secret:
            raise SystemExit("WhatsApp channel: SAUDA_HOOKS_URL and SAUDA_INTERNAL_SECRET must be set")
        body = hook_body("ping", {})
        deadline = time.monotonic() + wait_s
        while True:
            try:
                answer = httpx.post(self.hooks_url, content=body, timeout=self.timeout, headers=self._headers(body))
            except httpx.HTTPError as exc:
                if time.monotonic() > deadline:
                    logger.warning("SAUDA_HOOKS_URL did not answer in %.0f s (%r): starting; events wait for it",
                                   wait_s, exc)
                    return
                time.sleep(1)
                continue
            if answer.status_code == 200:
                return
            raise SystemExit(f"WhatsApp channel: SAUDA_HOOKS_URL answered {answer.status_code} to a signed ping: "
                             "SAUDA_INTERNAL_SECRET differs from the app server's, or the URL is wrong")

    def _headers(self, body: bytes) -> dict[str, str]:
        return {"Content-Type": "application/json", HOOK_SIGNATURE_HEADER: sign(body, self.secret)}

    async def deliver(self, body: bytes) -> Optional[str]:
        """Post one body. None when the app server took it, TRY_AGAIN when it should be tried again
        (no answer or 5xx), else why the app server refused it (4xx)."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout)
        try:
            response = await self._client.post(self.hooks_url, content=body, headers=self._headers(body))
        except httpx.HTTPError as exc:
            logger.warning("hook not delivered (%r), kept for a retry", exc)
            return UNREACHABLE
        if response.status_code == 401:  # not this event's fault: the secrets differ (see check)
            logger.error("hook refused 401: SAUDA_INTERNAL_SECRET differs from the app server's; events kept")
            return UNREACHABLE
        if response.status_code >= 500:
            logger.warning("hook failed (%s), kept for a retry: %s", response.status_code, response.text[:200])
            return TRY_AGAIN
        if response.status_code >= 300:
            return f"{response.status_code}: {response.text[:500]}"
        return None


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
    while it is unreachable. A body the app server refuses (4xx) or keeps failing on (5xx,
    ``ATTEMPTS`` times) is parked in the state's dead-letter table with the reason, so it
    never holds up the events behind it; parked bodies are queued again when a process starts."""

    BATCH = 50
    RETRY = RetryPolicy(base=0.5, cap=30.0)  # until the app server takes them
    ATTEMPTS = 6  # 5xx answers for one body before it is parked (~30 s of backoff)

    def __init__(self, hooks: LifecycleHooks, state, idle_poll: float = 5.0) -> None:
        self.hooks = hooks
        self.state = state
        self.idle_poll = idle_poll
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._failures: dict[str, int] = {}

    def start(self) -> None:
        """Start draining on the running loop (once); also picks up what a previous process left."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._wake.set()

    async def _run(self) -> None:
        try:
            requeued = await self.state.requeue_parked_hooks()
            if requeued:
                logger.warning("hook forwarder: %d parked events queued again", requeued)
        except Exception:
            logger.exception("hook forwarder: could not queue parked events again")
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
            outcome = await self.hooks.deliver(body)
            if outcome == TRY_AGAIN:
                self._failures[key] = self._failures.get(key, 0) + 1
                if self._failures[key] >= self.ATTEMPTS:
                    outcome = f"failed {self.ATTEMPTS} times (5xx)"
            if outcome in (TRY_AGAIN, UNREACHABLE):
                await self.state.hooks_done(done)
                return None
            self._failures.pop(key, None)
            if outcome is not None:
                logger.error("hook parked (%s): %s", outcome, body[:200])
                await self.state.park_hook(key, body, outcome)
            else:
                done.append(key)
        await self.state.hooks_done(done)
        return len(batch)
