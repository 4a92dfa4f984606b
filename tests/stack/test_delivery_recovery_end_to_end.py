"""Deliver more, return less, through the real processes (simulator → Rasa → actions → worker):
a phone with three returned orders is asked an advance for its next COD order (TID, a person
verifies, confirmed), and a failed delivery attempt asks the customer at once, records the
answer for the merchant, and a second failure goes to a person."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from lifecycle.db.delivery_models import DeliveryRecovery
from lifecycle.db.models import Escalation, Order
from tests.stack import AGENT_PASSWORD, logged_in
from tests.stack.engagement_helpers import lifecycle_db
from tests.stack.test_lifecycle_end_to_end import buttons, event, order_row, outbound, place, seen, wait_out


def _returned(stack, ref: str, phone: str) -> None:
    place(stack, ref, phone, method="jazzcash", paid=True)
    event(stack, "shipment.booked", order_id=ref, courier="tcs", cn=f"CN-{ref}")
    event(stack, "order.returned", order_id=ref)


def test_three_returns_then_cod_asks_an_advance_tid_verified_confirmed(stack):
    phone = "+923004450001"
    for n in range(3):
        _returned(stack, f"SD-RK{n}", phone)
    stack.say(phone, "AoA")
    before = len(outbound(stack, phone))
    answer = event(stack, "order.placed", order_id="SD-RK3", phone=phone, name="Hina", payment_method="cod",
                   amount="2500", items=[{"name": "Lawn 3-piece", "quantity": 1, "price": "2500"}], city="Lahore",
                   address="12 Main Boulevard, Gulberg")
    assert (answer["order_status"], answer["risk"]["band"], answer["risk"]["advance"]) == (
        "payment_pending", "advance", "1250.00")
    assert answer["delivery_history"]["returned"] == 3
    request = wait_out(stack, phone, before + 1)[-1]
    assert seen(request) == (
        "Shukriya Hina! Aap ka cash on delivery order SD-RK3 (Rs. 2,500) mil gaya hai. Is order ke liye Rs. 1,250 "
        "advance JazzCash account 03001112222 (Sauda Demo Store) mein bhej dijiye, reference mein SD-RK3 likhein; "
        "baqi Rs. 1,250 delivery par. Payment ke baad Transaction ID (TID) yahan bhej dein, check hote hi order "
        "confirm ho jaye ga.")
    assert stack.reply_texts(phone, "TID 01234567891 bhej diya") == [
        "Shukriya! Order SD-RK3 ke liye transaction ID 01234567891 mil gayi hai. Hamari team payment check kar ke "
        "jald order confirm kar degi."]
    with logged_in(stack.app_url, "agent", AGENT_PASSWORD) as agent:
        waiting = agent.get("/console/payments").json()
        mine = next(w for w in waiting["waiting"] if w["order_id"] == "SD-RK3")
        assert (mine["amount"], mine["transaction_id"]) == ("1,250", "01234567891")
        verified = agent.post("/console/payments/SD-RK3/verify", headers={"X-CSRF-Token": waiting["csrf"]})
    assert verified.json()["order_status"] == "confirmed"
    assert seen(wait_out(stack, phone, before + 3)[-1]) == (
        "Order SD-RK3 ki Rs. 1,250 payment mil gayi hai aur order confirm ho gaya hai. Shukriya!")


def _scan(stack, ref: str, raw: str, state: str, minutes: int) -> None:
    at = (datetime.now(timezone.utc) + timedelta(minutes=minutes)).isoformat()
    event(stack, "shipment.scan", order_id=ref, courier="tcs", cn=f"CN-{ref}", raw_status=raw, state=state, at=at)


def test_attempted_scan_buttons_reattempt_recorded_then_a_second_failure_escalates(stack):
    phone = "+923004450002"
    stack.say(phone, "AoA")
    place(stack, "SD-FD1", phone, method="jazzcash", paid=True)
    event(stack, "shipment.booked", order_id="SD-FD1", courier="tcs", cn="CN-SD-FD1")
    # the dispatch message goes out through the outbox, after the event's answer: wait for it, so
    # that the next message counted is the failed-delivery question
    deadline = time.monotonic() + 15
    while not any("CN-SD-FD1" in seen(m) for m in outbound(stack, phone)):
        assert time.monotonic() < deadline, [seen(m) for m in outbound(stack, phone)]
        time.sleep(0.2)
    before = len(outbound(stack, phone))
    _scan(stack, "SD-FD1", "Consignee Not Available", "attempted", 1)
    asked = wait_out(stack, phone, before + 1)[-1]
    assert seen(asked) == (
        "Hina, TCS aap ka order SD-FD1 aaj deliver nahi kar saka (Consignee Not Available). Kya kal dobara bhej "
        "dein, address ya waqt badalna hai, ya order cancel karna hai?")
    assert buttons(asked) == [("Kal dobara bhejein", '/affirm{"order_id":"SD-FD1"}'),
                              ("Address/waqt badlein", '/change_address{"order_id":"SD-FD1"}'),
                              ("Cancel karein", '/cancel_order{"order_id":"SD-FD1"}')]
    assert stack.reply_texts(phone, button={"id": '/affirm{"order_id":"SD-FD1"}', "title": "Kal dobara bhejein"}) == [
        "Theek hai! Order SD-FD1 kal dobara deliver karne ko keh diya hai. Baraye meharbani rider ka phone zaroor "
        "uthayein."]
    _scan(stack, "SD-FD1", "Out for Delivery", "out_for_delivery", 2)
    _scan(stack, "SD-FD1", "Recipient Refused", "attempted", 3)
    with lifecycle_db(stack) as session:
        order_id = session.scalar(select(Order.id).where(Order.ref == "SD-FD1"))
        attempts = [(r.attempt, r.raw_status, r.choice) for r in session.scalars(
            select(DeliveryRecovery).where(DeliveryRecovery.order_id == order_id).order_by(DeliveryRecovery.id))]
        queue = {e.reason: e for e in session.scalars(select(Escalation).where(Escalation.order_id == order_id))}
    assert attempts == [(1, "Consignee Not Available", "reattempt"), (2, "Recipient Refused", None)]
    assert queue["delivery_choice"].note == (
        "order SD-FD1, failed attempt 1 (Consignee Not Available): deliver again tomorrow")
    assert queue["delivery_failed_again"].sla_due_at is not None
    assert order_row(stack, "SD-FD1").status == "dispatched"
