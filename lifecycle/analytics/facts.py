"""What every dashboard number counts, per store day: one grouped query per fact.

A fact's rows are ``(day, keys, values)``: a Karachi day, the group within it (a city, a
reason …) and additive counts or sums. metrics.py adds rows up over a period and derives
the rates from the totals; the daily summary (summary.py) stores exactly these rows for
closed days. So a page built from the summary and one built from raw rows add up the same
numbers, and each number keeps one definition: the query here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable, Optional

from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select
from sqlalchemy.orm import Session

from lifecycle.analytics.period import DAY, Period
from lifecycle.analytics.sql import bucket, count_if, epoch, item_names
from lifecycle.db.engagement_models import CartRecovery, CsatResponse
from lifecycle.db.models import Cancellation, Escalation, Order, OutboxMessage, Shipment, Touchpoint
from lifecycle.domain.statuses import (
    CONFIRMED_OR_LATER,
    DISPATCHED_OR_LATER,
    OrderStatus,
    OutboxStatus,
    ShipmentState,
    TouchpointKind,
    TouchpointState,
)
from whatsapp.errors import MetaError

CART_STAGES = (1, 2, 3)
WINBACK_MESSAGES = {"winback_new_arrivals": 30, "winback_personal_code": 60, "winback_last_code": 90}
WINBACK_WINDOW_DAYS = 30
ERROR_CODES = {
    MetaError.OUTSIDE_WINDOW: "outside 24 h window",
    MetaError.MARKETING_OPTED_OUT: "opted out of marketing",
    MetaError.UNDELIVERABLE: "undeliverable",
}
# cancelled without a customer's reason: by who cancelled
UNGIVEN = {"no_answer": "no answer", "merchant": "by merchant"}
NOT_GIVEN = "not given"

FactRow = tuple[date, tuple, tuple]


@dataclass(frozen=True)
class Fact:
    """Rows placed in a day by ``time``, grouped by ``keys``, each with its ``measures``."""

    time: Any
    keys: tuple
    measures: dict[str, Any]
    base: Callable[[Select], Select]  # FROM, joins and filters beyond the day range
    money: frozenset = frozenset()  # measures that are sums of money (Decimal)


def _orders() -> Fact:
    cod = Order.payment_method == "cod"
    no_answer = (func.coalesce(Cancellation.source, "") == "no_answer") | Order.needs_call
    confirmed = Order.status.in_(CONFIRMED_OR_LATER)
    return Fact(
        Order.placed_at,
        (),
        {
            "placed": func.count(Order.id),
            "value": func.coalesce(func.sum(Order.amount), 0),
            "confirmed": count_if(confirmed),
            "dispatched": count_if(Order.status.in_(DISPATCHED_OR_LATER)),
            "delivered": count_if(Order.status == OrderStatus.DELIVERED),
            "cancelled": count_if(Order.status == OrderStatus.CANCELLED),
            "cod": count_if(cod),
            "cod confirmed": count_if(cod & confirmed),
            "cod no answer": count_if(cod & ~confirmed & no_answer),
            "cod cancelled": count_if(cod & (Order.status == OrderStatus.CANCELLED) & ~no_answer),
        },
        lambda q: q.select_from(Order).outerjoin(Cancellation, Cancellation.order_id == Order.id),
        frozenset({"value"}),
    )


def _shipments() -> Fact:
    return Fact(
        Shipment.booked_at,
        (Order.city, Shipment.courier),
        {"dispatched": func.count(Shipment.id), "returned": count_if(Shipment.state == ShipmentState.RETURNED)},
        lambda q: q.select_from(Shipment).join(Order, Order.id == Shipment.order_id),
    )


def _carts_started() -> Fact:
    return Fact(
        CartRecovery.started_at,
        (),
        {f"reached {n}": count_if(CartRecovery.last_stage_sent >= n) for n in CART_STAGES},
        lambda q: q.select_from(CartRecovery),
    )


def _carts_recovered() -> Fact:
    return Fact(
        CartRecovery.recovered_at,
        (CartRecovery.recovered_stage,),
        {
            "carts": func.count(CartRecovery.cart_id),
            "revenue": func.coalesce(func.sum(CartRecovery.recovered_revenue), 0),
        },
        lambda q: q.select_from(CartRecovery),
        frozenset({"revenue"}),
    )


def _csat() -> Fact:
    return Fact(
        Touchpoint.done_at,
        (func.coalesce(CsatResponse.answer, "no answer"),),
        {"questions": func.count(Touchpoint.id)},
        lambda q: (
            q.select_from(Touchpoint)
            .outerjoin(CsatResponse, CsatResponse.order_id == Touchpoint.order_id)
            .where(Touchpoint.kind == TouchpointKind.CSAT, Touchpoint.state == TouchpointState.DONE)
        ),
    )


def _winback() -> Fact:
    step = case(*[(OutboxMessage.template == name, days) for name, days in WINBACK_MESSAGES.items()])
    ordered = exists().where(
        Order.customer_id == OutboxMessage.customer_id,
        Order.placed_at > OutboxMessage.created_at,
        epoch(Order.placed_at) - epoch(OutboxMessage.created_at) <= WINBACK_WINDOW_DAYS * 86400,
    )
    return Fact(
        OutboxMessage.created_at,
        (step,),
        {"sent": func.count(OutboxMessage.id), "converted": count_if(ordered)},
        lambda q: q.select_from(OutboxMessage).where(
            OutboxMessage.template.in_(list(WINBACK_MESSAGES)), OutboxMessage.wamid.is_not(None)
        ),
    )


def _escalations() -> Fact:
    return Fact(
        Escalation.created_at,
        (Escalation.reason,),
        {
            "opened": func.count(Escalation.id),
            "breached": count_if(Escalation.breached_at.is_not(None)),
            "resolved": count_if(Escalation.status == "resolved"),
        },
        lambda q: q.select_from(Escalation),
    )


def _messages() -> Fact:
    failed = OutboxMessage.status == OutboxStatus.FAILED
    known = list(ERROR_CODES)
    return Fact(
        OutboxMessage.created_at,
        (func.coalesce(Touchpoint.kind, OutboxMessage.template),),
        {
            "sent": count_if(OutboxMessage.wamid.is_not(None)),
            "delivered": count_if(OutboxMessage.status.in_((OutboxStatus.DELIVERED, OutboxStatus.READ))),
            "read": count_if(OutboxMessage.status == OutboxStatus.READ),
            "failed": count_if(failed),
            **{f"failed_{code}": count_if(failed & (OutboxMessage.error_code == code)) for code in ERROR_CODES},
            "failed_other": count_if(
                failed & (OutboxMessage.error_code.is_(None) | OutboxMessage.error_code.not_in(known))
            ),
        },
        lambda q: q.select_from(OutboxMessage).outerjoin(Touchpoint, Touchpoint.id == OutboxMessage.touchpoint_id),
    )


def cancel_reason() -> ColumnElement[Optional[str]]:
    """The reason the customer gave, else who cancelled (``UNGIVEN``), else "not given"."""
    return func.coalesce(
        Cancellation.reason,
        case(*[(Cancellation.source == source, label) for source, label in UNGIVEN.items()], else_=NOT_GIVEN),
    )


def _cancellations() -> Fact:
    return Fact(
        Cancellation.created_at,
        (cancel_reason(), Order.city, Order.payment_method),
        {"cancellations": func.count(Cancellation.id)},
        lambda q: q.select_from(Cancellation).join(Order, Order.id == Cancellation.order_id),
    )


def _cancelled_products(session: Session) -> Fact:
    joined, name = item_names(session)
    return Fact(
        Cancellation.created_at,
        (name, cancel_reason()),
        {"cancellations": func.count(Cancellation.id)},
        lambda q: q.select_from(joined).join(Cancellation, Cancellation.order_id == Order.id),
    )


# Every fact by name; a builder takes the session (per-product rows unnest JSON the engine's way).
FACTS: dict[str, Callable[[Session], Fact]] = {
    "orders": lambda s: _orders(),
    "shipments": lambda s: _shipments(),
    "carts_started": lambda s: _carts_started(),
    "carts_recovered": lambda s: _carts_recovered(),
    "csat": lambda s: _csat(),
    "winback": lambda s: _winback(),
    "escalations": lambda s: _escalations(),
    "messages": lambda s: _messages(),
    "cancellations": lambda s: _cancellations(),
    "cancelled_products": _cancelled_products,
}


def query(session: Session, fact: Fact, ranges: list[Period]) -> list[FactRow]:
    """The fact's rows for every day of ``ranges``, from the raw rows."""
    if not ranges:
        return []
    first = min(r.first_day for r in ranges)
    day = bucket(fact.time, Period(first, first).start, DAY)
    statement = (
        fact.base(select(day, *fact.keys, *fact.measures.values()))
        .where(or_(*(r.contains(fact.time) for r in ranges)))
        .group_by(day, *fact.keys)
    )
    width = len(fact.keys)
    return [
        (first + timedelta(days=int(n)), tuple(rest[:width]), tuple(rest[width:]))
        for n, *rest in session.execute(statement)
    ]


def encode(fact: Fact, values: tuple) -> list:
    """Values as JSON for the summary: money as exact text, counts as numbers."""
    return [str(v) if m in fact.money else int(v) for m, v in zip(fact.measures, values)]


def decode(fact: Fact, values: list) -> tuple:
    """Stored values back to what ``query`` returns: money as Decimal, counts as int."""
    return tuple(Decimal(v) if m in fact.money else int(v) for m, v in zip(fact.measures, values))
