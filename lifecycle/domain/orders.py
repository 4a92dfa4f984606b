"""Orders and their state machine, shipments and courier scans.

Every change goes through ``set_status``, which refuses impossible moves
(``TransitionError``) and keeps the history. Courier scans may arrive late or out of
order: a shipment's state follows its newest scan, and delivered / returned are final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.models import (
    CANCEL_REASONS,
    Cancellation,
    Customer,
    Order,
    OrderStatusChange,
    Payment,
    Shipment,
    ShipmentScan,
)
from lifecycle.domain import addresses, customers, recovery, risk, touchpoints
from lifecycle.domain.statuses import FINISHED, OrderStatus, RiskBand, ShipmentState, TouchpointKind

TRANSITIONS: dict[Optional[str], set[OrderStatus]] = {
    None: {OrderStatus.PENDING_CONFIRMATION, OrderStatus.PAYMENT_PENDING, OrderStatus.CONFIRMED},
    OrderStatus.PENDING_CONFIRMATION: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.PAYMENT_PENDING: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.DISPATCHED, OrderStatus.CANCELLED},
    OrderStatus.DISPATCHED: {
        OrderStatus.OUT_FOR_DELIVERY,
        OrderStatus.DELIVERED,
        OrderStatus.RETURNED,
        OrderStatus.CANCELLED,
    },
    OrderStatus.OUT_FOR_DELIVERY: {OrderStatus.DISPATCHED, OrderStatus.DELIVERED, OrderStatus.RETURNED},
    OrderStatus.DELIVERED: set(),
    OrderStatus.RETURNED: set(),
    OrderStatus.CANCELLED: set(),
}
FINAL_SHIPMENT_STATES = {ShipmentState.DELIVERED, ShipmentState.RETURNED, ShipmentState.CANCELLED}
# Open for changes by the customer (address, cancellation, modification).
OPEN_FOR_CHANGES = (OrderStatus.PENDING_CONFIRMATION, OrderStatus.PAYMENT_PENDING, OrderStatus.CONFIRMED)
ADDRESS_CHECK_AFTER = timedelta(minutes=1)
# Touchpoints that only make sense while the order waits for the customer.
AWAITING_CUSTOMER = (
    TouchpointKind.COD_CONFIRMATION,
    TouchpointKind.COD_REMINDER,
    TouchpointKind.COD_NO_ANSWER,
    TouchpointKind.PAYMENT_INSTRUCTIONS,
    TouchpointKind.PAYMENT_REMINDER,
)
# A shipment's state → the order's status it implies.
ORDER_STATUS_OF_SHIPMENT = {
    ShipmentState.OUT_FOR_DELIVERY: OrderStatus.OUT_FOR_DELIVERY,
    ShipmentState.DELIVERED: OrderStatus.DELIVERED,
    ShipmentState.RETURNED: OrderStatus.RETURNED,
    ShipmentState.IN_TRANSIT: OrderStatus.DISPATCHED,
    ShipmentState.ATTEMPTED: OrderStatus.DISPATCHED,
}


class TransitionError(ValueError):
    """An impossible move, e.g. a delivered order cancelled."""


class OrderNotFound(LookupError):
    def __init__(self, ref: str) -> None:
        super().__init__(f"unknown order {ref!r}")
        self.ref = ref


@dataclass(frozen=True)
class NewOrder:
    ref: str
    phone: str
    items: list[dict[str, Any]]
    amount: Decimal
    payment_method: str
    city: str
    address: str
    name: Optional[str] = None
    language: Optional[str] = None
    paid: bool = False  # prepaid and already verified by the shop (e.g. Shopify "paid")
    cart_ref: Optional[str] = None

    def columns(self) -> dict[str, Any]:
        """The fields the order row keeps as they are."""
        return {name: getattr(self, name) for name in ("ref", "items", "amount", "payment_method", "city", "address")}


def find(session: Session, ref: str) -> Order:
    order = session.scalar(select(Order).where(Order.ref == ref))
    if order is None:
        raise OrderNotFound(ref)
    return order


def set_status(session: Session, order: Order, to: str, source: str, now: datetime, note: Optional[str] = None) -> bool:
    """Move the order to ``to``; False if it is already there; TransitionError if impossible."""
    if order.status == to:
        return False
    if to not in TRANSITIONS.get(order.status, set()):
        raise TransitionError(f"order {order.ref} is {order.status}; it cannot become {to}")
    session.add(
        OrderStatusChange(order_id=order.id, from_status=order.status, to_status=to, source=source, note=note, at=now)
    )
    order.status, order.updated_at = to, now
    return True


def place(session: Session, new: NewOrder, now: datetime, settings: LifecycleSettings) -> Order:
    """Record a new order and schedule its first touchpoint (COD confirmation or payment instructions).

    A COD order first goes through the risk check (domain/risk.py): one that calls for an
    advance waits for that payment like a wallet order, for the advance's amount."""
    from lifecycle.domain import carts  # carts link back to the order that converted them

    customer = customers.get_or_create(session, new.phone, now, name=new.name, language=new.language)
    status = (
        OrderStatus.PENDING_CONFIRMATION
        if new.payment_method == "cod"
        else OrderStatus.CONFIRMED
        if new.paid
        else OrderStatus.PAYMENT_PENDING
    )
    order = Order(**new.columns(), customer_id=customer.id, status=status, placed_at=now, updated_at=now)
    session.add(order)
    session.flush()
    payment: Optional[Payment] = None
    if status == OrderStatus.PAYMENT_PENDING:
        payment = Payment(order_id=order.id, method=new.payment_method, amount=new.amount, created_at=now)
    elif status == OrderStatus.PENDING_CONFIRMATION:
        decision = risk.check(session, customer, order, settings, now)
        if decision.band == RiskBand.ADVANCE:
            order.status = status = OrderStatus.PAYMENT_PENDING
            payment = Payment(order_id=order.id, method=decision.method, amount=decision.advance, created_at=now)
    session.add(OrderStatusChange(order_id=order.id, from_status=None, to_status=status, source="merchant", at=now))
    if new.cart_ref:
        carts.convert(session, new.cart_ref, order, now)
    first = now + timedelta(seconds=settings.cod_confirm_delay)
    steps: list[tuple[str, datetime]] = []
    if status == OrderStatus.PENDING_CONFIRMATION:
        reminder = first + timedelta(seconds=settings.cod_reminder_after)
        steps = [
            (TouchpointKind.COD_CONFIRMATION, first),
            (TouchpointKind.COD_REMINDER, reminder),
            (TouchpointKind.COD_NO_ANSWER, reminder + timedelta(seconds=settings.cod_no_answer_after)),
        ]
    elif payment is not None:
        session.add(payment)
        steps = [
            (TouchpointKind.PAYMENT_INSTRUCTIONS, now),
            (TouchpointKind.PAYMENT_REMINDER, now + timedelta(seconds=settings.payment_reminder_after)),
        ]
    for kind, due in steps:
        touchpoints.schedule(session, kind, f"{kind}:{order.ref}", due, now, customer_id=customer.id, order_id=order.id)
    if status == OrderStatus.CONFIRMED:
        _confirm_address(session, order, now)
    return order


def _confirm_address(session: Session, order: Order, now: datetime) -> None:
    """A confirmed order whose address a rider may not find: ask for a location pin and a landmark
    (once confirmed, so that the question does not stand in the way of the confirmation)."""
    if order.location is None and addresses.weaknesses(order.address):
        kind = TouchpointKind.ADDRESS_CONFIRMATION
        touchpoints.schedule(session, kind, f"{kind}:{order.ref}", now + ADDRESS_CHECK_AFTER, now,
                             customer_id=order.customer_id, order_id=order.id)


def set_location(session: Session, order: Order, location: dict[str, Any], now: datetime) -> None:
    """The customer's location pin for the order's address (kept for the courier booking)."""
    if order.status not in OPEN_FOR_CHANGES:
        raise TransitionError(f"order {order.ref} is {order.status}; its address can no longer change")
    order.location, order.updated_at = dict(location), now
    touchpoints.cancel(session, now, "location shared", order_id=order.id,
                       kinds=(TouchpointKind.ADDRESS_CONFIRMATION,))
    touchpoints.notify_merchant(session, order, "order.location_shared", now)


def set_landmark(session: Session, order: Order, landmark: str, now: datetime) -> None:
    if order.status not in OPEN_FOR_CHANGES:
        raise TransitionError(f"order {order.ref} is {order.status}; its address can no longer change")
    order.landmark, order.updated_at = landmark.strip(), now
    touchpoints.notify_merchant(session, order, "order.landmark_shared", now)


def amount_due(order: Order) -> Decimal:
    """What the customer still pays on delivery: the order less the payments verified (an advance)."""
    paid = sum((p.amount for p in order.payments if p.status == "verified"), Decimal(0))
    return max(order.amount - paid, Decimal(0))


def confirm(session: Session, order: Order, source: str, now: datetime) -> bool:
    """Confirmed by the customer (COD) or by a verified payment; tells the merchant."""
    if not set_status(session, order, OrderStatus.CONFIRMED, source, now):
        return False
    order.needs_call = False
    touchpoints.cancel(session, now, "order confirmed", order_id=order.id, kinds=AWAITING_CUSTOMER)
    _confirm_address(session, order, now)
    customers.answered(session, order.customer, order_id=order.id)
    touchpoints.notify_merchant(session, order, "order.confirmed", now)
    return True


def cancel(
    session: Session,
    order: Order,
    source: str,
    now: datetime,
    reason: Optional[str] = None,
    free_text: Optional[str] = None,
) -> Cancellation:
    """Cancel (customer, merchant or no answer); stops pending touchpoints; asks why if no reason given."""
    if reason is not None and reason not in CANCEL_REASONS:
        raise ValueError(f"cancel reason must be one of {CANCEL_REASONS}, got {reason!r}")
    set_status(session, order, OrderStatus.CANCELLED, source, now, note=reason)
    cancellation = order.cancellation
    if cancellation is None:
        cancellation = Cancellation(order_id=order.id, source=source, created_at=now)
        session.add(cancellation)
        order.cancellation = cancellation
    if reason is not None:
        cancellation.reason, cancellation.free_text, cancellation.reason_at = reason, free_text, now
    touchpoints.cancel(session, now, "order cancelled", order_id=order.id)
    customers.answered(session, order.customer, order_id=order.id)
    touchpoints.notify_merchant(session, order, "order.cancelled", now)
    return cancellation


def record_cancel_reason(
    session: Session, order: Order, reason: str, free_text: Optional[str], now: datetime
) -> Cancellation:
    """The customer's reason for a cancelled order (kept with their own words)."""
    if reason not in CANCEL_REASONS:
        raise ValueError(f"cancel reason must be one of {CANCEL_REASONS}, got {reason!r}")
    if order.status != OrderStatus.CANCELLED or order.cancellation is None:
        raise TransitionError(f"order {order.ref} is {order.status}, not cancelled")
    cancellation = order.cancellation
    cancellation.reason, cancellation.free_text, cancellation.reason_at = reason, free_text, now
    customers.answered(session, order.customer, "cancel_reason", order.id)
    return cancellation


def update_address(session: Session, order: Order, address: str, city: Optional[str], now: datetime) -> None:
    if order.status not in OPEN_FOR_CHANGES:
        raise TransitionError(f"order {order.ref} is {order.status}; its address can no longer change")
    order.address, order.city, order.updated_at = address, city or order.city, now


def book_shipment(
    session: Session, order: Order, courier: str, cn: str, now: datetime, estimated_days: Optional[str] = None
) -> Shipment:
    """Shipment booked with a courier: the order is dispatched and the customer told."""
    existing = session.scalar(select(Shipment).where(Shipment.courier == courier, Shipment.cn == cn))
    if existing is not None:
        if existing.order_id != order.id:
            raise TransitionError(f"{courier} CN {cn} already belongs to another order")
        return existing
    set_status(session, order, OrderStatus.DISPATCHED, "merchant", now)
    shipment = Shipment(
        order_id=order.id,
        courier=courier,
        cn=cn,
        state=ShipmentState.BOOKED,
        state_at=now,
        booked_at=now,
        estimated_days=estimated_days,
    )
    session.add(shipment)
    session.flush()
    touchpoints.schedule(
        session,
        TouchpointKind.DISPATCH,
        f"dispatch:{shipment.id}",
        now,
        now,
        customer_id=order.customer_id,
        order_id=order.id,
        params={"shipment_id": shipment.id},
    )
    return shipment


def record_scan(
    session: Session,
    shipment: Shipment,
    raw_status: str,
    state: str,
    at: datetime,
    now: datetime,
    settings: LifecycleSettings,
    location: Optional[str] = None,
) -> Optional[ShipmentScan]:
    """Record one courier scan (None if already recorded) and move shipment and order forward.

    The shipment follows its newest scan; a scan older than one already recorded, or any
    scan after delivered / returned / cancelled, is kept in the timeline only.
    """
    if state not in set(ShipmentState):
        raise ValueError(f"shipment state must be one of {tuple(ShipmentState)}, got {state!r}")
    duplicate = session.scalar(
        select(ShipmentScan.id).where(
            ShipmentScan.shipment_id == shipment.id, ShipmentScan.raw_status == raw_status, ShipmentScan.at == at
        )
    )
    if duplicate is not None:
        return None
    scan = ShipmentScan(
        shipment_id=shipment.id, raw_status=raw_status, state=state, location=location, at=at, recorded_at=now
    )
    session.add(scan)
    session.flush()
    newest_before = session.scalar(
        select(func.max(ShipmentScan.at)).where(
            ShipmentScan.shipment_id == shipment.id,
            ShipmentScan.id != scan.id,
            ShipmentScan.state.in_(tuple(ShipmentState)),
        )
    )
    if shipment.state in FINAL_SHIPMENT_STATES or (newest_before is not None and at < newest_before):
        return scan
    previous, shipment.state, shipment.state_at = shipment.state, state, at
    _follow_shipment(session, shipment.order, shipment, state, at, now, settings)
    if state == ShipmentState.ATTEMPTED and previous != ShipmentState.ATTEMPTED and (
            shipment.order.status not in FINISHED):  # one attempt however many scans describe it
        recovery.record_attempt(session, shipment.order, shipment, raw_status, at, now, settings.engagement.sla_minutes)
    return scan


def _follow_shipment(
    session: Session,
    order: Order,
    shipment: Shipment,
    state: str,
    at: datetime,
    now: datetime,
    settings: LifecycleSettings,
) -> None:
    """The order's status and touchpoints for a shipment's new state."""
    target = ORDER_STATUS_OF_SHIPMENT.get(ShipmentState(state))
    if target is None or order.status in FINISHED:
        return
    if order.status == OrderStatus.CONFIRMED:  # scans before the merchant told us of the booking
        set_status(session, order, OrderStatus.DISPATCHED, "courier", now)
    set_status(session, order, target, "courier", now, note=f"{shipment.courier} {shipment.cn}")
    base: touchpoints.Links = {
        "customer_id": order.customer_id,
        "order_id": order.id,
        "params": {"shipment_id": shipment.id},
    }
    if state == ShipmentState.OUT_FOR_DELIVERY:
        day = at.astimezone(_zone(settings)).date().isoformat()
        kind = TouchpointKind.OUT_FOR_DELIVERY
        touchpoints.schedule(session, kind, f"{kind}:{shipment.id}:{day}", now, now, **base)
    elif state == ShipmentState.DELIVERED:
        touchpoints.cancel(
            session,
            now,
            "delivered",
            order_id=order.id,
            kinds=(TouchpointKind.OUT_FOR_DELIVERY, TouchpointKind.DISPATCH),
        )
        touchpoints.schedule(session, TouchpointKind.DELIVERED, f"delivered:{order.ref}", now, now, **base)
        touchpoints.schedule(
            session, TouchpointKind.CSAT, f"csat:{order.ref}", now + timedelta(seconds=settings.csat_after), now, **base
        )


def _zone(settings: LifecycleSettings) -> ZoneInfo:
    return ZoneInfo(settings.timezone)


def open_orders(session: Session, customer: Customer) -> list[Order]:
    """The customer's orders that are not finished, newest first."""
    return list(
        session.scalars(
            select(Order)
            .where(Order.customer_id == customer.id, Order.status.not_in(FINISHED))
            .order_by(Order.placed_at.desc(), Order.id.desc())
        )
    )


def latest(session: Session, customer: Customer) -> Optional[Order]:
    return session.scalar(
        select(Order).where(Order.customer_id == customer.id).order_by(Order.placed_at.desc(), Order.id.desc()).limit(1)
    )


def format_items(items: list[dict[str, Any]]) -> str:
    """``2 x Lawn 3-piece (M, white), 1 x Khussa``"""
    parts = []
    for item in items:
        extras = ", ".join(str(item[k]) for k in ("size", "colour") if item.get(k))
        parts.append(f"{item.get('quantity', 1)} x {item['name']}" + (f" ({extras})" if extras else ""))
    return ", ".join(parts)


def format_amount(amount: Decimal) -> str:
    """``2,500`` or ``2,499.50``"""
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
