"""Failed-delivery recovery. A courier scan meaning the rider could not deliver (attempted,
refused, customer not available: each courier's raw statuses map to ``ShipmentState.ATTEMPTED``)
asks the customer at once what to do: deliver again tomorrow, change the address or time, or
cancel. The answer is kept (``DeliveryRecovery``) and reaches the merchant as a signed webhook
and a task in the console queue; a second failure of the same parcel goes to a person, with
the escalation SLA.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle.db.delivery_models import DeliveryRecovery
from lifecycle.db.models import Order, Shipment
from lifecycle.domain import customers, escalations, touchpoints
from lifecycle.domain.statuses import DeliveryChoice, TouchpointKind

FAILED_EVENT, CHOICE_EVENT = "delivery.failed", "delivery.choice"


def record_attempt(session: Session, order: Order, shipment: Shipment, raw_status: str, at: datetime,
                   now: datetime, sla_minutes: float) -> DeliveryRecovery:
    """A failed attempt: kept, the customer asked at once, the merchant told; a second one escalated."""
    attempt = 1 + (session.scalar(select(func.count()).select_from(DeliveryRecovery)
                                  .where(DeliveryRecovery.shipment_id == shipment.id)) or 0)
    recovery = DeliveryRecovery(order_id=order.id, shipment_id=shipment.id, attempt=attempt, raw_status=raw_status,
                                failed_at=at, created_at=now)
    session.add(recovery)
    session.flush()
    kind = TouchpointKind.DELIVERY_FAILED
    touchpoints.schedule(session, kind, f"{kind}:{shipment.id}:{attempt}", now, now, customer_id=order.customer_id,
                         order_id=order.id, params={"shipment_id": shipment.id, "recovery_id": recovery.id})
    touchpoints.notify_merchant(session, order, FAILED_EVENT, now, key=str(recovery.id))
    if attempt > 1:
        escalations.flag(session, order.customer, "delivery_failed_again",
                         f"order {order.ref}: {shipment.courier} {shipment.cn} not delivered {attempt} times "
                         f"(latest: {raw_status}); please call the customer", now, order,
                         sla_minutes=sla_minutes)
    return recovery


def awaiting(session: Session, order_id: int) -> Optional[DeliveryRecovery]:
    """The order's newest failed attempt the customer has not answered yet."""
    return session.scalar(select(DeliveryRecovery).where(DeliveryRecovery.order_id == order_id,
                                                         DeliveryRecovery.choice.is_(None))
                          .order_by(DeliveryRecovery.id.desc()).limit(1))


def answer(session: Session, recovery: DeliveryRecovery, choice: DeliveryChoice, detail: Optional[str],
           now: datetime) -> None:
    """The customer's choice: kept, sent to the merchant and queued for a person to pass to the courier."""
    recovery.choice, recovery.detail, recovery.answered_at = choice, detail, now
    order = session.get_one(Order, recovery.order_id)
    customers.answered(session, order.customer, "delivery_failed", order.id)
    touchpoints.notify_merchant(session, order, CHOICE_EVENT, now, key=str(recovery.id))
    what = {DeliveryChoice.REATTEMPT: "deliver again tomorrow", DeliveryChoice.CANCEL: "cancel: send it back",
            DeliveryChoice.RESCHEDULE: f"new address / time: {detail}"}[choice]
    note = f"order {order.ref}, failed attempt {recovery.attempt} ({recovery.raw_status}): {what}"
    escalations.flag(session, order.customer, "delivery_choice", note, now, order)


def answer_from_page(session: Session, shipment: Shipment, choice: DeliveryChoice, detail: Optional[str],
                     now: datetime) -> bool:
    """The tracking page's choice, as if tapped on WhatsApp; False when nothing waits for one (or a
    change comes without its details)."""
    attempt = awaiting(session, shipment.order_id)
    detail = (detail or "").strip() or None
    if attempt is None or attempt.shipment_id != shipment.id or (choice == DeliveryChoice.RESCHEDULE and not detail):
        return False
    answer(session, attempt, choice, detail, now)
    return True
