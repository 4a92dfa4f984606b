"""Win-back on SQLite and PostgreSQL: day 30 / 60 / 90 and quarterly messages with the right
products and codes, reset by a new order, nothing for an opted-out customer; and the sweep
reads only the customers crossing a threshold (an index range scan on PostgreSQL). Counted from
the delivery; none before it, while an escalation is open or soon after a complaint."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text

from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.db.engagement_models import DiscountCode, WinbackState
from lifecycle.db.models import Customer, Order, Touchpoint
from lifecycle.domain import customers, escalations, orders
from lifecycle.flows import engagement as engagement_flows
from lifecycle.flows import winback
from tests.unit.lifecycle.conftest import cod_order
from tests.unit.lifecycle.flows.conftest import PHONE

LAWN = [{"name": "Gulnaar Lawn 3-Piece", "quantity": 1, "price": "5490", "sku": "GULNAAR-LAWN-M"}]
DAY = 24 * 3600


def order(db, clock, settings, ref="SD-W1", phone=PHONE, delivered=True, **changes):
    """An order placed (as the shop's order event does) and confirmed, and unless told otherwise
    delivered at once (its status history only: no delivery messages in the way)."""
    with db.session.begin() as session:
        placed = orders.place(session, cod_order(ref=ref, phone=phone, items=LAWN, **changes), clock.now(),
                              settings)
        engagement_flows.order_placed(session, placed, clock.now(), settings.engagement)
        if placed.status == "pending_confirmation":
            orders.confirm(session, placed, "customer", clock.now())
        if delivered:
            deliver_now(session, placed, clock)


def deliver_now(session, placed, clock) -> None:
    orders.set_status(session, placed, "dispatched", "merchant", clock.now())
    orders.set_status(session, placed, "delivered", "courier", clock.now())


def winbacks(db) -> list[tuple[str, str]]:
    """Each win-back touchpoint's state and result (why it was skipped)."""
    with db.session() as session:
        return [(t.state, t.result) for t in session.scalars(
            select(Touchpoint).where(Touchpoint.kind == "winback").order_by(Touchpoint.id))]


def day(db, clock, worker, engagement, days: float) -> None:
    """Move the clock, run the sweep as the daily job does, and let the worker send."""
    clock.advance(days * DAY)
    with db.session.begin() as session:
        winback.sweep(session, clock.now(), engagement)
    asyncio.run(worker.run_once())


def params(payload) -> list[str]:
    return [p["text"] for p in payload["template"]["components"][0]["parameters"]]


def test_day_30_60_90_then_quarterly_with_products_and_codes(db, clock, settings, sender, worker, engagement):
    order(db, clock, settings)
    day(db, clock, worker, engagement, 29.9)
    assert [p["template"]["name"] for p in sender.sent] == []
    day(db, clock, worker, engagement, 0.1)
    assert sender.sent[-1]["template"]["name"] == "sauda_winback_new_arrivals"
    assert params(sender.sent[-1]) == [
        "Ayesha",
        "Lawn Suit",
        "Sitara Embroidered Lawn (Rs. 6,490) https://demo.sauda.pk/products/sitara-lawn | "
        "Noor Printed Lawn (Rs. 3,990) https://demo.sauda.pk/products/noor-lawn",
    ]
    day(db, clock, worker, engagement, 30)
    assert sender.sent[-1]["template"]["name"] == "sauda_winback_personal_code"
    name, product, percent, code60, days = params(sender.sent[-1])
    assert (product, percent, days) == ("Gulnaar Lawn 3-Piece", "10", "7")
    day(db, clock, worker, engagement, 30)
    assert sender.sent[-1]["template"]["name"] == "sauda_winback_last_code"
    name, percent, code90, hours = params(sender.sent[-1])
    assert (percent, hours) == ("15", "48")
    with db.session() as session:
        codes = {c.code: c for c in session.scalars(select(DiscountCode))}
        assert codes[code90].expires_at == clock.now() + timedelta(hours=48) and codes[code60].percent == 10
    day(db, clock, worker, engagement, 90)
    assert len(sender.sent) == 3
    day(db, clock, worker, engagement, 1)
    assert sender.sent[-1]["template"]["name"] == "sauda_winback_quarterly"
    day(db, clock, worker, engagement, 90)
    assert len(sender.sent) == 4
    day(db, clock, worker, engagement, 1)
    assert len(sender.sent) == 5


def test_a_new_order_resets_the_sequence_and_drops_what_was_not_sent(db, clock, settings, sender, worker, engagement):
    order(db, clock, settings)
    clock.advance(30 * DAY)
    with db.session.begin() as session:
        assert winback.sweep(session, clock.now(), engagement) == 1
    order(db, clock, settings, ref="SD-W2")
    asyncio.run(worker.run_once())
    assert [p["template"]["name"] for p in sender.sent] == []
    with db.session() as session:
        state = session.scalar(select(WinbackState))
        assert (state.stage, state.next_due_at) == (0, clock.now() + timedelta(days=30))
        assert session.scalar(select(Touchpoint.state).where(Touchpoint.kind == "winback")) == "cancelled"


def test_an_opted_out_customer_gets_no_win_back_and_no_code_is_drawn(db, clock, settings, sender, worker, engagement):
    order(db, clock, settings)
    with db.session.begin() as session:
        customers.set_opt_out(session, customers.find(session, PHONE), True, "keyword", clock.now())
    for _ in range(4):
        day(db, clock, worker, engagement, 30)
    assert sender.sent == []
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(DiscountCode)) == 0


def test_the_sweep_touches_only_customers_crossing_a_threshold(db, clock, settings, engagement):
    now = clock.now()
    with db.session.begin() as session:
        session.execute(
            insert(Customer),
            [{"id": n, "phone": f"+92300{n:07d}", "language": "roman_urdu", "created_at": now} for n in range(1, 2001)],
        )
        session.execute(
            insert(Order),
            [
                {
                    "id": n,
                    "ref": f"B{n}",
                    "customer_id": n,
                    "items": LAWN,
                    "amount": 10,
                    "currency": "PKR",
                    "payment_method": "cod",
                    "city": "Lahore",
                    "address": "x",
                    "status": "delivered",
                    "needs_call": False,
                    "placed_at": now,
                    "updated_at": now,
                }
                for n in range(1, 2001)
            ],
        )
        session.execute(
            insert(WinbackState),
            [
                {
                    "customer_id": n,
                    "last_order_at": now - timedelta(days=29 if n > 7 else 30),
                    "last_order_id": n,
                    "stage": 0,
                    "next_due_at": now + timedelta(days=1 if n > 7 else 0),
                }
                for n in range(1, 2001)
            ],
        )
    with db.session.begin() as session:
        assert winback.sweep(session, now, engagement, limit=5) == 5
        assert winback.sweep(session, now, engagement, limit=5) == 2
        assert winback.sweep(session, now, engagement, limit=5) == 0
    if db.is_postgres:
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE winback_states"))
            plan = "\n".join(
                connection.execute(
                    text(
                        "EXPLAIN SELECT customer_id FROM winback_states WHERE next_due_at <= now() "
                        "ORDER BY next_due_at LIMIT 5000"
                    )
                ).scalars()
            )
        assert "ix_winback_next_due" in plan, plan


def test_counted_from_the_delivery_not_the_placement(db, clock, settings, sender, worker, engagement):
    order(db, clock, settings, delivered=False)
    day(db, clock, worker, engagement, 10)
    with db.session.begin() as session:
        deliver_now(session, orders.find(session, "SD-W1"), clock)
    day(db, clock, worker, engagement, 20)  # 30 days after the placement: a check, no message
    day(db, clock, worker, engagement, 9.9)
    assert (sender.sent, winbacks(db)) == ([], [])
    day(db, clock, worker, engagement, 0.1)  # 30 days after the delivery
    assert [p["template"]["name"] for p in sender.sent] == ["sauda_winback_new_arrivals"]


def test_an_order_never_shipped_gets_no_win_back(db, clock, settings, sender, worker, engagement):
    order(db, clock, settings, payment_method="jazzcash", paid=True, delivered=False)
    for _ in range(10):
        day(db, clock, worker, engagement, 30)
    assert (sender.sent, winbacks(db)) == ([], [])
    with db.session() as session:
        assert session.scalar(select(WinbackState.next_due_at)) == clock.now() + timedelta(days=1)


def test_a_returned_last_order_ends_the_sequence(db, clock, settings, sender, worker, engagement):
    order(db, clock, settings, delivered=False)
    with db.session.begin() as session:
        placed = orders.find(session, "SD-W1")
        orders.set_status(session, placed, "dispatched", "merchant", clock.now())
        orders.set_status(session, placed, "returned", "courier", clock.now())
    day(db, clock, worker, engagement, 30)
    assert (sender.sent, winbacks(db)) == ([], [])
    with db.session() as session:
        assert session.scalar(select(WinbackState.next_due_at)) is None


def _complaint(db, clock, reason: str, resolved: bool) -> None:
    with db.session.begin() as session:
        customer = customers.get_or_create(session, PHONE, clock.now())
        escalation = escalations.open_escalation(session, customer, reason, clock.now(), EngagementSettings())
        if resolved:
            escalation.status, escalation.resolved_at = "resolved", clock.now()


def test_no_win_back_while_a_negative_csat_escalation_is_open(db, clock, settings, sender, worker, engagement):
    order(db, clock, settings)
    day(db, clock, worker, engagement, 1)
    _complaint(db, clock, "csat_negative", resolved=False)
    day(db, clock, worker, engagement, 29)  # open far past its SLA
    assert sender.sent == []
    assert winbacks(db) == [("skipped", "a csat_negative escalation is open")]


def test_no_win_back_within_30_days_of_a_complaint(db, clock, settings, sender, worker, engagement):
    order(db, clock, settings)
    day(db, clock, worker, engagement, 20)
    _complaint(db, clock, "complain", resolved=True)
    day(db, clock, worker, engagement, 10)
    assert sender.sent == []
    assert winbacks(db) == [("skipped", "a complain escalation in the last 30 days")]


def test_a_complaint_31_days_ago_no_longer_holds_the_win_back(db, clock, settings, sender, worker, engagement):
    _complaint(db, clock, "complain", resolved=True)
    day(db, clock, worker, engagement, 1)
    order(db, clock, settings)
    day(db, clock, worker, engagement, 30)
    assert [p["template"]["name"] for p in sender.sent] == ["sauda_winback_new_arrivals"]


@pytest.mark.parametrize(
    "elapsed_days,stage", [(0, 0), (29, 0), (30, 1), (59, 1), (60, 2), (90, 3), (180, 3), (181, 4), (272, 5)]
)
def test_stage_for_the_time_since_the_last_order(engagement, elapsed_days, stage):
    assert winback.stage_at(timedelta(days=elapsed_days), engagement) == stage
