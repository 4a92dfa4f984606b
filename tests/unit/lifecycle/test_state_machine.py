"""Order state machine and courier scans, on SQLite and the real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lifecycle.db.models import Order, OrderStatusChange, Touchpoint
from lifecycle.domain import orders
from tests.unit.lifecycle.conftest import cod_order


def _place(db, clock, settings, **changes):
    with db.session.begin() as session:
        return orders.place(session, cod_order(**changes), clock.now(), settings).id


def test_cod_order_waits_for_confirmation_with_three_touchpoints_scheduled(db, clock, settings):
    order_id = _place(db, clock, settings)
    with db.session() as session:
        order = session.get(Order, order_id)
        assert order.status == "pending_confirmation"
        assert order.customer.phone == "+923001234567"
        due = {t.kind: t.due_at for t in session.scalars(select(Touchpoint).where(Touchpoint.order_id == order_id))}
    now = clock.now()
    assert due == {
        "cod_confirmation": now,
        "cod_reminder": now + timedelta(hours=2),
        "cod_no_answer": now + timedelta(hours=8),
    }


def test_impossible_moves_are_refused_with_the_order_and_both_states(db, clock, settings):
    order_id = _place(db, clock, settings)
    with db.session.begin() as session:
        order = session.get(Order, order_id)
        with pytest.raises(
            orders.TransitionError, match="order SD-1001 is pending_confirmation; it cannot become delivered"
        ):
            orders.set_status(session, order, "delivered", "merchant", clock.now())
        orders.cancel(session, order, "customer", clock.now(), reason="changed_mind")
        with pytest.raises(orders.TransitionError, match="is cancelled; it cannot become confirmed"):
            orders.confirm(session, order, "customer", clock.now())
    with db.session() as session:
        history = [
            (c.from_status, c.to_status)
            for c in session.scalars(
                select(OrderStatusChange).where(OrderStatusChange.order_id == order_id).order_by(OrderStatusChange.id)
            )
        ]
    assert history == [(None, "pending_confirmation"), ("pending_confirmation", "cancelled")]


def test_cancel_stops_pending_confirmation_touchpoints_and_queues_the_merchant_webhook(db, clock, settings):
    order_id = _place(db, clock, settings)
    with db.session.begin() as session:
        orders.cancel(session, session.get(Order, order_id), "customer", clock.now())
    with db.session() as session:
        states = {t.kind: t.state for t in session.scalars(select(Touchpoint).where(Touchpoint.order_id == order_id))}
    assert states == {
        "cod_confirmation": "cancelled",
        "cod_reminder": "cancelled",
        "cod_no_answer": "cancelled",
        "merchant_webhook": "scheduled",
    }


def _shipped(db, clock, settings):
    order_id = _place(db, clock, settings)
    with db.session.begin() as session:
        order = session.get(Order, order_id)
        orders.confirm(session, order, "customer", clock.now())
        shipment = orders.book_shipment(session, order, "leopards", "LE123456", clock.now(), "2-3")
        return order_id, shipment.id


def test_a_late_in_transit_scan_never_undoes_delivered(db, clock, settings):
    order_id, shipment_id = _shipped(db, clock, settings)
    t0 = clock.now()
    with db.session.begin() as session:
        order = session.get(Order, order_id)
        shipment = order.shipments[0]
        orders.record_scan(session, shipment, "Delivered", "delivered", t0 + timedelta(hours=30), t0, settings)
        late = orders.record_scan(session, shipment, "In Transit", "in_transit", t0 + timedelta(hours=5), t0, settings)
        after = orders.record_scan(
            session, shipment, "Arrived at Station", "in_transit", t0 + timedelta(hours=40), t0, settings
        )
        again = orders.record_scan(session, shipment, "Delivered", "delivered", t0 + timedelta(hours=30), t0, settings)
    assert late is not None and after is not None  # kept in the timeline
    assert again is None  # the same scan twice is recorded once
    with db.session() as session:
        order = session.get(Order, order_id)
        assert (order.status, order.shipments[0].state) == ("delivered", "delivered")
        assert [s.raw_status for s in order.shipments[0].scans] == ["In Transit", "Delivered", "Arrived at Station"]
        kinds = {
            t.kind
            for t in session.scalars(
                select(Touchpoint).where(Touchpoint.order_id == order_id, Touchpoint.state == "scheduled")
            )
        }
    assert kinds == {"merchant_webhook", "delivered", "csat"}


def test_out_of_order_scans_follow_the_newest_one(db, clock, settings):
    order_id, _ = _shipped(db, clock, settings)
    t0 = clock.now()
    with db.session.begin() as session:
        shipment = session.get(Order, order_id).shipments[0]
        orders.record_scan(
            session, shipment, "Assign to Courier", "out_for_delivery", t0 + timedelta(hours=20), t0, settings
        )
        orders.record_scan(session, shipment, "Shipment Picked", "picked", t0 + timedelta(hours=2), t0, settings)
    with db.session() as session:
        order = session.get(Order, order_id)
        assert (order.status, order.shipments[0].state) == ("out_for_delivery", "out_for_delivery")


def test_unknown_shipment_state_is_refused(db, clock, settings):
    order_id, _ = _shipped(db, clock, settings)
    with db.session.begin() as session:
        shipment = session.get(Order, order_id).shipments[0]
        with pytest.raises(ValueError, match="shipment state must be one of"):
            orders.record_scan(session, shipment, "Lost", "lost", clock.now(), clock.now(), settings)


def test_a_booked_shipment_keeps_one_courier_key_however_the_shop_spells_it(db, clock, settings):
    """The poller finds a shipment by courier key: "M&P" must be stored as "mnp", not "m&p"."""
    from lifecycle.db.models import Shipment
    from lifecycle.events import shop as events

    order_id = _place(db, clock, settings)
    with db.session.begin() as session:
        ref = session.get(Order, order_id).ref
        orders.confirm(session, session.get(Order, order_id), "customer", clock.now())
        event = events.parse(
            {
                "id": "evt-mnp-1",
                "type": "shipment.booked",
                "data": {"order_id": ref, "courier": "M&P", "cn": "MP123456"},
            }
        )
        events.apply(session, event, clock.now(), settings)
    with db.session() as session:
        assert session.scalar(select(Shipment.courier).where(Shipment.cn == "MP123456")) == "mnp"


@pytest.mark.parametrize(
    "booked, scanned, cn",
    [
        ("M&P", "M&P", "MP223344"),
        ("TCS Express", "TCS Express", "779412326902"),
        ("Leopards Courier", "leopards courier", "LE7512345678"),
        ("tcs", "TCS Express", "779412326903"),
    ],
)
def test_a_scan_finds_its_shipment_however_the_shop_spells_the_courier(db, clock, settings, booked, scanned, cn):
    from lifecycle.events import shop as events

    order_id = _place(db, clock, settings)
    with db.session.begin() as session:
        order = session.get(Order, order_id)
        orders.confirm(session, order, "customer", clock.now())
        events.apply(
            session,
            events.parse(
                {
                    "id": f"book-{cn}",
                    "type": "shipment.booked",
                    "data": {"order_id": order.ref, "courier": booked, "cn": cn},
                }
            ),
            clock.now(),
            settings,
        )
        answer = events.apply(
            session,
            events.parse(
                {
                    "id": f"scan-{cn}",
                    "type": "shipment.scan",
                    "data": {
                        "order_id": order.ref,
                        "courier": scanned,
                        "cn": cn,
                        "raw_status": "Out for delivery",
                        "state": "out_for_delivery",
                        "at": clock.now().isoformat(),
                    },
                }
            ),
            clock.now(),
            settings,
        )
    assert answer["shipment_state"] == "out_for_delivery" and answer["scan_recorded"]
