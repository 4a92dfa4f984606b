"""What Sauda answers in a conversation about orders, payments, cancellations and preferences.

Each function resolves the customer's message against the database (by phone, the order
id in a button payload, or the question left pending) and returns ``Say`` items: a domain
response with its variables (fixed sentences a designer edits in domain/), or a text
composed here from order data. The rasa-sdk actions only pass these on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Optional

from sqlalchemy.orm import Session

from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.models import CANCEL_REASONS, Customer, Order, PendingQuestion
from lifecycle.domain import addresses, carts, customers, escalations, orders, payments, recovery
from lifecycle.domain.statuses import DeliveryChoice, OrderStatus
from lifecycle.engine.handlers import courier_name, tracking_url
from lifecycle.engine.templates import Templates
from lifecycle.flows import engagement

OPEN_FOR_CHANGES = orders.OPEN_FOR_CHANGES
MODIFICATIONS = {"size": {"roman_urdu": "size", "english": "the size"},
                 "colour": {"roman_urdu": "rang", "english": "the colour"}}


@dataclass
class Say:
    """A domain response (``response`` + ``variables``) or a composed ``text`` (+ buttons)."""

    response: Optional[str] = None
    variables: dict[str, Any] = field(default_factory=dict)
    text: Optional[str] = None
    buttons: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Reply:
    says: list[Say] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    followup: Optional[str] = None  # an action to run next instead (the message was not for this one)

    def add(
        self,
        response: Optional[str] = None,
        text: Optional[str] = None,
        buttons: Optional[list[dict[str, str]]] = None,
        **variables: Any,
    ) -> "Reply":
        self.says.append(Say(response, variables, text, list(buttons or [])))
        return self


@dataclass
class Turn:
    """One customer message as the actions see it."""

    session: Session
    phone: str
    language: str
    now: datetime
    settings: LifecycleSettings
    templates: Templates
    text: str = ""
    order_ref: Optional[str] = None

    @property
    def customer(self) -> Customer:
        return customers.get_or_create(self.session, self.phone, self.now, language=self.language)

    def compose(self, message: str, **variables: Any) -> str:
        return self.templates.text(message, self.language, **variables)


def _own_order(turn: Turn, customer: Customer, ref: Optional[str]) -> Optional[Order]:
    """The order ``ref`` if it is this customer's (never reveal another customer's order)."""
    if not ref:
        return None
    try:
        order = orders.find(turn.session, ref.lstrip("#"))
    except orders.OrderNotFound:
        return None
    return order if order.customer_id == customer.id else None


def _pending_order(turn: Turn, customer: Customer, *kinds: str) -> Optional[Order]:
    pending = customers.pending(turn.session, customer)
    if pending is not None and pending.kind in kinds and pending.order_id:
        return turn.session.get(Order, pending.order_id)
    return None


def _target(turn: Turn, customer: Customer, pending_kinds: tuple[str, ...], statuses: tuple[str, ...]) -> Optional[Order]:
    """The order a message is about: the one named, else the pending one, else the newest open one."""
    if turn.order_ref:
        return _own_order(turn, customer, turn.order_ref)
    order = _pending_order(turn, customer, *pending_kinds)
    if order is not None:
        return order
    candidates = [o for o in orders.open_orders(turn.session, customer) if o.status in statuses]
    return candidates[0] if candidates else None


def _not_found(turn: Turn, reply: Reply) -> Reply:
    if turn.order_ref:
        return reply.add("utter_order_not_found", order_ref=turn.order_ref)
    return reply.add("utter_ask_order_id")


def order_status(turn: Turn) -> Reply:
    customer, reply = turn.customer, Reply()
    order = _own_order(turn, customer, turn.order_ref) if turn.order_ref else orders.latest(turn.session, customer)
    if order is None:
        return _not_found(turn, reply)
    status_text = turn.templates.status_text(order.status, turn.language)
    shipment = order.shipments[-1] if order.shipments else None
    if shipment is not None and order.status in (OrderStatus.DISPATCHED, OrderStatus.OUT_FOR_DELIVERY):
        text = turn.compose("order_status_shipped", order_ref=order.ref, status_text=status_text,
                            courier=courier_name(shipment.courier), cn=shipment.cn,
                            tracking_url=tracking_url(turn.settings, shipment))
    else:
        text = turn.compose("order_status", order_ref=order.ref, status_text=status_text)
    reply.slots["order_id"] = order.ref
    return reply.add(text=text)


def _not_changeable(turn: Turn, order: Order, reply: Reply) -> Reply:
    return reply.add(text=turn.compose("order_not_changeable", order_ref=order.ref,
                                       status_text=turn.templates.status_text(order.status, turn.language)))


def confirm_order(turn: Turn) -> Reply:
    """"Confirm" tapped or typed: confirms the COD order it is about."""
    customer, reply = turn.customer, Reply()
    order = _target(turn, customer, ("confirm_order",), (OrderStatus.PENDING_CONFIRMATION,))
    if order is None:
        if turn.order_ref:
            return _not_found(turn, reply)
        return reply.add("utter_nothing_pending")
    reply.slots["order_id"] = order.ref
    if order.status == OrderStatus.PENDING_CONFIRMATION:
        orders.confirm(turn.session, order, "customer", turn.now)
    elif order.status not in (OrderStatus.CONFIRMED, OrderStatus.DISPATCHED, OrderStatus.OUT_FOR_DELIVERY,
                              OrderStatus.DELIVERED):
        return _not_changeable(turn, order, reply)
    return reply.add("utter_order_confirmed", text=turn.compose("order_confirmed_reply", order_ref=order.ref),
                     order_ref=order.ref)


def cancel_order(turn: Turn) -> Reply:
    """"Cancel" tapped or typed: the order is cancelled at once and confirmed with its reference;
    then the customer is asked why (the reason is attached to this cancellation when it comes).
    After a failed delivery attempt it is the customer's choice for the parcel."""
    customer, reply = turn.customer, Reply()
    pending = customers.pending(turn.session, customer)
    if pending is not None and pending.kind == "delivery_failed":
        return failed_delivery_choice(turn, customer, pending, DeliveryChoice.CANCEL, None)
    order = _target(turn, customer, ("confirm_order", "transaction_id"), OPEN_FOR_CHANGES)
    if order is None:
        return _not_found(turn, reply)
    reply.slots["order_id"] = order.ref
    if order.status in OPEN_FOR_CHANGES:
        orders.cancel(turn.session, order, "customer", turn.now)
    elif order.status != OrderStatus.CANCELLED:
        return reply.add("utter_cancel_not_possible", order_ref=order.ref)
    reply.add("utter_order_cancelled", order_ref=order.ref)
    if order.cancellation is not None and order.cancellation.reason is None:
        customers.ask(turn.session, customer, "cancel_reason", order.id, turn.now)
        reply.add("utter_ask_cancel_reason", order_ref=order.ref)
    return reply


def record_cancel_reason(turn: Turn, reason: Optional[str], detail: Optional[str]) -> Reply:
    """A reason for cancelling, attached to the cancellation (an open order given a reason is
    cancelled with it now). A customer who cancelled is then offered an updated order instead."""
    customer, reply = turn.customer, Reply()
    reason = reason if reason in CANCEL_REASONS else "other"
    order = _target(turn, customer, ("cancel_reason",), OPEN_FOR_CHANGES)
    if order is None:
        return _not_found(turn, reply)
    reply.slots["order_id"] = order.ref
    free_text = detail or (turn.text if turn.text and not turn.text.startswith("/") else None)
    if order.status in OPEN_FOR_CHANGES:
        orders.cancel(turn.session, order, "customer", turn.now, reason=reason, free_text=free_text)
        reply.add("utter_order_cancelled", order_ref=order.ref)
    elif order.status == OrderStatus.CANCELLED:
        orders.record_cancel_reason(turn.session, order, reason, free_text, turn.now)
    else:
        return reply.add("utter_cancel_not_possible", order_ref=order.ref)
    if not _cancelled_by_customer(order):
        return reply.add(text=turn.compose("cancel_reason_noted", order_ref=order.ref))
    customers.ask(turn.session, customer, "modify_offer", order.id, turn.now)
    return reply.add("utter_offer_modify", order_ref=order.ref, order_id=order.ref)


def _cancelled_by_customer(order: Order) -> bool:
    return order.status == OrderStatus.CANCELLED and order.cancellation is not None and (
        order.cancellation.source == "customer")


def _updated_order(turn: Turn, customer: Customer, order: Order, change: str) -> None:
    """The customer wants the order they cancelled again, changed: a person makes the new order."""
    customers.answered(turn.session, customer, order_id=order.id)
    escalations.flag(turn.session, customer, "modify_order",
                     f"order {order.ref} (cancelled by the customer): make an updated order with {change}",
                     turn.now, order)


def modify_order(turn: Turn, modification: Optional[str]) -> Reply:
    """Change size / colour instead: a person makes the change before dispatch, or, for an order
    the customer just cancelled, makes an updated order."""
    customer, reply = turn.customer, Reply()
    order = _target(turn, customer, ("modify_offer", "cancel_reason", "confirm_order"), OPEN_FOR_CHANGES)
    if order is None:
        return _not_found(turn, reply)
    reply.slots["order_id"] = order.ref
    if order.status not in OPEN_FOR_CHANGES and not _cancelled_by_customer(order):
        return _not_changeable(turn, order, reply)
    if modification not in MODIFICATIONS:
        return reply.add("utter_ask_modify_what", text=turn.compose("modify_offer", order_ref=order.ref),
                         order_ref=order.ref, order_id=order.ref)
    change = MODIFICATIONS[modification]["english"]
    if order.status == OrderStatus.CANCELLED:
        _updated_order(turn, customer, order, f"a different {modification}")
    else:
        customers.answered(turn.session, customer, order_id=order.id)
        escalations.flag(turn.session, customer, "modify_order",
                         f"order {order.ref}: customer wants to change {change}", turn.now, order)
    return reply.add("utter_modify_noted", order_ref=order.ref,
                     change=MODIFICATIONS[modification].get(turn.language, modification))


_CHOICE_NOTED = {DeliveryChoice.REATTEMPT: "delivery_reattempt_noted", DeliveryChoice.RESCHEDULE: "delivery_details_noted",
                 DeliveryChoice.CANCEL: "delivery_cancel_noted"}


def failed_delivery_choice(turn: Turn, customer: Customer, pending: PendingQuestion, choice: DeliveryChoice,
                           detail: Optional[str]) -> Reply:
    """The answer to "deliver again, change the address or time, or cancel?" after a failed attempt:
    kept and passed to the merchant; a change without its details first asks for them."""
    order = turn.session.get_one(Order, pending.order_id)
    reply = Reply(slots={"order_id": order.ref})
    attempt = recovery.awaiting(turn.session, order.id)
    if attempt is None:  # answered already (on the tracking page, or in another message)
        customers.answered(turn.session, customer, order_id=order.id)
        return reply.add(text=turn.compose("order_status", order_ref=order.ref,
                                           status_text=turn.templates.status_text(order.status, turn.language)))
    if choice == DeliveryChoice.RESCHEDULE and not detail:
        customers.ask(turn.session, customer, "delivery_failed", order.id, turn.now, data={"detail": True})
        return reply.add(text=turn.compose("delivery_ask_details", order_ref=order.ref))
    recovery.answer(turn.session, attempt, choice, detail, turn.now)
    return reply.add(text=turn.compose(_CHOICE_NOTED[choice], order_ref=order.ref, detail=detail))


# What "haan" / "nahi" means after each kind of question; other flows add theirs.
PendingResolver = Callable[[Turn, Customer, PendingQuestion, bool], Reply]
PENDING_RESOLVERS: dict[str, PendingResolver] = {}


def pending_resolver(kind: str) -> Callable[[PendingResolver], PendingResolver]:
    def register(fn: PendingResolver) -> PendingResolver:
        PENDING_RESOLVERS[kind] = fn
        return fn
    return register


def resolve_pending(turn: Turn, affirm: bool) -> Reply:
    customer = turn.customer
    pending = customers.pending(turn.session, customer)
    if pending is None or pending.kind not in PENDING_RESOLVERS:
        return Reply().add("utter_nothing_pending")
    return PENDING_RESOLVERS[pending.kind](turn, customer, pending, affirm)


@pending_resolver("confirm_order")
def _resolve_confirmation(turn: Turn, customer: Customer, pending: PendingQuestion, affirm: bool) -> Reply:
    turn.order_ref = turn.session.get(Order, pending.order_id).ref
    return confirm_order(turn) if affirm else cancel_order(turn)


@pending_resolver("modify_offer")
def _resolve_modify_offer(turn: Turn, customer: Customer, pending: PendingQuestion, affirm: bool) -> Reply:
    order = turn.session.get(Order, pending.order_id)
    if affirm:
        turn.order_ref = order.ref
        return modify_order(turn, None)
    customers.answered(turn.session, customer, order_id=order.id)
    return Reply(slots={"order_id": order.ref}).add(text=turn.compose("cancel_closing", order_ref=order.ref))


@pending_resolver("cancel_reason")
def _resolve_cancel_reason(turn: Turn, customer: Customer, pending: PendingQuestion, affirm: bool) -> Reply:
    """"haan" asks for the reason again; "nahi" (no reason to give) is respected."""
    order = turn.session.get(Order, pending.order_id)
    if affirm:
        return Reply(slots={"order_id": order.ref}).add("utter_ask_cancel_reason", order_ref=order.ref)
    customers.answered(turn.session, customer, order_id=order.id)
    return Reply(slots={"order_id": order.ref}).add(text=turn.compose("cancel_closing", order_ref=order.ref))


@pending_resolver("delivery_failed")
def _resolve_failed_delivery(turn: Turn, customer: Customer, pending: PendingQuestion, affirm: bool) -> Reply:
    """"haan" (deliver again) is the first button; "nahi" asks what they would like instead."""
    return failed_delivery_choice(turn, customer, pending,
                                  DeliveryChoice.REATTEMPT if affirm else DeliveryChoice.RESCHEDULE, None)


@pending_resolver("transaction_id")
def _resolve_transaction_id(turn: Turn, customer: Customer, pending: PendingQuestion, affirm: bool) -> Reply:
    return Reply().add("utter_ask_transaction_id")


def capture_transaction_id(turn: Turn, entity: Optional[str]) -> Reply:
    """A transaction ID, bare, in a sentence or in a pasted SMS: attached to the awaited payment."""
    customer, reply = turn.customer, Reply()
    payment = payments.awaited(turn.session, customer)
    transaction_id = payments.extract_transaction_id(turn.text) or payments.extract_transaction_id(entity or "")
    if payment is None:
        return reply.add("utter_ask_transaction_id") if transaction_id is None else _not_awaited(turn, reply)
    if transaction_id is None:
        return reply.add("utter_transaction_id_invalid")
    payments.submit(turn.session, payment, transaction_id, turn.text, turn.now)
    order = turn.session.get(Order, payment.order_id)
    reply.slots["order_id"] = order.ref
    return reply.add("utter_transaction_id_received", text=turn.compose(
        "transaction_id_received", order_ref=order.ref, transaction_id=transaction_id),
        transaction_id=transaction_id, order_ref=order.ref)


def _not_awaited(turn: Turn, reply: Reply) -> Reply:
    latest = orders.latest(turn.session, turn.customer)
    if latest is None:
        return reply.add("utter_ask_order_id")
    return reply.add(text=turn.compose("order_status", order_ref=latest.ref,
                                       status_text=turn.templates.status_text(latest.status, turn.language)))


def media_received(turn: Turn) -> Reply:
    """A picture or document: with a payment awaited it is the receipt (kept by the channel hook)."""
    if payments.awaited(turn.session, turn.customer) is not None:
        return Reply().add("utter_payment_screenshot_received")
    return Reply().add("utter_media_received")


def catalog_order(turn: Turn, order: Optional[dict], wamid: str) -> Reply:
    """An order sent from the WhatsApp catalogue: kept as the customer's cart (by its wamid,
    so a redelivery changes nothing) and acknowledged; the shop turns it into an order."""
    items = []
    for item in (order or {}).get("product_items") or []:
        try:
            items.append({"sku": str(item["product_retailer_id"]), "quantity": int(item.get("quantity", 1)),
                          "price": str(Decimal(str(item.get("item_price", 0)))), "currency": item.get("currency")})
        except (KeyError, ValueError, InvalidOperation):
            continue  # an unreadable line is skipped; the rest of the order is kept
    if items:
        total = sum(Decimal(i["price"]) * i["quantity"] for i in items)
        cart = carts.upsert(turn.session, f"whatsapp-{wamid}", items, total, turn.now, phone=turn.phone)
        engagement.cart_changed(turn.session, cart, turn.now, turn.settings.engagement)
    return Reply().add("utter_order_received")


def update_address(turn: Turn, city: Optional[str], location: Optional[dict]) -> Reply:
    """A typed address, a location pin or the landmark asked after it, for the customer's open
    order (or for the updated order that replaces one they cancelled)."""
    customer, reply = turn.customer, Reply()
    order = _target(turn, customer, ("confirm_order", "modify_offer", "address"), OPEN_FOR_CHANGES)
    if location:
        return _location(turn, customer, order, location, reply)
    if order is None:
        return _not_found(turn, reply)
    reply.slots["order_id"] = order.ref
    address = turn.text.strip()
    pending = customers.pending(turn.session, customer)
    if (pending is not None and pending.kind == "address" and pending.order_id == order.id
            and pending.data.get("landmark") and address and not address.startswith("/")):
        orders.set_landmark(turn.session, order, address, turn.now)
        customers.answered(turn.session, customer, order_id=order.id)
        return reply.add(text=turn.compose("landmark_saved", order_ref=order.ref, landmark=order.landmark))
    if address.startswith("/") or not addresses.looks_like_address(address, city):
        customers.ask(turn.session, customer, "address", order.id, turn.now)  # the next statement is the address
        return reply.add("utter_ask_address")
    if _cancelled_by_customer(order):
        _updated_order(turn, customer, order, f"the address {address}")
    else:
        try:
            orders.update_address(turn.session, order, address, city, turn.now)
        except orders.TransitionError:
            return _not_changeable(turn, order, reply)
        customers.answered(turn.session, customer, order_id=order.id)
    return reply.add("utter_address_updated", text=turn.compose("address_updated", order_ref=order.ref,
                                                                  address=address), order_ref=order.ref)


def _location(turn: Turn, customer: Customer, order: Optional[Order], location: dict, reply: Reply) -> Reply:
    """A pin: kept with an open order (then a landmark is asked) and shown to a person."""
    if order is None or not (order.status in OPEN_FOR_CHANGES or _cancelled_by_customer(order)):
        return reply.add("utter_location_received")
    escalations.flag(turn.session, customer, "location_shared", f"order {order.ref}: location pin {location}",
                     turn.now, order)
    if order.status not in OPEN_FOR_CHANGES:
        return reply.add("utter_location_received")
    orders.set_location(turn.session, order, location, turn.now)
    customers.ask(turn.session, customer, "address", order.id, turn.now, data={"landmark": True})
    reply.slots["order_id"] = order.ref
    return reply.add(text=turn.compose("location_saved", order_ref=order.ref))


def set_marketing(turn: Turn, opted_out: bool) -> Reply:
    """STOP / START typed in the chat (WhatsApp's own control arrives as a channel event)."""
    customers.set_opt_out(turn.session, turn.customer, opted_out, "keyword", turn.now)
    return Reply().add("utter_opted_out" if opted_out else "utter_opted_in")


@pending_resolver("address")
def _resolve_address(turn: Turn, customer: Customer, pending: PendingQuestion, affirm: bool) -> Reply:
    return Reply().add("utter_ask_address")
