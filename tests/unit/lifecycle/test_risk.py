"""COD risk checks (lifecycle/domain/risk.py) with hand-computed histories: the delivery history
by phone, each band, and a risky order's advance end to end (instructions, TID, verification,
the rest collected on delivery), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from lifecycle.config.settings import PaymentAccount
from lifecycle.conversation.replies import Turn, capture_transaction_id
from lifecycle.db.delivery_models import RiskDecision
from lifecycle.db.models import Escalation
from lifecycle.domain import customers, orders, payments, risk
from lifecycle.domain.risk import DeliveryHistory
from lifecycle.engine.templates import default as templates
from tests.unit.lifecycle.conftest import cod_order

PHONE = "0300-1234567"


def _finish(session, order, clock, status: str) -> None:
    orders.set_status(session, order, "confirmed", "customer", clock.now())
    orders.set_status(session, order, "dispatched", "merchant", clock.now())
    orders.set_status(session, order, status, "courier", clock.now())


def _past_orders(db, clock, settings, outcomes: list[str]) -> None:
    """One earlier order per outcome: delivered, returned, cancelled, no_answer or open."""
    for n, outcome in enumerate(outcomes):
        clock.advance(3600)
        with db.session.begin() as session:
            order = orders.place(session, cod_order(ref=f"SD-P{n}"), clock.now(), settings)
            if outcome in ("delivered", "returned"):
                _finish(session, order, clock, outcome)
            elif outcome == "cancelled":
                orders.cancel(session, order, "customer", clock.now(), reason="changed_mind")
            elif outcome == "no_answer":
                orders.cancel(session, order, "no_answer", clock.now())


def test_delivery_history_by_phone_across_all_orders(db, clock, settings):
    _past_orders(db, clock, settings, ["returned", "delivered", "no_answer", "returned", "cancelled", "open"])
    with db.session() as session:
        customer = customers.find(session, PHONE)
        assert risk.history(session, customer.id) == DeliveryHistory(
            delivered=1, returned=2, cancelled=1, no_answer=1, in_progress=1, last_outcome="cancelled")


AYESHA_RETURNED_3 = DeliveryHistory(delivered=4, returned=3, last_outcome="returned")


@pytest.mark.parametrize("past, changes, expected", [
    (DeliveryHistory(delivered=5, returned=2), {}, ("normal", None, None)),
    (AYESHA_RETURNED_3, {}, ("advance", Decimal("1250"), "jazzcash")),  # 50 % of 2,500
    (AYESHA_RETURNED_3, {"risk_advance_percent": 30}, ("advance", Decimal("750"), "jazzcash")),
    (AYESHA_RETURNED_3, {"risk_advance_amount": 400}, ("advance", Decimal("400"), "jazzcash")),
    (AYESHA_RETURNED_3, {"risk_advance_amount": 9000}, ("advance", Decimal("2500"), "jazzcash")),  # not above it
    (AYESHA_RETURNED_3, {"risk_advance_after_returns": 0}, ("normal", None, None)),  # check off
    (AYESHA_RETURNED_3, {"accounts": {"easypaisa": PaymentAccount("03453334444", "Sauda")}},
     ("advance", Decimal("1250"), "easypaisa")),
    (AYESHA_RETURNED_3, {"accounts": {}}, ("hold", None, None)),  # no wallet to pay an advance into
    (DeliveryHistory(), {"risk_new_customer_cod_limit": 2000}, ("advance", Decimal("1250"), "jazzcash")),
    (DeliveryHistory(), {"risk_new_customer_cod_limit": 3000}, ("normal", None, None)),  # 2,500 is within it
    (DeliveryHistory(delivered=1), {"risk_new_customer_cod_limit": 2000}, ("normal", None, None)),  # not new
])
def test_bands(settings, past, changes, expected):
    decision = risk.assess(past, Decimal("2500"), replace(settings, **changes))
    assert (decision.band, decision.advance, decision.method) == expected
    assert bool(decision.reasons) == (expected[0] != "normal")


def test_three_returns_then_a_cod_order_asks_an_advance_until_verified(db, clock, settings, worker, sender):
    _past_orders(db, clock, settings, ["returned", "returned", "delivered", "returned"])
    with db.session.begin() as session:
        order = orders.place(session, cod_order(ref="SD-R1"), clock.now(), settings)
        assert order.status == "payment_pending"
    asyncio.run(worker.run_once())
    assert sender.bodies()[-1] == "sauda_advance_request"  # outside the 24 h window: the template
    assert [p["text"] for p in sender.sent[-1]["template"]["components"][0]["parameters"]] == [
        "Ayesha", "SD-R1", "2,500", "1,250", "JazzCash", "03001112222", "Sauda Demo", "1,250"]
    with db.session() as session:
        decision = session.scalar(select(RiskDecision).where(RiskDecision.order_id == orders.find(session, "SD-R1").id))
        assert (decision.band, decision.advance, decision.reasons) == (
            "advance", Decimal("1250"), ["3 returned or refused orders on this phone (advance from 3)"])
    with db.session.begin() as session:
        turn = Turn(session, PHONE, "english", clock.now(), settings, templates(), text="TID 88123456789")
        assert capture_transaction_id(turn, None).says[0].variables == {
            "transaction_id": "88123456789", "order_ref": "SD-R1"}
    with db.session.begin() as session:
        payments.verify(session, orders.find(session, "SD-R1"), "agent", clock.now())
    asyncio.run(worker.run_once())
    assert [p["text"] for p in sender.sent[-1]["template"]["components"][0]["parameters"]] == ["SD-R1", "1,250"]
    with db.session.begin() as session:
        order = orders.find(session, "SD-R1")
        assert order.status == "confirmed"
        shipment = orders.book_shipment(session, order, "tcs", "77009900", clock.now())
        now = clock.now()
        orders.record_scan(session, shipment, "Out for delivery", "out_for_delivery", now, now, settings)
    asyncio.run(worker.run_once())
    assert sender.bodies()[-1] == "sauda_out_for_delivery_cod"
    assert [p["text"] for p in sender.sent[-1]["template"]["components"][0]["parameters"]][-1] == "1,250"  # the rest


def test_without_a_wallet_a_risky_order_is_held_for_a_call(db, clock, settings, worker, sender):
    settings = replace(settings, accounts={})
    _past_orders(db, clock, settings, ["returned"] * 3)
    with db.session.begin() as session:
        order = orders.place(session, cod_order(ref="SD-H1"), clock.now(), settings)
        assert (order.status, order.needs_call) == ("pending_confirmation", True)
    with db.session() as session:
        assert session.scalar(select(Escalation.note).where(Escalation.reason == "risk_hold")) == (
            "COD order SD-H1 held: 3 returned or refused orders on this phone (advance from 3); "
            "no JazzCash / Easypaisa account to take an advance on")


def test_the_shops_order_event_is_answered_with_the_history_and_the_decision(db, clock, settings):
    from lifecycle.events import shop as events

    _past_orders(db, clock, settings, ["returned", "returned", "returned", "delivered"])
    event = events.parse({"id": "evt-risk-1", "type": "order.placed", "data": {
        "order_id": "SD-R2", "phone": PHONE, "payment_method": "cod", "amount": "3000", "city": "Lahore",
        "address": "12 Main Blvd, Gulberg", "items": [{"name": "Khussa", "quantity": 1, "price": "3000"}]}})
    with db.session.begin() as session:
        answer = events.apply(session, event, clock.now(), settings)
    assert {k: answer[k] for k in ("order_status", "delivery_history", "risk")} == {
        "order_status": "payment_pending",
        "delivery_history": {"delivered": 1, "returned": 3, "cancelled": 0, "no_answer": 0, "in_progress": 0,
                             "last_outcome": "delivered"},
        "risk": {"band": "advance", "reasons": ["3 returned or refused orders on this phone (advance from 3)"],
                 "advance": "1500.00"},
    }


def test_a_second_open_cod_order_within_the_hours_is_held_for_a_call(db, clock, settings):
    settings = replace(settings, risk_duplicate_hours=2, risk_new_customer_cod_limit=2000)
    with db.session.begin() as session:
        first = orders.place(session, cod_order(ref="SD-D1", amount=Decimal("1500")), clock.now(), settings)
        clock.advance(90 * 60)
        second = orders.place(session, cod_order(ref="SD-D2", amount=Decimal("1500")), clock.now(), settings)
        clock.advance(3 * 3600)
        third = orders.place(session, cod_order(ref="SD-D3", amount=Decimal("1500")), clock.now(), settings)
        assert [(o.status, o.needs_call) for o in (first, second, third)] == [
            ("pending_confirmation", False), ("pending_confirmation", True), ("pending_confirmation", False)]
        reasons = session.scalar(select(RiskDecision.reasons).where(RiskDecision.order_id == second.id))
    assert reasons == ["order SD-D1 from this phone is still open, placed within 2 h: a double order?"]


def test_every_reason_is_kept_when_several_apply(settings):
    chosen = replace(settings, risk_new_customer_cod_limit=5000, risk_duplicate_hours=2)
    decision = risk.assess(DeliveryHistory(returned=3), Decimal("6000"), chosen, duplicate_of="SD-9")
    assert (decision.band, decision.advance) == ("advance", Decimal("3000"))  # it covers the double-order doubt too
    assert decision.reasons == ("3 returned or refused orders on this phone (advance from 3)",
                                "Rs. 6,000 cash on delivery with no delivered order yet (limit Rs. 5,000)",
                                "order SD-9 from this phone is still open, placed within 2 h: a double order?")


def test_a_landline_is_held_for_a_call(db, clock, settings):
    with db.session.begin() as session:
        order = orders.place(session, cod_order(ref="SD-L1", phone="042-35761234"), clock.now(), settings)
        assert (order.status, order.needs_call) == ("pending_confirmation", True)
        assert session.scalar(select(RiskDecision.reasons).where(RiskDecision.order_id == order.id)) == [
            "the phone is a landline: no WhatsApp confirmation reaches it"]
