"""Demo history: a few thousand orders over 90 days with realistic rates, so a new store's
dashboard is populated at once (``make run`` calls ``python -m lifecycle.analytics.demo_history --if-empty``).

Deterministic for a seed. Rates: COD ~70 % of orders, ~80 % of COD confirmed, RTO ~12 %
(worse in smaller cities and with some couriers), cancellation reasons that drift (slow
delivery grows in the last month), CSAT ~85 % positive, carts recovered at each stage.
Every row is in a final state (touchpoints done, nothing scheduled), so a running worker
sends nothing because of it.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle.db.engagement_models import CartRecovery, CsatResponse
from lifecycle.db.models import (
    Cancellation,
    Cart,
    Customer,
    Escalation,
    Order,
    OrderStatusChange,
    OutboxMessage,
    Payment,
    Shipment,
    Touchpoint,
)
from lifecycle.domain.statuses import OrderStatus, OutboxStatus, ShipmentState, TouchpointKind, TouchpointState
from whatsapp.errors import MetaError

CATALOG = Path(__file__).resolve().parents[2] / "demo" / "catalog.csv"
CITIES = {
    "Karachi": (30, 0.16),
    "Lahore": (28, 0.15),
    "Islamabad": (12, 0.10),
    "Rawalpindi": (8, 0.14),
    "Faisalabad": (7, 0.22),
    "Multan": (6, 0.24),
    "Peshawar": (5, 0.28),
    "Quetta": (4, 0.34),
}  # share, RTO
COURIERS = {"leopards": (40, 1.0), "postex": (35, 1.25), "tcs": (25, 0.7)}  # share, RTO factor
PAYMENTS = {"cod": 70, "jazzcash": 18, "easypaisa": 12}
REASONS = {"changed_mind": 34, "found_cheaper": 20, "delivery_slow": 16, "wrong_item": 12, "other": 10, None: 8}
NAMES = (
    "Ayesha",
    "Fatima",
    "Hina",
    "Sana",
    "Zainab",
    "Maryam",
    "Ali",
    "Usman",
    "Bilal",
    "Hamza",
    "Sara",
    "Iqra",
    "Ahmed",
    "Fahad",
    "Nida",
    "Rabia",
    "Kashif",
    "Amna",
    "Saad",
    "Mehwish",
)
FAILURES = {
    "UTILITY": {MetaError.OUTSIDE_WINDOW: 5, MetaError.UNDELIVERABLE: 4, MetaError.RATE_LIMITED: 1},
    "MARKETING": {
        MetaError.MARKETING_OPTED_OUT: 4,
        MetaError.OUTSIDE_WINDOW: 3,
        MetaError.UNDELIVERABLE: 2,
        MetaError.MARKETING_LIMITED: 1,
    },
}


K = TypeVar("K")


def _pick(rng: random.Random, weighted: Mapping[K, int | tuple[int, float]]) -> K:
    """A key drawn by its weight (a share, or a (share, rate) pair)."""
    return rng.choices(list(weighted), [w[0] if isinstance(w, tuple) else w for w in weighted.values()])[0]


def products() -> list[tuple[str, Decimal]]:
    """(title, price) of every product in the demo catalog."""
    with CATALOG.open(encoding="utf-8") as f:
        return [(r["Title"], Decimal(r["Variant Price"])) for r in csv.DictReader(f) if r["Title"]]


@dataclass
class _Story:
    """What is written, collected first and inserted in bulk at the end."""

    rng: random.Random
    now: datetime
    messages: list[dict] = field(default_factory=list)
    rows: dict[type, list[dict]] = field(default_factory=dict)  # inserted in bulk: nothing needs their ids
    recoveries: list[tuple[Cart, dict]] = field(default_factory=list)  # written once the carts have ids

    def add(self, model: type, **fields: Any) -> dict[str, Any]:
        row = dict(fields)
        self.rows.setdefault(model, []).append(row)
        return row

    def message(self, customer_id: int, template: str, category: str, at: datetime) -> None:
        """An outbox message with a realistic fate: mostly read, some failed with Meta's error codes."""
        if at > self.now:
            return
        roll = self.rng.random()
        status = (
            OutboxStatus.READ
            if roll < 0.68
            else OutboxStatus.DELIVERED
            if roll < 0.86
            else OutboxStatus.SENT
            if roll < 0.93
            else OutboxStatus.FAILED
        )
        code = _pick(self.rng, FAILURES[category]) if status == OutboxStatus.FAILED else None
        self.messages.append(
            dict(
                customer_id=customer_id,
                template=template,
                category=category,
                mode="template",
                payload={},
                text=template,
                wamid=f"wamid.demo.{len(self.messages)}",
                status=status,
                error_code=code,
                attempts=1,
                created_at=at,
                status_at=at + timedelta(minutes=3),
            )
        )


def generate(session: Session, now: datetime, orders: int = 3000, days: int = 90, seed: int = 7) -> int:
    """Write the history ending at ``now``; returns the number of orders."""
    rng = random.Random(seed)
    story = _Story(rng, now)
    catalog = products()
    start = now - timedelta(days=days)
    customers = [
        Customer(phone=f"+92345{9000000 + n:07d}", name=rng.choice(NAMES), created_at=start)
        for n in range(int(orders * 0.6))
    ]
    session.add_all(customers)
    session.flush()
    # growth over the period (later days likelier), shopping hours 09:00-23:00 Karachi, busiest in the evening
    opening = start.replace(hour=4, minute=0, second=0, microsecond=0)  # 04:00 UTC = 09:00 PKT
    times = sorted(
        _before(now, opening + timedelta(days=int(days * rng.random() ** 0.8), hours=rng.triangular(0, 14, 11)))
        for _ in range(orders)
    )
    placed_orders = [
        _new_order(rng, n, placed, customers[: max(10, int(len(customers) * (n + 1) / orders))], catalog)
        for n, placed in enumerate(times)
    ]
    session.add_all(placed_orders)
    session.flush()
    for order in placed_orders:
        _lifecycle(session, story, order)
    _lost_carts(story, [c.id for c in customers])
    session.add_all(cart for cart, _ in story.recoveries)
    session.flush()
    session.add_all(
        CartRecovery(cart_id=cart.id, customer_id=cart.customer_id, **fields) for cart, fields in story.recoveries
    )
    for cart, _ in story.recoveries:
        if cart.converted_order_id is not None:
            session.get(Order, cart.converted_order_id).cart_id = cart.id
    _winback(session, story)
    for model, rows in [*story.rows.items(), (OutboxMessage, story.messages)]:
        session.connection().execute(model.__table__.insert(), rows)  # plain executemany
    return orders


def _before(now: datetime, at: datetime) -> datetime:
    return at - timedelta(days=1) if at > now else at


def _new_order(
    rng: random.Random, n: int, placed: datetime, customers: list[Customer], catalog: list[tuple[str, Decimal]]
) -> Order:
    picked = rng.sample(catalog, rng.choice((1, 1, 1, 2, 2, 3)))
    return Order(
        ref=f"DEMO-{10000 + n}",
        customer_id=rng.choice(customers).id,
        amount=sum(p for _, p in picked),
        items=[{"name": title, "quantity": 1, "price": str(price)} for title, price in picked],
        payment_method=_pick(rng, PAYMENTS),
        city=_pick(rng, CITIES),
        address="House 12, Street 4",
        status="",
        placed_at=placed,
        updated_at=placed,
    )


def _lifecycle(session: Session, story: _Story, order: Order) -> None:
    """What happened to the order, from confirmation to delivery or return."""
    rng, now, placed, method = story.rng, story.now, order.placed_at, order.payment_method
    customer_id = order.customer_id
    if rng.random() < 0.12:
        _recovered_cart(story, order)
    steps: list[tuple[str, str, timedelta]] = []  # (status, source, after placing)

    def move(status: str, source: str, after: timedelta) -> bool:
        if placed + after > now:
            return False
        steps.append((status, source, after))
        return True

    first = OrderStatus.PENDING_CONFIRMATION if method == "cod" else OrderStatus.PAYMENT_PENDING
    move(first, "merchant", timedelta())
    template = "cod_confirmation" if method == "cod" else "payment_instructions"
    story.message(customer_id, template, "UTILITY", placed + timedelta(seconds=30))
    roll = rng.random()
    if method != "cod":
        paid = roll < 0.9 and move(OrderStatus.CONFIRMED, "merchant", timedelta(hours=rng.uniform(0.2, 8)))
        if not paid and roll >= 0.9 and move(OrderStatus.CANCELLED, "merchant", timedelta(hours=30)):
            _cancel(story, order, "merchant", placed + timedelta(hours=30), with_reason=False)
    elif roll < 0.80:
        move(OrderStatus.CONFIRMED, "customer", timedelta(minutes=rng.uniform(1, 240)))
    elif roll < 0.88:
        at = timedelta(minutes=rng.uniform(1, 180))
        if move(OrderStatus.CANCELLED, "customer", at):
            _cancel(story, order, "customer", placed + at, with_reason=True)
    else:
        story.message(customer_id, "cod_reminder", "UTILITY", placed + timedelta(hours=2))
        if move(OrderStatus.CANCELLED, "system", timedelta(hours=8)):
            _cancel(story, order, "no_answer", placed + timedelta(hours=8), with_reason=False)
            story.message(customer_id, "cod_auto_cancelled", "UTILITY", placed + timedelta(hours=8))
    if steps[-1][0] == OrderStatus.CONFIRMED:
        _fulfil(story, order, steps, move)
    for (status, source, after), before in zip(steps, [None] + [s[0] for s in steps]):
        story.add(
            OrderStatusChange, order_id=order.id, from_status=before, to_status=status, source=source, at=placed + after
        )
    order.status, order.updated_at = steps[-1][0], placed + steps[-1][2]
    if method != "cod":
        verified = len(steps) > 1 and steps[1][0] == OrderStatus.CONFIRMED
        story.add(
            Payment,
            order_id=order.id,
            method=method,
            amount=order.amount,
            created_at=placed,
            status="verified" if verified else "awaited",
            transaction_id=f"{rng.randrange(10**10, 10**11)}" if verified else None,
            verified_by="merchant" if verified else None,
            verified_at=placed + steps[1][2] if verified else None,
        )


def _fulfil(
    story: _Story,
    order: Order,
    steps: list[tuple[str, str, timedelta]],
    move: Callable[[str, str, timedelta], bool],
) -> None:
    """Confirmed → dispatched (a few cancelled before) → delivered, or returned to the store."""
    rng, placed = story.rng, order.placed_at
    booked = steps[-1][2] + timedelta(hours=rng.uniform(6, 36))
    if rng.random() < 0.03:
        if move(OrderStatus.CANCELLED, "merchant", booked):
            _cancel(story, order, "merchant", placed + booked, with_reason=False)
        return
    if not move(OrderStatus.DISPATCHED, "merchant", booked):
        return
    courier = _pick(rng, COURIERS)
    rto = CITIES[order.city][1] * COURIERS[courier][1] * (1.0 if order.payment_method == "cod" else 0.35)
    shipment = story.add(
        Shipment,
        order_id=order.id,
        courier=courier,
        cn=f"{courier[:2].upper()}{order.id:08d}",
        state=ShipmentState.IN_TRANSIT,
        state_at=placed + booked,
        booked_at=placed + booked,
        estimated_days="2-4",
    )
    story.message(order.customer_id, "dispatch", "UTILITY", placed + booked)
    arrival = booked + timedelta(days=rng.uniform(1.5, 5))
    if rng.random() < rto:
        if move(OrderStatus.RETURNED, "courier", arrival + timedelta(days=3)):
            shipment["state"], shipment["state_at"] = ShipmentState.RETURNED, placed + arrival + timedelta(days=3)
        return
    if not move(OrderStatus.OUT_FOR_DELIVERY, "courier", arrival):
        return
    shipment["state"], shipment["state_at"] = ShipmentState.OUT_FOR_DELIVERY, placed + arrival
    template = "out_for_delivery_cod" if order.payment_method == "cod" else "out_for_delivery_paid"
    story.message(order.customer_id, template, "UTILITY", placed + arrival)
    delivered = arrival + timedelta(hours=rng.uniform(2, 9))
    if move(OrderStatus.DELIVERED, "courier", delivered):
        shipment["state"], shipment["state_at"] = ShipmentState.DELIVERED, placed + delivered
        story.message(order.customer_id, "delivered", "UTILITY", placed + delivered)
        _csat(story, order, placed + delivered + timedelta(hours=24))


def _cancel(story: _Story, order: Order, source: str, at: datetime, with_reason: bool) -> None:
    rng = story.rng
    reason: Optional[str] = None
    if with_reason:
        reasons = dict(REASONS)
        if at > story.now - timedelta(days=30):
            reasons["delivery_slow"] *= 2  # a courier's bad month shows in the last 30 days
        if any("Khussa" in i["name"] or "Chappal" in i["name"] for i in order.items):
            reasons["wrong_item"] *= 3  # shoe sizes
        reason = _pick(rng, reasons)
    story.add(
        Cancellation,
        order_id=order.id,
        source=source,
        reason=reason,
        created_at=at,
        reason_at=at + timedelta(minutes=5) if reason else None,
    )
    story.message(order.customer_id, "order_cancelled", "UTILITY", at)


def _csat(story: _Story, order: Order, asked: datetime) -> None:
    if asked > story.now:
        return
    rng = story.rng
    story.add(
        Touchpoint,
        kind=TouchpointKind.CSAT,
        key=f"csat:{order.ref}",
        customer_id=order.customer_id,
        order_id=order.id,
        due_at=asked,
        state=TouchpointState.DONE,
        attempts=1,
        result="sent",
        created_at=asked,
        done_at=asked,
    )
    story.message(order.customer_id, "csat_question", "UTILITY", asked)
    if rng.random() > 0.62:
        return
    roll = rng.random()
    answer = "positive" if roll < 0.85 else "negative" if roll < 0.97 else "unclear"
    at = asked + timedelta(minutes=rng.uniform(2, 600))
    story.add(CsatResponse, order_id=order.id, customer_id=order.customer_id, answer=answer, at=at)
    if answer == "negative":
        _escalate(story, order.customer_id, order.id, "csat_negative", at)
    elif rng.random() < 0.03:
        _escalate(story, order.customer_id, None, "human_handoff", at)


def _escalate(story: _Story, customer_id: int, order_id: Optional[int], reason: str, at: datetime) -> None:
    breached = story.rng.random() < 0.12
    story.add(
        Escalation,
        customer_id=customer_id,
        order_id=order_id,
        reason=reason,
        status="resolved",
        assigned_to="ayesha",
        created_at=at,
        sla_due_at=at + timedelta(minutes=15),
        breached_at=at + timedelta(minutes=15) if breached else None,
        resolved_at=at + timedelta(minutes=story.rng.uniform(20, 120)),
    )


def _recovered_cart(story: _Story, order: Order) -> None:
    """The order came from an abandoned cart, bought after one of the three recovery stages."""
    stage = _pick(story.rng, {1: 50, 2: 30, 3: 20})
    delays = {1: timedelta(minutes=30), 2: timedelta(hours=24), 3: timedelta(hours=72)}
    abandoned = order.placed_at - delays[stage] - timedelta(hours=story.rng.uniform(1, 20))
    cart = Cart(
        ref=f"cart-{order.ref}",
        customer_id=order.customer_id,
        items=order.items,
        total=order.amount,
        status="converted",
        created_at=abandoned - timedelta(minutes=20),
        updated_at=order.placed_at,
        abandoned_at=abandoned,
        converted_order_id=order.id,
    )
    story.recoveries.append(
        (
            cart,
            dict(
                started_at=abandoned,
                last_stage_sent=stage,
                last_sent_at=abandoned + delays[stage],
                recovered_stage=stage,
                recovered_order_id=order.id,
                recovered_revenue=order.amount,
                recovered_at=order.placed_at,
            ),
        )
    )
    for n in range(1, stage + 1):
        story.message(
            order.customer_id,
            ("cart_reminder", "cart_social_proof", "cart_last_chance")[n - 1],
            "MARKETING",
            abandoned + delays[n],
        )


def _winback(session: Session, story: _Story) -> None:
    """Win-back messages 30/60/90 days after each customer's last order before the next one."""
    rows = session.execute(select(Order.customer_id, Order.placed_at).order_by(Order.customer_id, Order.placed_at))
    placed: dict[int, list[datetime]] = {}
    for customer_id, at in rows:  # demo generation only: a few thousand rows
        placed.setdefault(customer_id, []).append(at)
    steps = {30: "winback_new_arrivals", 60: "winback_personal_code", 90: "winback_last_code"}
    for customer_id, times in placed.items():
        for at, after in zip(times, times[1:] + [None]):
            for days, template in steps.items():
                due = at + timedelta(days=days)
                if after is None or due < after:
                    story.message(customer_id, template, "MARKETING", due)


def _lost_carts(story: _Story, customer_ids: list[int]) -> None:
    """Abandoned carts whose recovery did not bring an order."""
    for n in range(len(customer_ids) // 2):
        customer_id = story.rng.choice(customer_ids)
        abandoned = story.now - timedelta(days=90 * story.rng.random())
        last = _pick(story.rng, {1: 20, 2: 25, 3: 55})
        cart = Cart(
            ref=f"demo-cart-lost-{n}",
            customer_id=customer_id,
            items=[],
            total=Decimal("3990"),
            status="abandoned",
            created_at=abandoned,
            updated_at=abandoned,
            abandoned_at=abandoned,
        )
        story.recoveries.append(
            (
                cart,
                dict(
                    started_at=abandoned,
                    last_stage_sent=last,
                    suppressed_at=abandoned + timedelta(hours=96) if last == 3 else None,
                ),
            )
        )


def is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count(Order.id)))


def main(argv: Optional[list[str]] = None) -> int:
    from lifecycle.db.engine import default_database

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--if-empty", action="store_true", help="do nothing when the store already has orders")
    args = parser.parse_args(argv)
    db = default_database()
    with db.session.begin() as session:
        if args.if_empty and not is_empty(session):
            print("lifecycle database has orders: demo history not added")
            return 0
        count = generate(session, datetime.now(timezone.utc), args.orders, seed=args.seed)
    print(f"demo history: {count} orders over 90 days in {db.url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
