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

    @property
    def progress(self) -> int:
        """How far along a parcel is; a re-attempt (out for delivery after attempted) is no step back."""
        return _PROGRESS[self]


_PROGRESS = {
    ShipmentState.BOOKED: 0,
    ShipmentState.PICKED: 1,
    ShipmentState.IN_TRANSIT: 2,
    ShipmentState.OUT_FOR_DELIVERY: 3,
    ShipmentState.ATTEMPTED: 3,
    ShipmentState.DELIVERED: 4,
    ShipmentState.RETURNING: 4,
    ShipmentState.RETURNED: 5,
    ShipmentState.CANCELLED: 5,
}


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
    ADDRESS_CONFIRMATION = "address_confirmation"
    DELIVERY_FAILED = "delivery_failed"
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


class RiskBand(StrEnum):
    """What a new COD order's risk check decided (domain/risk.py)."""

    NORMAL = "normal"  # the usual WhatsApp confirmation
    ADVANCE = "advance"  # part paid ahead by JazzCash / Easypaisa; held until verified
    HOLD = "hold"  # held for a person to call (no wallet to ask an advance on)


class DeliveryChoice(StrEnum):
    """What a customer chose after a failed delivery attempt (domain/recovery.py)."""

    REATTEMPT = "reattempt"  # deliver again tomorrow
    RESCHEDULE = "reschedule"  # a new address or time, in their words
    CANCEL = "cancel"  # send it back


class OutboxStatus(StrEnum):
    """Where a message Sauda sends stands: queued and accepted by us, then Meta's statuses."""

    QUEUED = "queued"
    ACCEPTED = "accepted"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


CONFIRMED_OR_LATER = (
    OrderStatus.CONFIRMED,
    OrderStatus.DISPATCHED,
    OrderStatus.OUT_FOR_DELIVERY,
    OrderStatus.DELIVERED,
    OrderStatus.RETURNED,
)
DISPATCHED_OR_LATER = CONFIRMED_OR_LATER[1:]
FINISHED = (OrderStatus.DELIVERED, OrderStatus.RETURNED, OrderStatus.CANCELLED)


class AlertState(StrEnum):
    """An agent alert (new escalation, SLA breach) on its way to the agent webhook."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
