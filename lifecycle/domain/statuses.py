"""Every state an order, a shipment or a touchpoint can be in, and every kind of touchpoint.

StrEnums: they are stored and compared as the plain strings they were before, so the database
and the shop's events are unchanged.
"""
from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING_CONFIRMATION = "pending_confirmation"
    PAYMENT_PENDING = "payment_pending"
    CONFIRMED = "confirmed"
    DISPATCHED = "dispatched"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    RETURNED = "returned"
    CANCELLED = "cancelled"


class ShipmentState(StrEnum):
    BOOKED = "booked"
    PICKED = "picked"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    ATTEMPTED = "attempted"
    RETURNING = "returning"
    RETURNED = "returned"
    CANCELLED = "cancelled"


class TouchpointState(StrEnum):
    SCHEDULED = "scheduled"
    CLAIMED = "claimed"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TouchpointKind(StrEnum):
    """Each kind has exactly one handler; the worker refuses to start without one (engine/registry.py)."""

    COD_CONFIRMATION = "cod_confirmation"
    COD_REMINDER = "cod_reminder"
    COD_NO_ANSWER = "cod_no_answer"
    PAYMENT_INSTRUCTIONS = "payment_instructions"
    PAYMENT_REMINDER = "payment_reminder"
    PAYMENT_RECEIVED = "payment_received"
    ORDER_CANCELLED = "order_cancelled"
    DISPATCH = "dispatch"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    MERCHANT_WEBHOOK = "merchant_webhook"
    CSAT = "csat"
    CART_RECOVERY = "cart_recovery"
    WINBACK = "winback"
