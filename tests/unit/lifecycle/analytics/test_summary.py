"""The summary-backed report equals the raw computation, on SQLite and PostgreSQL.

History: the demo generator's 60 days (every fact has rows on most days), ending at noon
in Karachi on 1 June 2026. Each test compares every breakdown and headline figure of a
report read from the summary with one computed from raw rows only, over periods closed
and ending today, and checks which days the summary holds.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text, update

from lifecycle.analytics import summary
from lifecycle.analytics.demo_history import generate
from lifecycle.analytics.facts import FACTS, WINBACK_MESSAGES, query
from lifecycle.analytics.metrics import BREAKDOWNS, Report
from lifecycle.analytics.period import STORE_ZONE, Period
from lifecycle.analytics.refresh import rebuild, refresh
from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.engagement_models import CartRecovery, CsatResponse
from lifecycle.db.models import Cancellation, Escalation, Order, OutboxMessage, Shipment, Touchpoint
from lifecycle.domain import orders
from lifecycle.domain.clock import Clock
from lifecycle.engine import outbox
from lifecycle.service import Lifecycle
from tests.unit.lifecycle.conftest import cod_order

NOW = datetime(2026, 6, 1, 7, 0, tzinfo=timezone.utc)  # noon in Karachi
TODAY = date(2026, 6, 1)
YESTERDAY = TODAY - timedelta(days=1)
LATER = NOW + timedelta(hours=2)  # edits happen after the refresh, still today
PERIODS = [
    Period.days_ending(TODAY, 30),
    Period.days_ending(YESTERDAY, 7),
    Period.days_ending(TODAY, 90),
    Period.days_ending(TODAY - timedelta(days=12), 1),
]


@pytest.fixture
def store(db):
    with db.session.begin() as session:
        generate(session, NOW, orders=300, days=60, seed=3)
    return db


def report(db, period: Period, source) -> dict:
    """Every number the pages show for the period and the one before it."""
    with summary.snapshot(db) as session:
        r = Report(session, period, source(session))
        return {
            "headline": r.headline(),
            "previous": r.previous.headline(),
            "previous trend": r.previous["orders_trend"].rows,
            **{key: r[key].rows for key in BREAKDOWNS},
        }


def assert_summary_equals_raw(db, periods: list[Period] = PERIODS) -> None:
    for period in periods:
        from_summary, raw = report(db, period, summary.reader), report(db, period, summary.raw)
        for key in raw:
            assert from_summary[key] == raw[key], f"{key} over {period.label()}"


def coverage(db) -> summary.Coverage:
    with summary.snapshot(db) as session:
        return summary.coverage(session)


def stale_closed(db) -> dict[str, set[date]]:
    """Per fact, the closed days marked stale."""
    stale = {fact: {d for d in days if d <= YESTERDAY} for fact, days in coverage(db).stale.items()}
    return {fact: days for fact, days in stale.items() if days}


def stored(db) -> set:
    with summary.snapshot(db) as session:
        return {
            (r.fact, r.day, repr(r.group_keys), repr(r.measures)) for r in session.scalars(select(summary.DailyRow))
        }


def day_rows(db, day: date, source) -> dict:
    """Each fact's rows for one day, from the summary's table or from raw rows."""
    period = Period(day, day)
    with summary.snapshot(db) as session:
        read = (
            (lambda name, fact: summary.stored_rows(session, name, fact, [period]))
            if source == "stored"
            else (lambda name, fact: query(session, fact, [period]))
        )
        return {name: sorted(map(repr, read(name, build(session)))) for name, build in FACTS.items()}


def local_day(at: datetime) -> date:
    return at.astimezone(STORE_ZONE).date()


def test_summary_equals_raw_after_a_refresh(store):
    assert coverage(store).built_through is None  # nothing summarised: every day is live
    assert_summary_equals_raw(store)
    assert refresh(store, NOW) >= 60
    cover = coverage(store)
    assert cover.built_through == YESTERDAY  # today is still open
    assert stale_closed(store) == {}
    for fact in FACTS:
        assert cover.split(fact, Period.days_ending(YESTERDAY, 30)) == ([Period.days_ending(YESTERDAY, 30)], [])
        assert cover.split(fact, PERIODS[0]) == ([Period.days_ending(YESTERDAY, 29)], [Period(TODAY, TODAY)])
    assert_summary_equals_raw(store)


def test_pages_read_the_stored_rows(store):
    refresh(store, NOW)
    day = TODAY - timedelta(days=3)
    with store.session.begin() as session:  # tamper with the summary: nothing marks this
        row = session.scalar(
            select(summary.DailyRow).where(summary.DailyRow.fact == "orders", summary.DailyRow.day == day)
        )
        row.measures = [row.measures[0] + 1000, *row.measures[1:]]
    period = Period.days_ending(YESTERDAY, 7)
    assert (
        report(store, period, summary.reader)["headline"]["orders"]
        == report(store, period, summary.raw)["headline"]["orders"] + 1000
    )
    assert refresh(store, NOW) == 0  # the raw rows did not change: nothing to recompute
    assert rebuild(store, NOW) >= 60
    assert_summary_equals_raw(store)


def _old_order_delivered(session) -> date:
    order = session.scalar(
        select(Order)
        .where(Order.status == "dispatched", Order.placed_at < NOW - timedelta(days=4))
        .order_by(Order.placed_at)
    )
    orders.set_status(session, order, "delivered", "courier", LATER)
    return local_day(order.placed_at)


def _reason_given_late(session) -> date:
    cancellation = session.scalar(
        select(Cancellation).where(Cancellation.reason.is_(None), Cancellation.created_at < NOW - timedelta(days=3))
    )
    order = session.get(Order, cancellation.order_id)
    orders.record_cancel_reason(session, order, "delivery_slow", "late", LATER)
    return local_day(cancellation.created_at)


def _csat_answered_late(session) -> date:
    asked = session.scalar(
        select(Touchpoint).where(
            Touchpoint.kind == "csat",
            Touchpoint.done_at < NOW - timedelta(days=3),
            ~select(CsatResponse.order_id).where(CsatResponse.order_id == Touchpoint.order_id).exists(),
        )
    )
    session.add(CsatResponse(order_id=asked.order_id, customer_id=asked.customer_id, answer="negative", at=LATER))
    return local_day(asked.done_at)


def _read_receipt_late(session) -> date:
    message = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.status == "delivered", OutboxMessage.created_at < NOW - timedelta(days=5)
        )
    )
    outbox.apply_status(session, message.wamid, "read", [], LATER, LATER)
    return local_day(message.created_at)


def _winback_converted_by_a_new_order(session) -> date:
    message = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.template.in_(list(WINBACK_MESSAGES)),
            OutboxMessage.created_at < NOW - timedelta(days=3),
            OutboxMessage.created_at > NOW - timedelta(days=25),
            ~select(Order.id)
            .where(Order.customer_id == OutboxMessage.customer_id, Order.placed_at > OutboxMessage.created_at)
            .exists(),
        )
    )
    phone = session.scalar(text("SELECT phone FROM customers WHERE id = :id"), {"id": message.customer_id})
    orders.place(session, cod_order(ref="SD-WINBACK", phone=phone), LATER, LifecycleSettings())
    return local_day(message.created_at)


def _city_corrected_after_booking(session) -> date:
    shipment = session.scalar(select(Shipment).where(Shipment.booked_at < NOW - timedelta(days=3)))
    session.get(Order, shipment.order_id).city = "Gujranwala"
    return local_day(shipment.booked_at)


def _escalation_breach_recorded_late(session) -> date:
    escalation = session.scalar(
        select(Escalation).where(Escalation.breached_at.is_(None), Escalation.created_at < NOW - timedelta(days=3))
    )
    escalation.breached_at = LATER
    return local_day(escalation.created_at)


def _cart_stage_bulk_update(session) -> date:
    recovery = session.scalar(
        select(CartRecovery).where(CartRecovery.last_stage_sent == 1, CartRecovery.started_at < NOW - timedelta(days=3))
    )
    session.execute(update(CartRecovery).where(CartRecovery.cart_id == recovery.cart_id).values(last_stage_sent=2))
    return local_day(recovery.started_at)


# each edit, the fact it must mark stale on the day it returns, and the only facts it may mark
EDITS = (
    (_old_order_delivered, ("orders",)),
    (_reason_given_late, ("cancellations", "cancelled_products")),
    (_csat_answered_late, ("csat",)),
    (_read_receipt_late, ("messages", "winback")),
    (_winback_converted_by_a_new_order, ("winback",)),
    (_city_corrected_after_booking, ("shipments", "cancellations", "cancelled_products")),
    (_escalation_breach_recorded_late, ("escalations",)),
    (_cart_stage_bulk_update, ("carts_started",)),
)


def test_a_summarised_day_that_changes_is_live_until_refreshed(store):
    # Per edit, the period that holds every generated day; the period boundaries are checked
    # by the other tests and once more after the last edit.
    every_day = [Period.days_ending(TODAY, 90)]
    refresh(store, NOW)
    for edit, facts in EDITS:
        with store.session.begin() as session:
            day = edit(session)
        stale = stale_closed(store)
        assert day < YESTERDAY and day in stale.get(facts[0], ()), edit.__name__
        assert set(stale) <= set(facts), edit.__name__  # the other facts stay summarised
        assert day_rows(store, day, "stored") != day_rows(store, day, "raw"), edit.__name__  # out of date …
        assert_summary_equals_raw(store, every_day)  # … so that day is counted live
        assert refresh(store, LATER) >= 1, edit.__name__
        assert stale_closed(store) == {}, edit.__name__
        assert day_rows(store, day, "stored") == day_rows(store, day, "raw"), edit.__name__
        assert_summary_equals_raw(store, every_day)
    assert_summary_equals_raw(store)


def test_today_is_counted_live_and_never_summarised(store):
    refresh(store, NOW)
    before = report(store, PERIODS[0], summary.reader)["headline"]["orders"]
    with store.session.begin() as session:
        orders.place(session, cod_order(ref="SD-TODAY"), LATER, LifecycleSettings())
    assert report(store, PERIODS[0], summary.reader)["headline"]["orders"] == before + 1
    assert_summary_equals_raw(store)
    refresh(store, LATER)
    assert coverage(store).built_through == YESTERDAY
    assert TODAY in coverage(store).stale["orders"]  # today's writes stay marked until the day closes
    assert not any(day >= TODAY for _, day, _, _ in stored(store))
    tomorrow = NOW + timedelta(days=1)
    assert refresh(store, tomorrow) == 1  # the day closed: summarised once
    assert coverage(store).built_through == TODAY
    assert day_rows(store, TODAY, "stored") == day_rows(store, TODAY, "raw")
    assert day_rows(store, TODAY, "stored")["orders"]  # the new order is in it


def test_refresh_is_idempotent_and_equals_a_rebuild(store):
    assert refresh(store, NOW, chunk_days=5) >= 60
    first = stored(store)
    assert refresh(store, NOW) == 0
    assert stored(store) == first
    with store.session.begin() as session:
        _old_order_delivered(session)
    refresh(store, LATER)
    again = stored(store)
    assert again != first
    rebuild(store, LATER)
    assert stored(store) == again


def test_money_and_counts_keep_their_types(store):
    refresh(store, NOW)
    with summary.snapshot(store) as session:
        rows = summary.stored_rows(session, "orders", FACTS["orders"](session), [Period.days_ending(YESTERDAY, 7)])
    assert rows and all(isinstance(placed, int) and isinstance(value, Decimal) for _, _, (placed, value, *_) in rows)
    assert sum(value for _, _, (_, value, *_) in rows) > 0


def test_every_trigger_is_installed(db):
    if db.is_postgres:
        names = "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = current_schema()"
    else:
        names = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    with db.engine.connect() as connection:
        found = {name for (name,) in connection.execute(text(names)) if name.startswith("analytics_")}
    rules = (
        "orders",
        "order_shipments",
        "order_cancellation",
        "order_winback",
        "cancellations",
        "cancelled_orders",
        "shipments",
        "touchpoints",
        "touchpoint_messages",
        "csat_responses",
        "outbox_messages",
        "escalations",
        "carts_started",
        "carts_recovered",
    )
    events = ("",) if db.is_postgres else ("_insert", "_update", "_delete")
    assert found == {f"analytics_{rule}{event}" for rule in rules for event in events}


def test_a_second_refresher_waits_its_turn(postgres_db):
    with postgres_db.session.begin() as session:
        generate(session, NOW, orders=40, days=10, seed=5)
    with summary.snapshot(postgres_db) as holder:
        holder.scalar(select(summary.SummaryState).with_for_update())
        assert refresh(postgres_db, NOW) == 0  # the other process holds the turn: skip, do not wait
    assert refresh(postgres_db, NOW) > 0
    with postgres_db.session() as session:
        assert session.scalar(select(func.count(summary.DailyRow.id))) > 0


def test_the_worker_refreshes_the_summary_beside_it(sqlite_db):
    with sqlite_db.session.begin() as session:
        generate(session, NOW, orders=40, days=10, seed=5)
    lifecycle = Lifecycle(sqlite_db, LifecycleSettings(summary_refresh=0.05), clock=Clock(NOW))

    async def run_until_built() -> None:
        lifecycle.start_background()
        deadline = asyncio.get_running_loop().time() + 60  # generous: a loaded machine is slow, not wrong
        while coverage(sqlite_db).built_through is None and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        await lifecycle.stop_background()

    asyncio.run(run_until_built())
    assert coverage(sqlite_db).built_through == YESTERDAY
    assert_summary_equals_raw(sqlite_db)
