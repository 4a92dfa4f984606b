"""The shop's events: validated (pydantic, field-level errors), applied in one transaction,
idempotent by event id. Shopify's order webhook is accepted as one input format."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Callable, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.models import Cart, Order, ProcessedEvent, Shipment
from lifecycle.domain import carts, orders, payments, risk, touchpoints
from lifecycle.domain.phones import InvalidPhone, to_e164
from lifecycle.domain.statuses import OrderStatus, ShipmentState, TouchpointKind
from lifecycle.flows import engagement
from lifecycle.integrations.couriers.names import courier_key

__all__ = ["EventError", "apply", "parse", "shopify_order"]

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Item(_Strict):
    name: str = Field(min_length=1)
    quantity: int = Field(1, ge=1)
    price: Optional[Money] = None
    sku: Optional[str] = None
    size: Optional[str] = None
    colour: Optional[str] = None


class _WithPhone(_Strict):
    @field_validator("phone", check_fields=False)
    @classmethod
    def _e164(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        try:
            return to_e164(value)
        except InvalidPhone as exc:
            raise ValueError(str(exc)) from None


class CartData(_WithPhone):
    cart_id: str = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    total: Money
    phone: Optional[str] = None
    name: Optional[str] = None
    checkout_url: Optional[str] = None


class CartRef(_Strict):
    cart_id: str = Field(min_length=1)


class OrderPlacedData(_WithPhone):
    order_id: str = Field(min_length=1, max_length=100)
    phone: str
    name: Optional[str] = None
    language: Optional[Literal["roman_urdu", "english"]] = None
    items: list[Item] = Field(min_length=1)
    amount: Money
    payment_method: Literal["cod", "jazzcash", "easypaisa"]
    paid: bool = False
    city: str = Field(min_length=1)
    address: str = Field(min_length=1)
    cart_id: Optional[str] = None


class OrderRef(_Strict):
    order_id: str = Field(min_length=1)


class PaymentVerifiedData(OrderRef):
    verified_by: str = Field(min_length=1)


class OrderCancelledData(OrderRef):
    reason: Optional[Literal["changed_mind", "found_cheaper", "wrong_item", "delivery_slow", "other"]] = None
    note: Optional[str] = None


class ShipmentBookedData(OrderRef):
    courier: str = Field(min_length=1, max_length=40)
    cn: str = Field(min_length=1, max_length=60)
    estimated_days: Optional[str] = Field(None, max_length=10)


class ShipmentScanData(OrderRef):
    courier: str
    cn: str
    raw_status: str = Field(min_length=1)
    state: ShipmentState
    at: datetime
    location: Optional[str] = None


class OrderFinishedData(OrderRef):
    at: Optional[datetime] = None


def _event(type_: str, data: type[BaseModel]) -> type[BaseModel]:
    return type(
        f"Event_{type_.replace('.', '_')}",
        (_Strict,),
        {
            "__annotations__": {"id": str, "type": Literal[type_], "data": data},
            "id": Field(min_length=1, max_length=200),
        },
    )


EVENT_TYPES: dict[str, type[BaseModel]] = {
    "cart.created": CartData,
    "cart.updated": CartData,
    "cart.abandoned": CartRef,
    "cart.converted": CartRef,
    "order.placed": OrderPlacedData,
    "payment.verified": PaymentVerifiedData,
    "order.cancelled": OrderCancelledData,
    "shipment.booked": ShipmentBookedData,
    "shipment.scan": ShipmentScanData,
    "order.delivered": OrderFinishedData,
    "order.returned": OrderFinishedData,
}
Event = Annotated[Union[tuple(_event(t, d) for t, d in EVENT_TYPES.items())], Field(discriminator="type")]
_adapter: TypeAdapter[BaseModel] = TypeAdapter(Event)


class EventError(Exception):
    """An event that cannot be applied: ``status`` is the HTTP answer, ``body`` says why."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("error"))
        self.status, self.body = status, body


def parse(raw: Any) -> BaseModel:
    """Validate an event; EventError(422) lists every bad field with its path."""
    try:
        return _adapter.validate_python(raw)
    except ValidationError as exc:
        fields = [
            {
                "field": ".".join(
                    str(p) for p in (e["loc"][1:] if e["loc"] and e["loc"][0] in EVENT_TYPES else e["loc"])
                )
                or "type",
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
        raise EventError(422, {"error": "invalid event", "fields": fields}) from None


def apply(session: Session, event: BaseModel, now: datetime, settings: LifecycleSettings) -> dict[str, Any]:
    """Apply one event unless its id was seen; returns the answer (the first answer on a repeat)."""
    seen = session.get(ProcessedEvent, event.id)
    if seen is not None:
        return {**seen.response, "duplicate": True}
    try:
        response = _APPLY[event.type](session, event.data, now, settings)
    except orders.OrderNotFound as exc:
        raise EventError(404, {"error": "unknown order", "order_id": exc.ref}) from None
    except orders.TransitionError as exc:
        raise EventError(409, {"error": str(exc)}) from None
    response = {"status": "applied", "event_id": event.id, **response}
    try:
        with session.begin_nested():
            session.add(ProcessedEvent(event_id=event.id, type=event.type, response=response, received_at=now))
    except IntegrityError:  # the same event applied concurrently: ours is rolled back by the caller
        raise EventError(409, {"error": f"event {event.id} is being applied concurrently; retry"}) from None
    return response


def _cart_upsert(session: Session, data: CartData, now: datetime, settings: LifecycleSettings) -> dict[str, Any]:
    before = carts.find(session, data.cart_id)
    status_before = before.status if before is not None else None
    cart = carts.upsert(
        session,
        data.cart_id,
        _items(data.items),
        data.total,
        now,
        phone=data.phone,
        name=data.name,
        checkout_url=data.checkout_url,
    )
    if cart.status != status_before:
        engagement.cart_changed(session, cart, now, settings.engagement)
    return {"cart_id": cart.ref, "cart_status": cart.status}


def _cart(session: Session, ref: str) -> Cart:
    cart = carts.find(session, ref)
    if cart is None:
        raise EventError(404, {"error": "unknown cart", "cart_id": ref})
    return cart


def _cart_abandoned(session: Session, data: CartRef, now: datetime, settings: LifecycleSettings) -> dict[str, Any]:
    cart = _cart(session, data.cart_id)
    if carts.abandon(session, cart, now):
        engagement.cart_changed(session, cart, now, settings.engagement)
    return {"cart_id": cart.ref, "cart_status": cart.status}


def _cart_converted(session: Session, data: CartRef, now: datetime, settings: LifecycleSettings) -> dict[str, Any]:
    cart = _cart(session, data.cart_id)
    if cart.status != "converted":
        cart.status, cart.updated_at = "converted", now
        touchpoints.cancel(session, now, "cart converted", cart_id=cart.id)
        engagement.cart_changed(session, cart, now, settings.engagement)
    return {"cart_id": cart.ref, "cart_status": cart.status}


def _order_placed(
    session: Session, data: OrderPlacedData, now: datetime, settings: LifecycleSettings
) -> dict[str, Any]:
    existing = session.scalar(select(orders.Order).where(orders.Order.ref == data.order_id))
    if existing is not None:
        raise EventError(409, {"error": f"order {data.order_id} already exists", "order_id": data.order_id})
    new = orders.NewOrder(
        ref=data.order_id,
        items=_items(data.items),
        cart_ref=data.cart_id,
        **data.model_dump(exclude={"order_id", "items", "cart_id"}),  # the other fields have the same names
    )
    order = orders.place(session, new, now, settings)
    engagement.order_placed(session, order, now, settings.engagement)
    return {**_order_answer(order), **_risk_answer(session, order)}


def _risk_answer(session: Session, order: Order) -> dict[str, Any]:
    """The customer's delivery history and, for a COD order, the risk decision with its reasons."""
    answer: dict[str, Any] = {
        "delivery_history": risk.history(session, order.customer_id, excluding_order_id=order.id).as_dict()}
    decision = risk.decision_for(session, order.id)
    if decision is not None:
        answer["risk"] = {"band": decision.band, "reasons": decision.reasons,
                          "advance": None if decision.advance is None else str(decision.advance)}
    return answer


def _payment_verified(
    session: Session, data: PaymentVerifiedData, now: datetime, settings: LifecycleSettings
) -> dict[str, Any]:
    order = orders.find(session, data.order_id)
    payments.verify(session, order, data.verified_by, now)
    return _order_answer(order)


def _order_cancelled(
    session: Session, data: OrderCancelledData, now: datetime, settings: LifecycleSettings
) -> dict[str, Any]:
    order = orders.find(session, data.order_id)
    if order.status != OrderStatus.CANCELLED:
        orders.cancel(session, order, "merchant", now, reason=data.reason, free_text=data.note)
        touchpoints.schedule(
            session,
            TouchpointKind.ORDER_CANCELLED,
            f"order_cancelled:{order.ref}",
            now,
            now,
            customer_id=order.customer_id,
            order_id=order.id,
        )
    return _order_answer(order)


def _shipment_booked(
    session: Session, data: ShipmentBookedData, now: datetime, settings: LifecycleSettings
) -> dict[str, Any]:
    order = orders.find(session, data.order_id)
    shipment = orders.book_shipment(session, order, courier_key(data.courier), data.cn, now, data.estimated_days)
    return {**_order_answer(order), "tracking_token": shipment.tracking_token}


def _shipment(session: Session, order: Order, courier: str, cn: str) -> Shipment:
    shipment = session.scalar(
        select(Shipment).where(
            Shipment.order_id == order.id, Shipment.courier == courier_key(courier), Shipment.cn == cn
        )
    )
    if shipment is None:
        raise EventError(404, {"error": "unknown shipment", "order_id": order.ref, "courier": courier, "cn": cn})
    return shipment


def _shipment_scan(
    session: Session, data: ShipmentScanData, now: datetime, settings: LifecycleSettings
) -> dict[str, Any]:
    order = orders.find(session, data.order_id)
    shipment = _shipment(session, order, data.courier, data.cn)
    scan = orders.record_scan(session, shipment, data.raw_status, data.state, data.at, now, settings, data.location)
    return {**_order_answer(order), "shipment_state": shipment.state, "scan_recorded": scan is not None}


def _finished(state: str) -> Callable[[Session, OrderFinishedData, datetime, LifecycleSettings], dict[str, Any]]:
    def apply_finished(
        session: Session, data: OrderFinishedData, now: datetime, settings: LifecycleSettings
    ) -> dict[str, Any]:
        order = orders.find(session, data.order_id)
        if not order.shipments:
            raise EventError(409, {"error": f"order {order.ref} has no shipment", "order_id": order.ref})
        shipment = order.shipments[-1]
        orders.record_scan(session, shipment, f"merchant: {state}", state, data.at or now, now, settings)
        return {**_order_answer(order), "shipment_state": shipment.state}

    return apply_finished


_APPLY = {
    "cart.created": _cart_upsert,
    "cart.updated": _cart_upsert,
    "cart.abandoned": _cart_abandoned,
    "cart.converted": _cart_converted,
    "order.placed": _order_placed,
    "payment.verified": _payment_verified,
    "order.cancelled": _order_cancelled,
    "shipment.booked": _shipment_booked,
    "shipment.scan": _shipment_scan,
    "order.delivered": _finished(ShipmentState.DELIVERED),
    "order.returned": _finished(ShipmentState.RETURNED),
}


def _order_answer(order: Order) -> dict[str, Any]:
    return {"order_id": order.ref, "order_status": order.status}


def _items(items: list[Item]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json", exclude_none=True) for item in items]


def shopify_order(order: Any, webhook_id: str) -> dict[str, Any]:
    """A Shopify ``orders/create`` webhook body → our ``order.placed`` event (then validated as
    usual); EventError(422) for a body not shaped like Shopify's."""
    try:
        return _shopify_order(order, webhook_id)
    except (AttributeError, TypeError) as exc:
        raise EventError(422, {"error": f"not a Shopify order: {exc}"}) from None


def _shopify_order(order: dict[str, Any], webhook_id: str) -> dict[str, Any]:
    shipping = order.get("shipping_address") or order.get("billing_address") or {}
    customer = order.get("customer") or {}
    gateways = " ".join(order.get("payment_gateway_names") or [order.get("gateway") or ""]).lower()
    method = (
        "jazzcash"
        if "jazz" in gateways
        else "easypaisa"
        if "easypaisa" in gateways
        else "cod"
        if ("cash" in gateways or "cod" in gateways or "manual" in gateways)
        else None
    )
    name = shipping.get("first_name") or customer.get("first_name")
    return {
        "id": f"shopify:{webhook_id}",
        "type": "order.placed",
        "data": {
            "order_id": str(order.get("name") or order.get("id") or "").lstrip("#"),
            "phone": order.get("phone") or shipping.get("phone") or customer.get("phone"),
            "name": name,
            "items": [
                {
                    "name": li.get("title") or li.get("name"),
                    "quantity": li.get("quantity", 1),
                    "price": li.get("price"),
                    "sku": li.get("sku") or None,
                    **({"size": li["variant_title"]} if li.get("variant_title") else {}),
                }
                for li in order.get("line_items") or []
            ],
            "amount": order.get("total_price"),
            "payment_method": method,
            "paid": order.get("financial_status") == "paid",
            "city": shipping.get("city"),
            "address": ", ".join(p for p in (shipping.get("address1"), shipping.get("address2")) if p),
            **({"cart_id": str(order["cart_token"])} if order.get("cart_token") else {}),
        },
    }
