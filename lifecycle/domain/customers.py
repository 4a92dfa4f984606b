"""Customers: found by phone, their 24 h window, opt-outs, and what Sauda asked them last."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lifecycle.db.models import Customer, OptOutChange, PendingQuestion
from lifecycle.domain.phones import to_e164

WINDOW = timedelta(hours=24)


def find(session: Session, phone: str) -> Optional[Customer]:
    return session.scalar(select(Customer).where(Customer.phone == to_e164(phone)))


def get_or_create(
    session: Session,
    phone: str,
    now: datetime,
    name: Optional[str] = None,
    language: Optional[str] = None,
    profile_name: Optional[str] = None,
) -> Customer:
    """The customer with this number (any customary form), created on first sight.

    ``name`` is the one the shop has (typed at checkout) and replaces what is kept;
    ``profile_name`` (WhatsApp's) only fills in while the shop has given none."""
    customer = find(session, phone)
    if customer is None:
        customer = Customer(phone=to_e164(phone), name=name or profile_name, language=language or "roman_urdu",
                            created_at=now)
        session.add(customer)
        session.flush()
    else:
        customer.name = name or customer.name or profile_name
        customer.language = language or customer.language
    return customer


def in_window(customer: Customer, now: datetime) -> bool:
    """True while free-form and interactive messages are allowed (24 h after their last message)."""
    return customer.last_inbound_at is not None and now - customer.last_inbound_at < WINDOW


def record_inbound(session: Session, customer: Customer, at: datetime) -> None:
    if customer.last_inbound_at is None or at > customer.last_inbound_at:
        customer.last_inbound_at = at


def set_opt_out(session: Session, customer: Customer, opted_out: bool, source: str, now: datetime) -> bool:
    """Record a marketing opt-out or opt-in; returns False when nothing changed."""
    if opted_out == (customer.opted_out_at is not None):
        return False
    customer.opted_out_at = now if opted_out else None
    customer.opted_out_source = source if opted_out else None
    session.add(OptOutChange(customer_id=customer.id, opted_out=opted_out, source=source, at=now))
    return True


def ask(
    session: Session, customer: Customer, kind: str, order_id: Optional[int], now: datetime, data: Optional[dict] = None
) -> None:
    """Remember the question just put to the customer (replaces the previous one)."""
    pending = session.get(PendingQuestion, customer.id)
    if pending is None:
        session.add(
            PendingQuestion(customer_id=customer.id, kind=kind, order_id=order_id, data=data or {}, asked_at=now)
        )
    else:
        pending.kind, pending.order_id, pending.data, pending.asked_at = kind, order_id, data or {}, now


def ask_many(session: Session, asks: dict[int, tuple[str, Optional[int]]], now: datetime) -> None:
    """``ask`` for many customers at once (customer id → (kind, order id)): one upsert."""
    if not asks:
        return
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[dialect]
    statement = insert(PendingQuestion)
    statement = statement.on_conflict_do_update(
        index_elements=["customer_id"],
        set_={
            "kind": statement.excluded.kind,
            "order_id": statement.excluded.order_id,
            "data": statement.excluded.data,
            "asked_at": statement.excluded.asked_at,
        },
    )
    session.flush()  # a PendingQuestion added through the ORM must not collide with the upsert
    session.connection().execute(
        statement,
        [
            {"customer_id": customer_id, "kind": kind, "order_id": order_id, "data": {}, "asked_at": now}
            for customer_id, (kind, order_id) in asks.items()
        ],
    )
    for pending_row in session.identity_map.values():
        if isinstance(pending_row, PendingQuestion) and pending_row.customer_id in asks:
            session.expire(pending_row)  # loaded before the upsert: read again when next used


def pending(session: Session, customer: Customer) -> Optional[PendingQuestion]:
    return session.get(PendingQuestion, customer.id)


def answered(session: Session, customer: Customer, kind: Optional[str] = None, order_id: Optional[int] = None) -> None:
    """Forget the pending question (only if it is still of this kind / about this order)."""
    query = delete(PendingQuestion).where(PendingQuestion.customer_id == customer.id)
    if kind is not None:
        query = query.where(PendingQuestion.kind == kind)
    if order_id is not None:
        query = query.where(PendingQuestion.order_id == order_id)
    session.execute(query)
