"""What each kind of touchpoint does when it falls due, and when it no longer applies.

A handler looks at the touchpoint's order as it is now and returns a ``Plan``: a message
from templates.yml to send (and the question it leaves pending), a merchant webhook, or a
reason to skip. ``HANDLERS`` are the order lifecycle's; the flows have tables of their own, and
the composition root joins them into one registry (engine/registry.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.delivery_models import DeliveryRecovery
from lifecycle.db.models import Customer, Order, Payment, Shipment, Touchpoint
from lifecycle.domain import discount_codes, escalations, orders
from lifecycle.domain.statuses import OrderStatus, ShipmentState, TouchpointKind
from lifecycle.integrations.couriers.names import courier_key, display_name

WALLET_NAMES = {"jazzcash": "JazzCash", "easypaisa": "Easypaisa"}
NAME_FALLBACK = {"roman_urdu": "janab", "english": "there"}


@dataclass
class Plan:
    """``send`` a message, post a ``webhook`` to the merchant, or ``skip`` / ``done`` with a reason."""

    action: str
    message: Optional[str] = None
    variables: dict[str, Any] = field(default_factory=dict)
    ask: Optional[str] = None  # the PendingQuestion kind this message leaves open
    webhook: Optional[dict[str, Any]] = None
    reason: str = ""


@dataclass(frozen=True)
class Context:
    session: Session
    touchpoint: Touchpoint
    customer: Customer
    order: Optional[Order]
    settings: LifecycleSettings
    now: datetime


Handler = Callable[[Context], Plan]


def courier_name(courier: str) -> str:
    return display_name(courier_key(courier))


def tracking_url(settings: LifecycleSettings, shipment: Shipment) -> str:
    return f"{settings.public_url.rstrip('/')}/track/{shipment.tracking_token}"


def customer_name(ctx: Context) -> str:
    """The customer's name, or a polite form of address in their language."""
    return ctx.customer.name or NAME_FALLBACK.get(ctx.customer.language, "janab")


def send_with_code(
    ctx: Context,
    message: str,
    variables: dict[str, Any],
    purpose: str,
    percent: int,
    valid: timedelta,
    cart_id: Optional[int] = None,
) -> Plan:
    """Send ``message`` with a discount code issued for this touchpoint (the same code if it is retried)."""
    code = discount_codes.issue(
        ctx.session, ctx.touchpoint.key, purpose, ctx.customer.id, percent, valid, ctx.now, cart_id=cart_id
    )
    return Plan("send", message, {**variables, "percent": code.percent, "code": code.code})


def order_variables(ctx: Context) -> dict[str, Any]:
    order = ctx.order
    return {"name": customer_name(ctx), "order_ref": order.ref,
            "items": orders.format_items(order.items), "amount": orders.format_amount(order.amount),
            "city": order.city}


def _unless_status(ctx: Context, *statuses: str) -> Optional[Plan]:
    if ctx.order.status not in statuses:
        return Plan("skip", reason=f"order {ctx.order.ref} is {ctx.order.status}")
    return None


def _send(ctx: Context, message: str, ask: Optional[str] = None, **extra: Any) -> Plan:
    return Plan("send", message, {**order_variables(ctx), **extra}, ask=ask)


def cod_confirmation(ctx: Context) -> Plan:
    return _unless_status(ctx, OrderStatus.PENDING_CONFIRMATION) or _send(ctx, "cod_confirmation", ask="confirm_order")


def cod_reminder(ctx: Context) -> Plan:
    return _unless_status(ctx, OrderStatus.PENDING_CONFIRMATION) or _send(ctx, "cod_reminder", ask="confirm_order")


def cod_no_answer(ctx: Context) -> Plan:
    """No answer to the confirmation or the reminder: the merchant chose auto-cancel or a call."""
    stop = _unless_status(ctx, OrderStatus.PENDING_CONFIRMATION)
    if stop:
        return stop
    if ctx.settings.cod_no_answer_action == "call":
        ctx.order.needs_call = True
        escalations.flag(ctx.session, ctx.customer, "cod_no_answer",
                         f"COD order {ctx.order.ref} not confirmed on WhatsApp: please call", ctx.now, ctx.order)
        return Plan("done", reason="flagged for a call")
    orders.cancel(ctx.session, ctx.order, "no_answer", ctx.now)
    return _send(ctx, "cod_auto_cancelled")


def address_confirmation(ctx: Context) -> Plan:
    """A weak address: a location pin and a landmark asked (the pin comes back as share_location)."""
    stop = _unless_status(ctx, *orders.OPEN_FOR_CHANGES)
    if stop:
        return stop
    if ctx.order.location is not None:
        return Plan("skip", reason="the customer already shared a location")
    return _send(ctx, "address_confirmation", address=ctx.order.address)


def _payment(ctx: Context) -> Payment:
    """The order's newest payment (the whole amount, or the advance on a risky COD order)."""
    payment: Optional[Payment] = ctx.session.scalar(
        select(Payment).where(Payment.order_id == ctx.order.id).order_by(Payment.id.desc()).limit(1)
    )
    if payment is None:
        raise LookupError(f"order {ctx.order.ref} has no payment")
    return payment


def _wallet(ctx: Context, payment: Payment) -> dict[str, Any]:
    account = ctx.settings.accounts.get(payment.method)
    if account is None or not account.number:
        raise LookupError(f"no {payment.method} account configured (SAUDA_{payment.method.upper()}_ACCOUNT)")
    return {"method": WALLET_NAMES.get(payment.method, payment.method), "account": account.number,
            "account_title": account.title or ctx.settings.store_name,
            "amount": orders.format_amount(payment.amount)}


def payment_instructions(ctx: Context) -> Plan:
    """The wallet payment; for a COD order the risk check held, the advance and what is left for delivery."""
    stop = _unless_status(ctx, OrderStatus.PAYMENT_PENDING)
    if stop:
        return stop
    payment = _payment(ctx)
    if ctx.order.payment_method == "cod":
        return _send(ctx, "advance_request", ask="transaction_id", total=orders.format_amount(ctx.order.amount),
                     advance=orders.format_amount(payment.amount),
                     rest=orders.format_amount(ctx.order.amount - payment.amount), **_wallet(ctx, payment))
    return _send(ctx, "payment_instructions", ask="transaction_id", **_wallet(ctx, payment))


def payment_reminder(ctx: Context) -> Plan:
    stop = _unless_status(ctx, OrderStatus.PAYMENT_PENDING)
    if stop:
        return stop
    payment = _payment(ctx)
    if payment.status != "awaited":
        return Plan("skip", reason=f"payment is {payment.status}")
    return _send(ctx, "payment_reminder", ask="transaction_id", **_wallet(ctx, payment))


def payment_received(ctx: Context) -> Plan:
    return _unless_status(ctx, OrderStatus.CONFIRMED, OrderStatus.DISPATCHED) or _send(
        ctx, "payment_received", amount=orders.format_amount(_payment(ctx).amount))


def order_cancelled(ctx: Context) -> Plan:
    return _unless_status(ctx, OrderStatus.CANCELLED) or _send(ctx, "order_cancelled", ask="cancel_reason")


def _shipment(ctx: Context) -> Shipment:
    return ctx.session.get_one(Shipment, ctx.touchpoint.params["shipment_id"])


def dispatch(ctx: Context) -> Plan:
    stop = _unless_status(ctx, OrderStatus.DISPATCHED, OrderStatus.OUT_FOR_DELIVERY)
    if stop:
        return stop
    shipment = _shipment(ctx)
    return _send(ctx, "dispatch", courier=courier_name(shipment.courier), cn=shipment.cn,
                 days=shipment.estimated_days or ctx.settings.default_delivery_days,
                 tracking_url=tracking_url(ctx.settings, shipment))


def delivery_failed(ctx: Context) -> Plan:
    """A failed attempt: the customer asked at once whether to deliver again, change the address
    or time, or cancel (the answer is read in conversation/replies.py)."""
    stop = _unless_status(ctx, OrderStatus.DISPATCHED, OrderStatus.OUT_FOR_DELIVERY)
    if stop:
        return stop
    shipment = _shipment(ctx)
    if shipment.state != ShipmentState.ATTEMPTED:
        return Plan("skip", reason=f"the parcel is {shipment.state} again")
    attempt = ctx.session.get_one(DeliveryRecovery, ctx.touchpoint.params["recovery_id"])
    return _send(ctx, "delivery_failed", ask="delivery_failed", courier=courier_name(shipment.courier),
                 courier_said=attempt.raw_status)


def out_for_delivery(ctx: Context) -> Plan:
    stop = _unless_status(ctx, OrderStatus.OUT_FOR_DELIVERY)
    if stop:
        return stop
    courier = courier_name(_shipment(ctx).courier)
    if ctx.order.payment_method == "cod":
        return _send(ctx, "out_for_delivery_cod", courier=courier,
                     amount=orders.format_amount(orders.amount_due(ctx.order)))
    return _send(ctx, "out_for_delivery_paid", courier=courier)


def delivered(ctx: Context) -> Plan:
    return _unless_status(ctx, OrderStatus.DELIVERED) or _send(ctx, "delivered")


def merchant_webhook(ctx: Context) -> Plan:
    if not ctx.settings.merchant_webhook_url:
        return Plan("skip", reason="no SAUDA_MERCHANT_WEBHOOK_URL")
    order, cancellation = ctx.order, ctx.order.cancellation
    body: dict[str, Any] = {"event": ctx.touchpoint.params["event"], "id": ctx.touchpoint.key,
                            "order_id": order.ref, "status": order.status,
                            "at": ctx.touchpoint.created_at.isoformat()}
    if cancellation is not None:
        body["cancellation"] = {"source": cancellation.source, "reason": cancellation.reason}
    # what the merchant books the courier with: the address, and the pin and landmark once shared
    body["delivery"] = {"address": order.address, "city": order.city, "location": order.location,
                        "landmark": order.landmark}
    attempt = ctx.session.scalar(select(DeliveryRecovery).where(DeliveryRecovery.order_id == order.id)
                                 .order_by(DeliveryRecovery.id.desc()).limit(1))
    if attempt is not None:
        body["failed_delivery"] = {"attempt": attempt.attempt, "courier_said": attempt.raw_status,
                                   "choice": attempt.choice, "detail": attempt.detail}
    return Plan("webhook", webhook=body)


HANDLERS: dict[str, Handler] = {
    TouchpointKind.COD_CONFIRMATION: cod_confirmation,
    TouchpointKind.COD_REMINDER: cod_reminder,
    TouchpointKind.COD_NO_ANSWER: cod_no_answer,
    TouchpointKind.ADDRESS_CONFIRMATION: address_confirmation,
    TouchpointKind.PAYMENT_INSTRUCTIONS: payment_instructions,
    TouchpointKind.PAYMENT_REMINDER: payment_reminder,
    TouchpointKind.PAYMENT_RECEIVED: payment_received,
    TouchpointKind.ORDER_CANCELLED: order_cancelled,
    TouchpointKind.DISPATCH: dispatch,
    TouchpointKind.OUT_FOR_DELIVERY: out_for_delivery,
    TouchpointKind.DELIVERY_FAILED: delivery_failed,
    TouchpointKind.DELIVERED: delivered,
    TouchpointKind.MERCHANT_WEBHOOK: merchant_webhook,
}
