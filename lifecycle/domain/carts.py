"""Carts as the shop reports them: created / updated, abandoned, converted into an order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.db.models import Cart, Order
from lifecycle.domain import customers, touchpoints


def find(session: Session, ref: str) -> Optional[Cart]:
    return session.scalar(select(Cart).where(Cart.ref == ref))


def upsert(
    session: Session,
    ref: str,
    items: list[dict[str, Any]],
    total: Decimal,
    now: datetime,
    phone: Optional[str] = None,
    name: Optional[str] = None,
    checkout_url: Optional[str] = None,
) -> Cart:
    """A cart created or changed; a converted cart stays converted."""
    cart = find(session, ref)
    customer_id = customers.get_or_create(session, phone, now, name=name).id if phone else None
    if cart is None:
        cart = Cart(
            ref=ref,
            items=items,
            total=total,
            checkout_url=checkout_url,
            customer_id=customer_id,
            created_at=now,
            updated_at=now,
        )
        session.add(cart)
        session.flush()
        return cart
    cart.items, cart.total, cart.updated_at = items, total, now
    cart.checkout_url = checkout_url or cart.checkout_url
    cart.customer_id = customer_id or cart.customer_id
    if cart.status == "abandoned":  # the customer came back: recovery steps are moot
        cart.status, cart.abandoned_at = "open", None
        touchpoints.cancel(session, now, "cart updated", cart_id=cart.id)
    return cart


def abandon(session: Session, cart: Cart, now: datetime) -> bool:
    """Mark abandoned (recovery touchpoints are scheduled by the engagement flows)."""
    if cart.status != "open":
        return False
    cart.status, cart.abandoned_at = "abandoned", now
    return True


def convert(session: Session, ref: str, order: Order, now: datetime) -> Optional[Cart]:
    cart = find(session, ref)
    if cart is None:
        return None
    cart.status, cart.converted_order_id, cart.updated_at = "converted", order.id, now
    order.cart_id = cart.id
    touchpoints.cancel(session, now, "cart converted", cart_id=cart.id)
    return cart
