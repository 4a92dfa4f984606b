"""Failed-delivery recovery (lifecycle/domain/recovery.py): a courier scan meaning the rider could
not deliver asks the customer at once, the answer is kept and reaches the merchant, and a second
failure goes to a person with the SLA; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from lifecycle.conversation.reading import read
from lifecycle.conversation.replies import Turn, cancel_order
from lifecycle.db.delivery_models import DeliveryRecovery
from lifecycle.db.engagement_models import AgentAlert
from lifecycle.db.models import Escalation, Touchpoint
from lifecycle.domain import customers, orders
from lifecycle.engine.templates import default as templates
from tests.unit.lifecycle.conftest import cod_order

PHONE = "+923001234567"
NO_ENTITIES = {"cancel_reason": None, "transaction_id": None, "city": None}


def _dispatched(db, clock, settings) -> None:
    with db.session.begin() as session:
        order = orders.place(session, cod_order(language="english"), clock.now(), settings)
        orders.confirm(session, order, "customer", clock.now())
        orders.book_shipment(session, order, "tcs", "77001122", clock.now())
        customers.record_inbound(session, order.customer, clock.now())  # inside the 24 h window


def _scan(db, clock, settings, raw: str, state: str) -> None:
    clock.advance(3600)
    with db.session.begin() as session:
        shipment = orders.find(session, "SD-1001").shipments[-1]
        orders.record_scan(session, shipment, raw, state, clock.now(), clock.now(), settings)


def _says(db, clock, settings, text: str, intent: str) -> str:
    with db.session.begin() as session:
        turn = Turn(session, PHONE, "english", clock.now(), settings, templates(), text=text)
        reply = cancel_order(turn) if intent == "cancel_order" else read(turn, intent, NO_ENTITIES, [])
    return reply.says[0].text


def _attempts(db) -> list[tuple]:
    with db.session() as session:
        return [(r.attempt, r.raw_status, r.choice, r.detail) for r in
                session.scalars(select(DeliveryRecovery).order_by(DeliveryRecovery.id))]


def _escalations(db) -> dict[str, str]:
    with db.session() as session:
        return {e.reason: e.note for e in session.scalars(select(Escalation))}


def test_an_attempted_scan_asks_at_once_and_the_reattempt_reaches_the_merchant(db, clock, settings, worker, sender):
    _dispatched(db, clock, settings)
    _scan(db, clock, settings, "Out for Delivery", "out_for_delivery")
    _scan(db, clock, settings, "Consignee Not Available", "attempted")
    _scan(db, clock, settings, "Awaiting Receiver Collection", "attempted")  # the same attempt, told twice
    asyncio.run(worker.run_once())
    asked = sender.sent[-1]["interactive"]
    assert asked["body"]["text"] == (
        "Ayesha, TCS could not deliver your order SD-1001 today (Consignee Not Available). Shall we deliver it "
        "again tomorrow, change the address or time, or cancel the order?")
    assert [(b["reply"]["title"], b["reply"]["id"]) for b in asked["action"]["buttons"]] == [
        ("Deliver tomorrow", '/affirm{"order_id":"SD-1001"}'),
        ("Change address/time", '/change_address{"order_id":"SD-1001"}'),
        ("Cancel order", '/cancel_order{"order_id":"SD-1001"}'),
    ]
    assert _says(db, clock, settings, '/affirm{"order_id":"SD-1001"}', "affirm") == (
        "All right! We have asked for order SD-1001 to be delivered again tomorrow. Please keep your phone close "
        "for the rider's call.")
    assert _attempts(db) == [(1, "Consignee Not Available", "reattempt", None)]
    assert _escalations(db) == {
        "delivery_choice": "order SD-1001, failed attempt 1 (Consignee Not Available): deliver again tomorrow"}
    with db.session() as session:
        webhooks = set(session.scalars(select(Touchpoint.key).where(Touchpoint.kind == "merchant_webhook")))
        assert {"delivery.failed:SD-1001:1", "delivery.choice:SD-1001:1"} <= webhooks
        assert customers.pending(session, customers.find(session, PHONE)) is None


def test_a_second_failure_goes_to_a_person_and_a_new_address_is_asked_then_kept(db, clock, settings, worker, sender):
    _dispatched(db, clock, settings)
    _scan(db, clock, settings, "Consignee Not Available", "attempted")
    _scan(db, clock, settings, "Out for Delivery", "out_for_delivery")
    _scan(db, clock, settings, "Recipient Refused", "attempted")
    with db.session() as session:
        [again] = session.scalars(select(Escalation).where(Escalation.reason == "delivery_failed_again")).all()
        assert again.note == ("order SD-1001: tcs 77001122 not delivered 2 times (latest: Recipient Refused); "
                              "please call the customer")
        assert again.sla_due_at == clock.now() + timedelta(minutes=15)
        assert session.scalar(select(AgentAlert.kind).where(AgentAlert.escalation_id == again.id)) == "escalation"
    asyncio.run(worker.run_once())
    assert _says(db, clock, settings, "address badalna hai", "change_address") == (
        'Please write the new address or a good time for delivering order SD-1001 (or write "cancel" to cancel it).')
    assert _says(db, clock, settings, "Office: Plot 5, Phase 6 DHA, 2 baje ke baad", "nlu_fallback") == (
        "Thank you! Noted for order SD-1001: Office: Plot 5, Phase 6 DHA, 2 baje ke baad. We will tell the courier.")
    assert _attempts(db) == [(1, "Consignee Not Available", None, None),
                             (2, "Recipient Refused", "reschedule", "Office: Plot 5, Phase 6 DHA, 2 baje ke baad")]


def test_cancel_after_a_failed_attempt_is_the_customers_choice_for_the_parcel(db, clock, settings, worker, sender):
    _dispatched(db, clock, settings)
    _scan(db, clock, settings, "Incomplete Address", "attempted")
    asyncio.run(worker.run_once())
    assert _says(db, clock, settings, '/cancel_order{"order_id":"SD-1001"}', "cancel_order") == (
        "All right, order SD-1001 will be sent back. Message us any time to order again.")
    assert _attempts(db) == [(1, "Incomplete Address", "cancel", None)]
    with db.session() as session:
        assert orders.find(session, "SD-1001").status == "dispatched"  # the courier brings it back
