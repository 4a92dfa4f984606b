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
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.config.settings import WALLETS, LifecycleSettings
from lifecycle.db.delivery_models import RiskDecision
from lifecycle.db.models import Cancellation, Customer, Order
from lifecycle.domain import escalations, phones
from lifecycle.domain.statuses import FINISHED, OrderStatus, RiskBand

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


def assess(past: DeliveryHistory, amount: Decimal, settings: LifecycleSettings,
           duplicate_of: Optional[str] = None, mobile: bool = True) -> Decision:
    """The band for a new COD order of ``amount`` from a customer with this history (and, when
    ``duplicate_of`` names one, another open order placed just before): an advance for returns or
    a large first COD order, a hold for a call for a possible double order, a landline (no
    WhatsApp confirmation reaches it) or when no wallet can take the advance."""
    calls_for_advance, calls_for_hold = [], []
    threshold = settings.risk_advance_after_returns
    if threshold and past.returned >= threshold:
        calls_for_advance.append(f"{past.returned} returned or refused orders on this phone (advance from {threshold})")
    limit = settings.risk_new_customer_cod_limit
    if limit and not past.delivered and amount > limit:
        calls_for_advance.append(
            f"Rs. {amount:,.0f} cash on delivery with no delivered order yet (limit Rs. {limit:,})")
    if not mobile:
        calls_for_hold.append("the phone is a landline: no WhatsApp confirmation reaches it")
    if duplicate_of is not None:
        calls_for_hold.append(f"order {duplicate_of} from this phone is still open, placed within "
                              f"{settings.risk_duplicate_hours:g} h: a double order?")
    method = next((m for m in WALLETS if m in settings.accounts and settings.accounts[m].number), None)
    if calls_for_advance and method is not None:
        return Decision(RiskBand.ADVANCE, tuple(calls_for_advance + calls_for_hold), advance_amount(amount, settings),
                        method)
    if calls_for_advance:
        calls_for_hold.append("no JazzCash / Easypaisa account to take an advance on")
    if calls_for_hold:
        return Decision(RiskBand.HOLD, tuple(calls_for_advance + calls_for_hold))
    return Decision(RiskBand.NORMAL)


def _open_order_just_before(session: Session, order: Order, hours: float) -> Optional[str]:
    """Another open order of the same customer placed within ``hours`` before this one (its ref)."""
    if not hours:
        return None
    return session.scalar(select(Order.ref).where(
        Order.customer_id == order.customer_id, Order.id != order.id, Order.status.not_in(FINISHED),
        Order.placed_at >= order.placed_at - timedelta(hours=hours)).order_by(Order.placed_at.desc()).limit(1))


def check(session: Session, customer: Customer, order: Order, settings: LifecycleSettings, now: datetime) -> Decision:
    """Assess a new COD order and record the decision; a held order goes to a person to call."""
    decision = assess(history(session, customer.id, excluding_order_id=order.id), order.amount, settings,
                      _open_order_just_before(session, order, settings.risk_duplicate_hours),
                      phones.is_mobile(customer.phone))
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
