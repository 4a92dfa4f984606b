"""The engagement flows as one running thing: the triggers that start them, called where carts
and orders change (events/shop.py, conversation/replies.py), and the loop for SLA breaches,
agent alerts and the win-back sweep (a background job of the worker).

Writers of history (imports, demo data) change rows without calling the triggers, so they start
no recoveries and no win-back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Any, Callable, Optional, TypeVar, Union

import httpx
from sqlalchemy.orm import Session

from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.db.engine import Database
from lifecycle.db.models import Cart, Order
from lifecycle.domain import escalations
from lifecycle.domain.clock import Clock
from lifecycle.flows import cart_recovery, winback
from lifecycle.integrations import signing

logger = logging.getLogger(__name__)
T = TypeVar("T")


def cart_changed(session: Session, cart: Cart, now: datetime, settings: EngagementSettings) -> None:
    """Trigger: a cart became abandoned (recovery starts), converted (credited), or was created or
    reopened (it supersedes the customer's older carts)."""
    session.flush()
    if cart.status == "abandoned":
        cart_recovery.start(session, cart, now, settings)
    elif cart.status == "converted":
        cart_recovery.record_conversion(session, cart, now)
    elif cart.customer_id is not None:
        cart_recovery.supersede(session, cart, now)


def order_placed(session: Session, order: Order, now: datetime, settings: EngagementSettings) -> None:
    """Trigger: a new order restarts the customer's win-back and credits the cart it converted."""
    session.flush()
    winback.on_order(session, order, now, settings)
    cart = session.get(Cart, order.cart_id) if order.cart_id is not None else None
    if cart is not None and cart.status == "converted":
        cart_recovery.record_conversion(session, cart, now)


class EngagementLoop:
    """Marks SLA breaches, posts agent alerts and runs the win-back sweep, every ``loop_interval``.
    ``settings`` may be a function giving the current ones (the merchant's saved SLA and offers)."""

    def __init__(self, db: Database, clock: Clock,
                 settings: Union[EngagementSettings, Callable[[], EngagementSettings]]) -> None:
        self.db = db
        self.clock = clock
        self._settings = settings

    @property
    def settings(self) -> EngagementSettings:
        return self._settings() if callable(self._settings) else self._settings

    async def run_once(self, http: Optional[httpx.AsyncClient] = None) -> dict[str, int]:
        """One round; its database phases run in a worker thread (the sweep is thousands of rows)."""
        now = self.clock.now()
        breached = await asyncio.to_thread(self._in_transaction, escalations.mark_breaches, now)
        deliveries = await asyncio.to_thread(self._in_transaction, escalations.claim_alerts, now, self.settings)
        errors = await asyncio.gather(*(self._post(http, d.body) for d in deliveries)) if deliveries else []
        await asyncio.to_thread(self._record_alerts, deliveries, errors)
        swept = 0
        while True:
            batch = await asyncio.to_thread(self._in_transaction, winback.sweep, now, self.settings)
            swept += batch
            if batch < self.settings.winback_batch:
                break
        return {"breached": len(breached), "alerts": len(deliveries), "winback": swept}

    def _in_transaction(self, step: Callable[..., T], *args: Any) -> T:
        with self.db.session.begin() as session:
            return step(session, *args)

    def _record_alerts(self, deliveries: list, errors: list[Optional[str]]) -> None:
        with self.db.session.begin() as session:
            for delivery, error in zip(deliveries, errors):
                escalations.record_alert(session, delivery.alert_id, error, self.clock.now())

    async def _post(self, http: Optional[httpx.AsyncClient], body: bytes) -> Optional[str]:
        headers = signing.headers(self.settings.agent_webhook_secret, int(time.time()), body)
        try:
            if http is None:
                async with httpx.AsyncClient(timeout=10) as client:
                    response = await client.post(self.settings.agent_webhook_url, content=body, headers=headers)
            else:
                response = await http.post(self.settings.agent_webhook_url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return f"network: {exc!r}"
        return None if response.status_code < 300 else f"HTTP {response.status_code}: {response.text[:200]}"

    async def run(self, stop: asyncio.Event) -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            while not stop.is_set():
                try:
                    await self.run_once(http)
                except Exception:  # noqa: BLE001 - one bad round must not end the SLA watch
                    logger.exception("engagement round failed")
                try:
                    await asyncio.wait_for(stop.wait(), self.settings.loop_interval)
                except asyncio.TimeoutError:
                    pass
