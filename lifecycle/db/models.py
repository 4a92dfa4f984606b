"""The lifecycle database: customers, carts, orders and everything that happens to them.

Times are stored as UTC and always returned timezone-aware (``UTCDateTime``). Money is
``Numeric(12, 2)`` in the order's currency (PKR). Order references (``Order.ref``) are
the shop's own ids ("SD-10234"); they appear in messages and in button payloads.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Dialect) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: lifecycle times must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Optional[datetime], dialect: Dialect) -> Optional[datetime]:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def new_tracking_token() -> str:
    """192 random bits, URL-safe: the only key to a public tracking page."""
    return secrets.token_urlsafe(24)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON, Decimal: Numeric(12, 2)}


# Payment methods and what a customer reply may resolve (states: lifecycle/domain/statuses.py).
PAYMENT_METHODS = ("cod", "jazzcash", "easypaisa")
PENDING_KINDS = ("confirm_order", "transaction_id", "cancel_reason", "modify_offer", "csat", "address",
                 "delivery_failed")
CANCEL_REASONS = ("changed_mind", "found_cheaper", "wrong_item", "delivery_slow", "other")


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)  # E.164, "+923001234567"
    name: Mapped[Optional[str]] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(20), default="roman_urdu")
    last_inbound_at: Mapped[Optional[datetime]]  # opens the 24 h customer-service window
    opted_out_at: Mapped[Optional[datetime]]  # marketing opt-out; None = may receive marketing
    opted_out_source: Mapped[Optional[str]] = mapped_column(String(40))  # whatsapp_preference | keyword | merchant
    created_at: Mapped[datetime]

    orders: Mapped[list["Order"]] = relationship(back_populates="customer")

    @property
    def wa_id(self) -> str:
        return self.phone.lstrip("+")


class OptOutChange(Base):
    """Every opt-out and opt-in, with where it came from (the customer row holds the current state)."""

    __tablename__ = "opt_out_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    opted_out: Mapped[bool]
    source: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]


class Cart(Base):
    __tablename__ = "carts"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(100), unique=True)  # the shop's cart id
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id"), index=True)
    items: Mapped[list[Any]]
    total: Mapped[Decimal]
    checkout_url: Mapped[Optional[str]] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | abandoned | converted
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    abandoned_at: Mapped[Optional[datetime]]
    converted_order_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orders.id", use_alter=True))


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_customer_placed", "customer_id", "placed_at"),
                      Index("ix_orders_status_placed", "status", "placed_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(100), unique=True)  # the shop's order id, e.g. "SD-10234"
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    cart_id: Mapped[Optional[int]] = mapped_column(ForeignKey("carts.id"))
    items: Mapped[list[Any]]  # [{"name", "quantity", "price", "sku"?, "size"?, "colour"?}]
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="PKR")
    payment_method: Mapped[str] = mapped_column(String(20))  # PAYMENT_METHODS
    city: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(Text)
    location: Mapped[Optional[dict[str, Any]]]  # the customer's pin for a weak address: latitude, longitude, …
    landmark: Mapped[Optional[str]] = mapped_column(Text)  # what the rider asks for near it, in their words
    status: Mapped[str] = mapped_column(String(30))  # OrderStatus
    needs_call: Mapped[bool] = mapped_column(default=False)  # COD no answer, merchant calls instead
    placed_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]

    customer: Mapped[Customer] = relationship(back_populates="orders")
    history: Mapped[list["OrderStatusChange"]] = relationship(order_by="OrderStatusChange.id")
    shipments: Mapped[list["Shipment"]] = relationship(back_populates="order", order_by="Shipment.id")
    payments: Mapped[list["Payment"]] = relationship(order_by="Payment.id")
    cancellation: Mapped[Optional["Cancellation"]] = relationship()


class OrderStatusChange(Base):
    __tablename__ = "order_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    from_status: Mapped[Optional[str]] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(30))  # customer | merchant | courier | system
    note: Mapped[Optional[str]] = mapped_column(Text)
    at: Mapped[datetime]


class Payment(Base):
    """A JazzCash / Easypaisa payment: awaited → submitted (TID given) → verified | rejected; an advance
    the merchant waived is "waived"."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal]
    status: Mapped[str] = mapped_column(String(20), default="awaited")
    transaction_id: Mapped[Optional[str]] = mapped_column(String(40), index=True)
    raw_text: Mapped[Optional[str]] = mapped_column(Text)  # the customer's message, as sent
    media_id: Mapped[Optional[str]] = mapped_column(String(200))  # a receipt screenshot
    submitted_at: Mapped[Optional[datetime]]
    verified_by: Mapped[Optional[str]] = mapped_column(String(100))
    verified_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime]


class Cancellation(Base):
    __tablename__ = "cancellations"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    source: Mapped[str] = mapped_column(String(30))  # customer | merchant | no_answer
    reason: Mapped[Optional[str]] = mapped_column(String(30), index=True)  # CANCEL_REASONS, once given
    free_text: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)
    reason_at: Mapped[Optional[datetime]]


class Shipment(Base):
    __tablename__ = "shipments"
    __table_args__ = (UniqueConstraint("courier", "cn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    courier: Mapped[str] = mapped_column(String(40))  # leopards | postex | tcs | …
    cn: Mapped[str] = mapped_column(String(60))  # consignment number
    tracking_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_tracking_token)
    state: Mapped[str] = mapped_column(String(30), default="booked")  # ShipmentState
    state_at: Mapped[datetime]  # time of the scan that set ``state``
    estimated_days: Mapped[Optional[str]] = mapped_column(String(10))  # "3" or "2-3"
    booked_at: Mapped[datetime] = mapped_column(index=True)
    last_polled_at: Mapped[Optional[datetime]]

    order: Mapped[Order] = relationship(back_populates="shipments")
    scans: Mapped[list["ShipmentScan"]] = relationship(order_by="ShipmentScan.at")


class ShipmentScan(Base):
    __tablename__ = "shipment_scans"
    __table_args__ = (UniqueConstraint("shipment_id", "raw_status", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    raw_status: Mapped[str] = mapped_column(String(200))  # the courier's words or code
    state: Mapped[str] = mapped_column(String(30))  # a ShipmentState, or "unknown"
    location: Mapped[Optional[str]] = mapped_column(String(200))
    at: Mapped[datetime]  # when the courier says it happened
    recorded_at: Mapped[datetime]


class Touchpoint(Base):
    """One proactive step due at ``due_at``: scheduled → claimed → done | skipped | failed | cancelled."""

    __tablename__ = "touchpoints"
    __table_args__ = (Index("ix_touchpoints_due", "state", "due_at"),
                      Index("ix_touchpoints_kind_done_at", "kind", "done_at"))

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200), unique=True)  # idempotency key, e.g. "cod_confirmation:SD-1"
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id"), index=True)
    order_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orders.id"), index=True)
    cart_id: Mapped[Optional[int]] = mapped_column(ForeignKey("carts.id"), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(20), default="scheduled")
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[Optional[str]] = mapped_column(String(80))
    lease_until: Mapped[Optional[datetime]]  # a claim older than this is abandoned (worker died)
    result: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime]
    done_at: Mapped[Optional[datetime]]


class OutboxMessage(Base):
    """A WhatsApp message we send, and what became of it (status webhooks by ``wamid``)."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    touchpoint_id: Mapped[Optional[int]] = mapped_column(ForeignKey("touchpoints.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    template: Mapped[str] = mapped_column(String(80))  # name in templates.yml
    category: Mapped[str] = mapped_column(String(20))  # UTILITY | MARKETING
    mode: Mapped[str] = mapped_column(String(20))  # session | template
    payload: Mapped[dict[str, Any]]
    text: Mapped[str] = mapped_column(Text)  # what the customer reads (for the tracker and transcripts)
    wamid: Mapped[Optional[str]] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued accepted sent delivered read failed
    error_code: Mapped[Optional[int]]
    error_message: Mapped[Optional[str]] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(index=True)
    status_at: Mapped[Optional[datetime]]
    resent_as_id: Mapped[Optional[int]] = mapped_column(ForeignKey("outbox_messages.id"))


class Escalation(Base):
    """A conversation handed to a person (negative CSAT, "human please", a COD no-answer call)."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    order_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orders.id"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[Optional[str]] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | taken | resolved
    assigned_to: Mapped[Optional[str]] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(index=True)
    sla_due_at: Mapped[Optional[datetime]]
    breached_at: Mapped[Optional[datetime]]
    resolved_at: Mapped[Optional[datetime]]


class PendingQuestion(Base):
    """What Sauda asked this customer last, so "haan", a bare number or "acha tha" resolves later."""

    __tablename__ = "pending_questions"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # PENDING_KINDS
    order_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orders.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)  # e.g. the cancel reason given so far
    asked_at: Mapped[datetime]


class ReceivedMedia(Base):
    """A picture or document a customer sent (kept by its WhatsApp media id), e.g. a payment receipt."""

    __tablename__ = "received_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    wamid: Mapped[str] = mapped_column(String(200), unique=True)
    media_id: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[Optional[str]] = mapped_column(String(100))
    caption: Mapped[Optional[str]] = mapped_column(Text)
    payment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("payments.id"))
    at: Mapped[datetime]


class ProcessedEvent(Base):
    """Shop events already applied (idempotency by event id), with the answer given."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    response: Mapped[dict[str, Any]]
    received_at: Mapped[datetime]


class ChannelDeadLetter(Base):
    """A channel event (status, opt-out, inbound) that could not be applied, parked with its
    reason so that the events after it go on; the merchant sees and retries it in the console."""

    __tablename__ = "channel_dead_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]]
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    parked_at: Mapped[datetime]
    resolved_at: Mapped[Optional[datetime]] = mapped_column(index=True)
