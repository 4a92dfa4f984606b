"""JazzCash / Easypaisa payments: the customer's transaction ID, receipts, and a person's verification."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.db.models import Customer, Order, Payment
from lifecycle.domain import customers, orders, touchpoints
from lifecycle.domain.statuses import OrderStatus

_DIGITS = re.compile(r"(?<!\d)\d{8,14}(?!\d)")
_LABEL = re.compile(
    r"\b(?:t\.?\s*i\.?\s*d|trx\.?\s*id|txn\.?\s*id|trans(?:action)?\.?\s*(?:id|no|#|number)"
    r"|tran\s*id|ref(?:erence)?\.?\s*(?:no|#|number)?)\b",
    re.IGNORECASE,
)
_PHONE_LIKE = re.compile(r"^(?:03\d{9}|923\d{9})$")


def extract_transaction_id(text: str) -> Optional[str]:
    """The 8–14 digit run nearest a "TID" / "Trx ID" / "Transaction ID" label, else the only
    such run in the message; numbers that look like a mobile number are not taken."""
    runs = [m for m in _DIGITS.finditer(text or "") if not _PHONE_LIKE.match(m.group())]
    if not runs:
        return None
    labels = [m.end() for m in _LABEL.finditer(text)]
    if labels:
        after = [r for r in runs if any(0 <= r.start() - end <= 20 for end in labels)]
        if after:
            return after[0].group()
    return runs[0].group() if len(runs) == 1 else None


def awaited(session: Session, customer: Customer) -> Optional[Payment]:
    """The customer's newest payment still waiting for a transaction ID or a check."""
    return session.scalar(
        select(Payment)
        .join(Order)
        .where(
            Order.customer_id == customer.id,
            Order.status == OrderStatus.PAYMENT_PENDING,
            Payment.status.in_(("awaited", "submitted")),
        )
        .order_by(Payment.id.desc())
        .limit(1)
    )


def submit(session: Session, payment: Payment, transaction_id: str, raw_text: str, now: datetime) -> Payment:
    """Attach the customer's transaction ID (and their words); a person verifies it later."""
    payment.transaction_id, payment.raw_text, payment.submitted_at = transaction_id, raw_text, now
    payment.status = "submitted"
    order = session.get(Order, payment.order_id)
    touchpoints.cancel(session, now, "transaction id received", order_id=order.id, kinds=("payment_reminder",))
    customers.answered(session, order.customer, "transaction_id", order.id)
    return payment


def verify(session: Session, order: Order, by: str, now: datetime) -> Payment:
    """A person checked the wallet: payment received, order confirmed, customer told."""
    payment = session.scalar(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id.desc()).limit(1))
    if payment is None:
        raise orders.TransitionError(f"order {order.ref} has no payment to verify")
    if payment.status == "verified":
        return payment
    orders.confirm(session, order, "merchant", now)
    payment.status, payment.verified_by, payment.verified_at = "verified", by, now
    touchpoints.schedule(
        session,
        "payment_received",
        f"payment_received:{order.ref}",
        now,
        now,
        customer_id=order.customer_id,
        order_id=order.id,
    )
    return payment


def reject(session: Session, order: Order, by: str, now: datetime) -> Payment:
    """The transaction ID did not check out: back to awaiting one, and the customer is reminded."""
    payment = session.scalar(select(Payment).where(Payment.order_id == order.id, Payment.status == "submitted"))
    if payment is None:
        raise orders.TransitionError(f"order {order.ref} has no submitted payment to reject")
    payment.status, payment.verified_by, payment.verified_at = "awaited", by, now
    touchpoints.schedule(
        session,
        "payment_reminder",
        f"payment_reminder:{order.ref}:{payment.transaction_id}",
        now,
        now,
        customer_id=order.customer_id,
        order_id=order.id,
    )
    return payment


def pending_verification(session: Session) -> list[tuple[Order, Payment]]:
    """Submitted transaction IDs waiting for a person, oldest first."""
    rows = session.execute(
        select(Order, Payment)
        .join(Payment, Payment.order_id == Order.id)
        .where(Payment.status == "submitted")
        .order_by(Payment.submitted_at)
    )
    return [(o, p) for o, p in rows]
