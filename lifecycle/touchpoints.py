"""Scheduling touchpoint rows: idempotent by key, cancelled when their reason goes away."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Optional

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lifecycle.models import Touchpoint


def schedule(session: Session, kind: str, key: str, due_at: datetime, now: datetime, *,
             customer_id: Optional[int] = None, order_id: Optional[int] = None, cart_id: Optional[int] = None,
             params: Optional[dict[str, Any]] = None) -> Optional[Touchpoint]:
    """Add a touchpoint unless one with this idempotency key exists (then None)."""
    if session.scalar(select(Touchpoint.id).where(Touchpoint.key == key)) is not None:
        return None
    touchpoint = Touchpoint(kind=kind, key=key, due_at=due_at, customer_id=customer_id, order_id=order_id,
                            cart_id=cart_id, params=params or {}, created_at=now)
    try:
        with session.begin_nested():
            session.add(touchpoint)
    except IntegrityError:  # scheduled concurrently by another transaction
        return None
    return touchpoint


def cancel(session: Session, now: datetime, reason: str, *, order_id: Optional[int] = None,
           cart_id: Optional[int] = None, kinds: Optional[Iterable[str]] = None) -> int:
    """Cancel the not-yet-sent touchpoints of an order or cart; returns how many."""
    query = update(Touchpoint).where(Touchpoint.state == "scheduled")
    if order_id is not None:
        query = query.where(Touchpoint.order_id == order_id)
    if cart_id is not None:
        query = query.where(Touchpoint.cart_id == cart_id)
    if kinds is not None:
        query = query.where(Touchpoint.kind.in_(list(kinds)))
    result = session.execute(query.values(state="cancelled", result=reason, done_at=now))
    return result.rowcount
