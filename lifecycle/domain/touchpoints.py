"""Scheduling touchpoint rows: idempotent by key, cancelled when their reason goes away."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, Iterable, Optional, TypedDict, Unpack

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from lifecycle.db.models import Order, Touchpoint
from lifecycle.domain.statuses import TouchpointKind, TouchpointState


class Links(TypedDict, total=False):
    """What a touchpoint is about, and the parameters its handler reads."""

    customer_id: Optional[int]
    order_id: Optional[int]
    cart_id: Optional[int]
    params: Optional[dict[str, Any]]


def row(kind: str, key: str, due_at: datetime, now: datetime, **links: Unpack[Links]) -> dict[str, Any]:
    """The values of a new touchpoint row (the one place they are spelled out)."""
    return {
        "kind": kind,
        "key": key,
        "due_at": due_at,
        "customer_id": links.get("customer_id"),
        "order_id": links.get("order_id"),
        "cart_id": links.get("cart_id"),
        "params": links.get("params") or {},
        "state": TouchpointState.SCHEDULED,
        "attempts": 0,
        "created_at": now,
    }


def schedule(
    session: Session, kind: str, key: str, due_at: datetime, now: datetime, **links: Unpack[Links]
) -> Optional[int]:
    """Add a touchpoint unless one with this idempotency key exists; returns the new row's id, or None.

    One ``INSERT … ON CONFLICT (key) DO NOTHING``: safe against a concurrent scheduler, no savepoint.
    """
    statement = _schedule_statement(session.get_bind().dialect.name)
    # Core execution on the session's connection, one compiled statement for every call:
    # no autoflush, no ORM bulk machinery, no per-call cache key over literal values (hot path).
    return session.connection().execute(statement, row(kind, key, due_at, now, **links)).scalar()


def schedule_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """``schedule`` for many rows (from ``row``) in one statement; rows whose key exists are left out."""
    if rows:
        table = Touchpoint.__table__
        insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[session.get_bind().dialect.name]
        session.connection().execute(insert(table).on_conflict_do_nothing(index_elements=["key"]), rows)


@functools.lru_cache(maxsize=None)
def _schedule_statement(dialect: str) -> ReturningInsert[int]:
    insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[dialect]
    table = Touchpoint.__table__
    statement: ReturningInsert[int] = (
        insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)
    )
    return statement


def cancel(
    session: Session,
    now: datetime,
    reason: str,
    *,
    order_id: Optional[int] = None,
    cart_id: Optional[int] = None,
    kinds: Optional[Iterable[str]] = None,
) -> int:
    """Cancel the not-yet-sent touchpoints of an order or cart; returns how many."""
    query = update(Touchpoint).where(Touchpoint.state == TouchpointState.SCHEDULED)
    if order_id is not None:
        query = query.where(Touchpoint.order_id == order_id)
    if cart_id is not None:
        query = query.where(Touchpoint.cart_id == cart_id)
    if kinds is not None:
        query = query.where(Touchpoint.kind.in_(list(kinds)))
    # "fetch" updates only the matched rows loaded in this session; the default ("evaluate")
    # tests every object in the session, which made each cancel cost O(session size).
    result = session.execute(
        query.values(state=TouchpointState.CANCELLED, result=reason, done_at=now),
        execution_options={"synchronize_session": "fetch"},
    )
    return int(result.rowcount)


def notify_merchant(session: Session, order: Order, event: str, now: datetime, key: Optional[str] = None) -> None:
    """Queue a signed webhook to the merchant (durable: it is a touchpoint like any other); one per
    event and order unless ``key`` tells repeats apart (a second failed delivery)."""
    schedule(
        session,
        TouchpointKind.MERCHANT_WEBHOOK,
        f"{event}:{order.ref}" + (f":{key}" if key else ""),
        now,
        now,
        customer_id=order.customer_id,
        order_id=order.id,
        params={"event": event},
    )
