"""Scheduling touchpoint rows: idempotent by key, cancelled when their reason goes away."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Optional

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lifecycle.models import Touchpoint


def schedule(session: Session, kind: str, key: str, due_at: datetime, now: datetime, *,
             customer_id: Optional[int] = None, order_id: Optional[int] = None, cart_id: Optional[int] = None,
             params: Optional[dict[str, Any]] = None) -> Optional[int]:
    """Add a touchpoint unless one with this idempotency key exists; returns the new row's id, or None.

    One ``INSERT … ON CONFLICT (key) DO NOTHING``: safe against a concurrent scheduler, no savepoint.
    """
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[dialect]
    statement = insert(Touchpoint).values(
        kind=kind, key=key, due_at=due_at, customer_id=customer_id, order_id=order_id, cart_id=cart_id,
        params=params or {}, state="scheduled", attempts=0, created_at=now,
    ).on_conflict_do_nothing(index_elements=["key"]).returning(Touchpoint.id)
    # Core execution on the session's connection: no autoflush, no ORM bulk machinery (hot path).
    return session.connection().execute(statement).scalar()


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
