"""Delivery risk: a customer's delivery history (by phone, across all their orders) and the
check a new COD order goes through before its confirmation is sent.

A phone with ``risk_advance_after_returns`` returned or refused orders is asked for an advance
(a percentage of the order, or a fixed amount) by JazzCash / Easypaisa through the usual
transaction-ID flow; the order waits until a person verifies the payment. With no wallet
account to pay into, the order is held for a person to call instead. Every decision is kept
with its reasons (``RiskDecision``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.config.settings import WALLETS, LifecycleSettings
from lifecycle.db.delivery_models import RiskDecision
from lifecycle.db.models import Cancellation, Customer, Order
from lifecycle.domain import escalations
from lifecycle.domain.statuses import OrderStatus, RiskBand

NO_ANSWER = "no_answer"  # the cancellation source of an unanswered COD confirmation


@dataclass(frozen=True)
class DeliveryHistory:
    """How a customer's orders ended; ``last_outcome`` is the newest finished one's."""

    delivered: int = 0
    returned: int = 0  # returned to origin: refused at the door or not deliverable
    cancelled: int = 0  # by the customer or the merchant
    no_answer: int = 0  # cancelled because the COD confirmation went unanswered
    in_progress: int = 0
    last_outcome: Optional[str] = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _outcome(status: str, cancelled_by: Optional[str]) -> str:
    if status == OrderStatus.CANCELLED:
        return NO_ANSWER if cancelled_by == NO_ANSWER else str(OrderStatus.CANCELLED)
    if status in (OrderStatus.DELIVERED, OrderStatus.RETURNED):
        return str(status)
    return "in_progress"


def history(session: Session, customer_id: int, excluding_order_id: Optional[int] = None) -> DeliveryHistory:
    """The customer's delivery history (optionally without one order, e.g. the one being checked)."""
    rows = session.execute(
        select(Order.id, Order.status, Cancellation.source)
        .outerjoin(Cancellation, Cancellation.order_id == Order.id)
        .where(Order.customer_id == customer_id)
        .order_by(Order.placed_at, Order.id)
    ).all()
    counts: Counter[str] = Counter()
    last = None
    for order_id, status, cancelled_by in rows:
        if order_id == excluding_order_id:
            continue
        outcome = _outcome(status, cancelled_by)
        counts[outcome] += 1
        last = last if outcome == "in_progress" else outcome
    return DeliveryHistory(**counts, last_outcome=last)


@dataclass(frozen=True)
class Decision:
    band: RiskBand
    reasons: tuple[str, ...] = ()
    advance: Optional[Decimal] = None
    method: Optional[str] = None  # the wallet the advance is paid into


def advance_amount(amount: Decimal, settings: LifecycleSettings) -> Decimal:
    """The fixed advance when one is set (never above the order), else the percentage, in whole rupees."""
    if settings.risk_advance_amount > 0:
        return min(Decimal(settings.risk_advance_amount), amount)
    return (amount * settings.risk_advance_percent / 100).quantize(Decimal("1"), ROUND_HALF_UP)


def assess(past: DeliveryHistory, amount: Decimal, settings: LifecycleSettings) -> Decision:
    """The band for a new COD order of ``amount`` from a customer with this history."""
    threshold = settings.risk_advance_after_returns
    if not threshold or past.returned < threshold:
        return Decision(RiskBand.NORMAL)
    reasons = (f"{past.returned} returned or refused orders on this phone (advance from {threshold})",)
    method = next((m for m in WALLETS if m in settings.accounts and settings.accounts[m].number), None)
    if method is None:
        return Decision(RiskBand.HOLD, reasons + ("no JazzCash / Easypaisa account to take an advance on",))
    return Decision(RiskBand.ADVANCE, reasons, advance_amount(amount, settings), method)


def check(session: Session, customer: Customer, order: Order, settings: LifecycleSettings, now: datetime) -> Decision:
    """Assess a new COD order and record the decision; a held order goes to a person to call."""
    decision = assess(history(session, customer.id, excluding_order_id=order.id), order.amount, settings)
    session.add(RiskDecision(order_id=order.id, band=decision.band, reasons=list(decision.reasons),
                             advance=decision.advance, created_at=now))
    if decision.band == RiskBand.HOLD:
        order.needs_call = True
        escalations.flag(session, customer, "risk_hold", f"COD order {order.ref} held: " + "; ".join(decision.reasons),
                         now, order)
    return decision


class OverrideError(ValueError):
    """Nothing to override: no held or advance decision, already overridden, or the order moved on."""


def override(session: Session, order: Order, by: str, now: datetime) -> RiskDecision:
    """The merchant lets a risky order through: an advance is waived and the order confirmed
    (the whole amount is then due on delivery); a hold is released for the usual handling."""
    decision = decision_for(session, order.id)
    if decision is None or decision.band == RiskBand.NORMAL or decision.overridden_at is not None:
        raise OverrideError(f"order {order.ref} has no risk decision to override")
    if decision.band == RiskBand.ADVANCE:
        if order.status != OrderStatus.PAYMENT_PENDING:
            raise OverrideError(f"order {order.ref} is {order.status}: the advance is settled")
        from lifecycle.domain import orders  # orders place through this module

        for payment in order.payments:
            if payment.status in ("awaited", "submitted"):
                payment.status = "waived"
        orders.confirm(session, order, "merchant", now)
    else:
        order.needs_call = False
    decision.overridden_by, decision.overridden_at = by, now
    return decision


def decision_for(session: Session, order_id: int) -> Optional[RiskDecision]:
    return session.scalar(select(RiskDecision).where(RiskDecision.order_id == order_id))
