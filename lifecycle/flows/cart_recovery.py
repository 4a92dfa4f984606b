"""Abandoned-cart recovery in three stages (defaults 30 min / 24 h / 72 h after abandonment):

1. a gentle reminder: items, total, checkout link, no discount;
2. scarcity only when the catalog's stock says so ("sirf 3 bachay hain"), else real social
   proof (orders of the item in the last 7 days), else a plain "still saved" line — no claim
   the data does not back;
3. last chance with a unique single-use code (5–10 %) valid 24 h; the cart is then
   suppressed from recovery for good.

Each stage checks, when due, that it still applies: the cart is still abandoned, the
customer has not written since, no newer cart or order of theirs exists. Conversion is
credited to the last stage actually sent before it (``CartRecovery.recovered_stage``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.db.engagement_models import CartRecovery
from lifecycle.db.models import Cart, Order, Touchpoint
from lifecycle.domain import orders, touchpoints
from lifecycle.domain.statuses import OrderStatus, TouchpointKind, TouchpointState
from lifecycle.engine.handlers import Context, Plan, customer_name, send_with_code
from lifecycle.flows import catalog_picks

KIND = TouchpointKind.CART_RECOVERY
STAGES = (1, 2, 3)


def start(session: Session, cart: Cart, now: datetime, settings: EngagementSettings) -> bool:
    """Schedule the three stages for a newly abandoned cart (no phone or suppressed: nothing)."""
    return start_many(session, [cart], now, settings) == 1


def start_many(session: Session, carts: list[Cart], now: datetime, settings: EngagementSettings) -> int:
    """Schedule recovery for abandoned carts in a few statements (one event's cart, or a backfill);
    returns how many carts got their stages. A customer's newer cart stops their older ones."""
    carts = [c for c in carts if c.customer_id is not None and c.status == "abandoned" and c.abandoned_at]
    existing = (
        {
            r.cart_id: r
            for r in session.scalars(select(CartRecovery).where(CartRecovery.cart_id.in_([c.id for c in carts])))
        }
        if carts
        else {}
    )
    carts = [c for c in carts if c.id not in existing or existing[c.id].suppressed_at is None]
    if not carts:
        return 0
    _supersede(session, [c.customer_id for c in carts], [c.id for c in carts], "superseded by a newer cart", now)
    touchpoints.schedule_many(
        session,
        [
            touchpoints.row(
                KIND,
                f"{KIND}:{cart.ref}:{int(cart.abandoned_at.timestamp())}:{stage}",
                cart.abandoned_at + timedelta(seconds=delay),
                now,
                customer_id=cart.customer_id,
                cart_id=cart.id,
                params={"stage": stage},
            )
            for cart in carts
            for stage, delay in zip(STAGES, settings.cart_stage_delays)
        ],
    )
    fresh = [
        {"cart_id": c.id, "customer_id": c.customer_id, "started_at": now, "last_stage_sent": 0}
        for c in carts
        if c.id not in existing
    ]
    if fresh:
        session.execute(insert(CartRecovery), fresh)
    for cart in carts:
        if cart.id in existing:
            existing[cart.id].started_at, existing[cart.id].stopped_reason = now, None
    return len(carts)


def supersede(session: Session, cart: Cart, now: datetime) -> None:
    """A customer's newer cart stops the recovery of their older ones."""
    _supersede(session, [cart.customer_id], [cart.id], f"superseded by cart {cart.ref}", now)


def _supersede(session: Session, customer_ids: list[int], newer: list[int], reason: str, now: datetime) -> None:
    older = list(
        session.scalars(
            select(CartRecovery.cart_id).where(
                CartRecovery.customer_id.in_(customer_ids),
                CartRecovery.cart_id.not_in(newer),
                CartRecovery.stopped_reason.is_(None),
                CartRecovery.suppressed_at.is_(None),
            )
        )
    )
    if older:
        stop(session, older, reason, now)


def stop(session: Session, cart_ids: list[int], reason: str, now: datetime) -> None:
    """Drop the stages not yet sent for these carts, and say why."""
    session.execute(
        update(Touchpoint)
        .where(Touchpoint.cart_id.in_(cart_ids), Touchpoint.kind == KIND, Touchpoint.state == TouchpointState.SCHEDULED)
        .values(state=TouchpointState.CANCELLED, result=reason, done_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(CartRecovery)
        .where(CartRecovery.cart_id.in_(cart_ids), CartRecovery.stopped_reason.is_(None))
        .values(stopped_reason=reason[:100])
        .execution_options(synchronize_session=False)
    )


def sent_stage(session: Session, cart_id: int, before: datetime) -> Optional[int]:
    """The last stage message actually sent for this cart before ``before``."""
    rows = session.execute(
        select(Touchpoint.params).where(
            Touchpoint.cart_id == cart_id,
            Touchpoint.kind == KIND,
            Touchpoint.state == TouchpointState.DONE,
            Touchpoint.done_at <= before,
        )
    )
    stages = [params.get("stage") for (params,) in rows]
    return max(stages) if stages else None


def record_conversion(session: Session, cart: Cart, now: datetime) -> Optional[CartRecovery]:
    """Credit a converted cart to the stage that preceded the purchase (if one was sent)."""
    recovery = session.get(CartRecovery, cart.id)
    if recovery is None or recovery.recovered_at is not None:
        return None
    stop(session, [cart.id], "cart converted", now)
    stage = sent_stage(session, cart.id, now)
    if stage is None:
        return recovery
    order = session.get(Order, cart.converted_order_id) if cart.converted_order_id else None
    recovery.recovered_stage, recovery.recovered_at = stage, now
    recovery.recovered_order_id = order.id if order else None
    recovery.recovered_revenue = order.amount if order else cart.total
    return recovery


def recovered_by_stage(session: Session, since: datetime) -> dict[int, tuple[int, Decimal]]:
    """``{stage: (carts recovered, revenue)}`` since a time (for the merchant dashboard)."""
    rows = session.execute(
        select(CartRecovery.recovered_stage, func.count(), func.sum(CartRecovery.recovered_revenue))
        .where(CartRecovery.recovered_at >= since)
        .group_by(CartRecovery.recovered_stage)
    )
    return {stage: (count, revenue or Decimal(0)) for stage, count, revenue in rows}


# -- the stage messages --------------------------------------------------------------------
def _still_applies(ctx: Context, cart: Cart, recovery: Optional[CartRecovery]) -> Optional[str]:
    if cart.status != "abandoned":
        return f"cart is {cart.status}"
    if recovery is None or recovery.suppressed_at is not None or recovery.stopped_reason:
        return recovery.stopped_reason if recovery and recovery.stopped_reason else "recovery not active"
    if ctx.customer.opted_out_at is not None:
        return "opted out"
    if ctx.customer.last_inbound_at is not None and ctx.customer.last_inbound_at > cart.abandoned_at:
        return "customer replied"
    newer_cart = ctx.session.scalar(
        select(Cart.id)
        .where(Cart.customer_id == cart.customer_id, Cart.id != cart.id, Cart.created_at > cart.created_at)
        .limit(1)
    )
    if newer_cart is not None:
        return "superseded by a newer cart"
    ordered = ctx.session.scalar(
        select(Order.id).where(Order.customer_id == cart.customer_id, Order.placed_at >= cart.abandoned_at).limit(1)
    )
    if ordered is not None:
        return "customer ordered since"
    return None


def _checkout_url(cart: Cart, picks: catalog_picks.Picks) -> Optional[str]:
    if cart.checkout_url:
        return cart.checkout_url
    product = next((p for p in (picks.product_for(i) for i in cart.items) if p is not None), None)
    return picks.pick(product).url if product is not None and picks.profile is not None else None


def _buyers_last_week(session: Session, item: dict[str, Any], now: datetime) -> int:
    """Distinct customers whose orders of the last 7 days include this item (by SKU or name)."""
    rows = session.execute(
        select(Order.customer_id, Order.items).where(
            Order.placed_at >= now - timedelta(days=7), Order.status != OrderStatus.CANCELLED
        )
    )
    key = item.get("sku") or item.get("name")
    return len(
        {customer for customer, items in rows if any((i.get("sku") or i.get("name")) == key for i in items or [])}
    )


def stage_message(ctx: Context) -> Plan:
    cart = ctx.session.get(Cart, ctx.touchpoint.cart_id)
    recovery = ctx.session.get(CartRecovery, cart.id)
    reason = _still_applies(ctx, cart, recovery)
    if reason is not None:
        if recovery is not None and reason in (
            "opted out",
            "customer replied",
            "customer ordered since",
            "superseded by a newer cart",
        ):
            stop(ctx.session, [cart.id], reason, ctx.now)
        return Plan("skip", reason=reason)
    picks = catalog_picks.current()
    checkout_url = _checkout_url(cart, picks)
    if checkout_url is None:
        return Plan("skip", reason=f"cart {cart.ref} has no checkout link and no catalog link")
    settings = ctx.settings.engagement
    base = {
        "name": customer_name(ctx),
        "items": orders.format_items(cart.items),
        "checkout_url": checkout_url,
    }
    stage = ctx.touchpoint.params["stage"]
    if stage == 1:
        return Plan("send", "cart_reminder", {**base, "total": orders.format_amount(cart.total)})
    if stage == 2:
        return _proof(ctx, cart, picks, base, settings)
    recovery.suppressed_at = ctx.now
    hours = settings.cart_code_hours
    variables = {**base, "hours": f"{hours:g}"}
    return send_with_code(
        ctx, "cart_last_chance", variables, KIND, settings.cart_code_percent, timedelta(hours=hours), cart_id=cart.id
    )


def _proof(
    ctx: Context, cart: Cart, picks: catalog_picks.Picks, base: dict[str, Any], settings: EngagementSettings
) -> Plan:
    """Scarcity if the catalog's stock is at or below the store's threshold, else real buyers."""
    threshold = picks.low_stock_threshold
    for item in cart.items:
        left = picks.stock_left(item)
        if left is not None and 0 < left <= threshold:
            return Plan("send", "cart_scarcity", {**base, "item": item["name"], "left": left})
    for item in cart.items:
        buyers = _buyers_last_week(ctx.session, item, ctx.now)
        if buyers >= settings.social_proof_min_orders:
            return Plan("send", "cart_social_proof", {**base, "item": item["name"], "buyers": buyers})
    return Plan("send", "cart_still_saved", base)


HANDLERS = {TouchpointKind.CART_RECOVERY: stage_message}
