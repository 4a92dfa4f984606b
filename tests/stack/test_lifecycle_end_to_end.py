"""Each touchpoint end to end: shop event → app server worker → simulator (Graph API) → customer
taps or types → Rasa → actions → database, with the clock moved forward."""

from __future__ import annotations

import json
import secrets
import time

import httpx
import pytest
from sqlalchemy import select

from lifecycle.db.engine import Database
from lifecycle.db.models import Order, OutboxMessage, Touchpoint
from lifecycle.integrations import signing
from tests.stack import AGENT_PASSWORD, logged_in, message_text


def event(stack, type_: str, **data) -> dict:
    raw = json.dumps({"id": f"evt-{secrets.token_hex(8)}", "type": type_, "data": data}).encode()
    answer = httpx.post(
        f"{stack.app_url}/lifecycle/events",
        content=raw,
        headers=signing.headers(stack.env["SAUDA_EVENTS_SECRET"], int(time.time()), raw),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def advance(stack, seconds: float) -> None:
    raw = json.dumps({"seconds": seconds}).encode()
    answer = httpx.post(
        f"{stack.app_url}/lifecycle/dev/clock",
        content=raw,
        headers=signing.headers(stack.env["SAUDA_EVENTS_SECRET"], int(time.time()), raw),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["simulator"] == "moved"


def outbound(stack, phone: str) -> list[dict]:
    messages = httpx.get(f"{stack.sim_url}/sim/customers/{phone}/transcript").json()["messages"]
    return [m for m in messages if m["direction"] == "out"]


def wait_out(stack, phone: str, count: int, timeout: float = 15) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        out = outbound(stack, phone)
        if len(out) >= count or time.monotonic() > deadline:
            assert len(out) >= count, f"expected {count} messages to {phone}, got {[seen(m) for m in out]}"
            return out
        time.sleep(0.2)


def seen(record: dict) -> str:
    """What the customer reads: text, interactive body, or the rendered template."""
    if record["type"] == "template":
        return (record.get("rendered") or {}).get("text", "")
    return message_text(record)


def buttons(record: dict) -> list[tuple[str, str]]:
    if record["type"] == "template":
        return [(b["title"], b["payload"]) for b in (record.get("rendered") or {}).get("buttons", [])]
    action = record["message"].get("action") or {}
    if "buttons" in action:
        return [(b["reply"]["title"], b["reply"]["id"]) for b in action["buttons"]]
    return [(r["title"], r["id"]) for s in action.get("sections", []) for r in s["rows"]]


def order_row(stack, ref: str) -> Order:
    db = Database(f"sqlite:///{stack.data_dir / 'lifecycle.db'}")
    try:
        with db.session() as session:
            order = session.scalar(select(Order).where(Order.ref == ref))
            _ = order.cancellation, order.payments, order.shipments  # load before the session closes
            return order
    finally:
        db.engine.dispose()


def place(stack, ref: str, phone: str, method: str = "cod", **data) -> None:
    event(
        stack,
        "order.placed",
        order_id=ref,
        phone=phone,
        name="Hina",
        payment_method=method,
        amount="2500",
        items=[{"name": "Lawn 3-piece", "quantity": 1, "price": "2500", "size": "M"}],
        city="Lahore",
        address="12 Main Boulevard, Gulberg",
        **data,
    )


def test_cod_confirmation_inside_the_window_and_the_confirm_button(stack):
    phone = "+923004440001"
    stack.say(phone, "AoA")  # opens the 24 h window
    before = len(outbound(stack, phone))
    place(stack, "SD-E2E1", phone)
    confirmation = wait_out(stack, phone, before + 1)[-1]
    assert confirmation["type"] == "interactive"
    assert seen(confirmation) == (
        "Assalam o alaikum Hina! Aap ka order SD-E2E1 mil gaya hai: 1 x Lawn 3-piece (M). Cash on delivery par "
        "Rs. 2,500 ada karne honge, delivery Lahore mein. Kya hum order confirm kar dein?"
    )
    assert buttons(confirmation) == [
        ("Confirm karein", '/confirm_order{"order_id":"SD-E2E1"}'),
        ("Cancel karein", '/cancel_order{"order_id":"SD-E2E1"}'),
    ]
    replies = stack.reply_texts(phone, button={"id": '/confirm_order{"order_id":"SD-E2E1"}', "title": "Confirm karein"})
    assert replies == [
        "Shukriya! Order SD-E2E1 confirm ho gaya hai aur jald dispatch hoga. Tracking ki tafseel hum aap ko bhej denge."
    ]
    assert order_row(stack, "SD-E2E1").status == "confirmed"
    bot_events = [e for e in stack.tracker(phone)["events"] if e["event"] == "bot"]
    proactive = [e for e in bot_events if (e.get("metadata") or {}).get("proactive")]
    assert [e["metadata"]["touchpoint"] for e in proactive] == ["cod_confirmation"]
    assert proactive[0]["text"] == seen(confirmation)


def test_no_answer_outside_the_window_template_reminder_then_auto_cancel(stack):
    phone = "+923004440002"
    place(stack, "SD-E2E2", phone, language="english")
    first = wait_out(stack, phone, 1)[0]
    assert (first["type"], first["message"]["name"]) == ("template", "sauda_cod_confirmation")
    assert seen(first).startswith("Hello Hina! We have received your order SD-E2E2")
    advance(stack, 2 * 3600)
    reminder = wait_out(stack, phone, 2)[1]
    assert seen(reminder) == (
        "Hina, your order SD-E2E2 (Rs. 2,500) is not confirmed yet. Please confirm it so we can ship it soon."
    )
    advance(stack, 6 * 3600)
    cancelled = wait_out(stack, phone, 3)[2]
    assert seen(cancelled) == (
        "Order SD-E2E2 was cancelled because we did not receive a confirmation. Message us any time to order again."
    )
    order = order_row(stack, "SD-E2E2")
    assert (order.status, order.cancellation.source) == ("cancelled", "no_answer")


def test_cancel_button_cancels_at_once_then_reason_then_no_reminder(stack):
    phone = "+923004440003"
    stack.say(phone, "AoA")
    before = len(outbound(stack, phone))
    place(stack, "SD-E2E3", phone)
    wait_out(stack, phone, before + 1)
    ask = stack.say(phone, button={"id": '/cancel_order{"order_id":"SD-E2E3"}', "title": "Cancel karein"})["replies"]
    assert [seen(r) for r in ask] == [
        "Order SD-E2E3 cancel kar diya gaya hai. Umeed hai jald dobara khidmat ka mauqa milega.",
        "Kya aap bata sakte hain order SD-E2E3 kyun cancel kiya? Is se hamein behtar hone mein madad milegi.",
    ]
    assert buttons(ask[1])[1] == ("Kahin sasta mil gaya", '/cancel_reason{"cancel_reason": "found_cheaper"}')
    assert (order_row(stack, "SD-E2E3").status, order_row(stack, "SD-E2E3").cancellation.reason) == (
        "cancelled", None)
    offer = stack.say(
        phone, list={"id": '/cancel_reason{"cancel_reason": "found_cheaper"}', "title": "Kahin sasta mil gaya"}
    )["replies"]
    assert [seen(r) for r in offer] == [
        "Bataane ka shukriya. Kya aap order SD-E2E3 alag size, rang ya address ke saath dobara chahenge? "
        "Hum naya order bana dete hain."
    ]
    done = stack.reply_texts(phone, button={"id": "/deny", "title": "Nahi, shukriya"})
    assert done == ["Theek hai. Order SD-E2E3 cancel hi rahega. Jab chahein dobara order kar sakte hain."]
    sent = len(outbound(stack, phone))
    advance(stack, 26 * 3600)  # past the reminder and the no-answer cancellation
    time.sleep(3)
    assert len(outbound(stack, phone)) == sent
    order = order_row(stack, "SD-E2E3")
    assert (order.status, order.cancellation.reason, order.cancellation.source) == (
        "cancelled",
        "found_cheaper",
        "customer",
    )


def test_jazzcash_instructions_transaction_id_and_verification(stack):
    phone = "+923004440004"
    stack.say(phone, "AoA")
    before = len(outbound(stack, phone))
    place(stack, "SD-E2E4", phone, method="jazzcash")
    instructions = wait_out(stack, phone, before + 1)[-1]
    assert seen(instructions) == (
        "Shukriya Hina! Order SD-E2E4 ke liye Rs. 2,500 JazzCash account 03001112222 (Sauda Demo Store) mein bhej "
        "dijiye, reference mein SD-E2E4 likhein. Payment ke baad Transaction ID (TID) yahan bhej dein."
    )
    replies = stack.reply_texts(phone, "TID 01234567890 payment kar di hai")
    assert replies == [
        "Shukriya! Order SD-E2E4 ke liye transaction ID 01234567890 mil gayi hai. Hamari team "
        "payment check kar ke jald order confirm kar degi."
    ]
    payment = order_row(stack, "SD-E2E4").payments[0]
    assert (payment.status, payment.transaction_id, payment.raw_text) == (
        "submitted",
        "01234567890",
        "TID 01234567890 payment kar di hai",
    )
    with logged_in(stack.app_url, "agent", AGENT_PASSWORD) as agent:
        waiting = agent.get("/console/payments").json()
        assert {"order_id": "SD-E2E4", "transaction_id": "01234567890"}.items() <= next(
            w for w in waiting["waiting"] if w["order_id"] == "SD-E2E4"
        ).items()
        verified = agent.post("/console/payments/SD-E2E4/verify", headers={"X-CSRF-Token": waiting["csrf"]})
    assert verified.json()["order_status"] == "confirmed"
    received = wait_out(stack, phone, before + 3)[-1]
    assert seen(received) == (
        "Order SD-E2E4 ki Rs. 2,500 payment mil gayi hai aur order confirm ho gaya hai. Shukriya!"
    )
    assert order_row(stack, "SD-E2E4").payments[0].verified_by == "agent"


def test_dispatch_out_for_delivery_and_delivered(stack):
    phone = "+923004440005"
    stack.say(phone, "hello")
    before = len(outbound(stack, phone))
    place(stack, "SD-E2E5", phone)
    wait_out(stack, phone, before + 1)
    stack.say(phone, button={"id": '/confirm_order{"order_id":"SD-E2E5"}', "title": "Confirm order"})
    event(stack, "shipment.booked", order_id="SD-E2E5", courier="leopards", cn="LE7788990", estimated_days="2-3")
    token = order_row(stack, "SD-E2E5").shipments[0].tracking_token
    dispatch = wait_out(stack, phone, before + 3)[-1]
    assert seen(dispatch) == (
        "Your order SD-E2E5 has been shipped with Leopards Courier (CN LE7788990). It should "
        f"arrive in 2-3 days. Track it: {stack.app_url}/track/{token}"
    )
    event(
        stack,
        "shipment.scan",
        order_id="SD-E2E5",
        courier="leopards",
        cn="LE7788990",
        raw_status="Assign to Courier",
        state="out_for_delivery",
        at="2026-11-29T05:00:00Z",
    )
    alert = wait_out(stack, phone, before + 4)[-1]
    assert seen(alert) == (
        "Your order SD-E2E5 is out for delivery today with Leopards Courier. Please keep Rs. 2,500 in cash ready."
    )
    event(stack, "order.delivered", order_id="SD-E2E5")
    delivered = wait_out(stack, phone, before + 5)[-1]
    assert seen(delivered) == "Your order SD-E2E5 has been delivered. Thank you for shopping with us!"
    db = Database(f"sqlite:///{stack.data_dir / 'lifecycle.db'}")
    with db.session() as session:
        csat = session.scalar(select(Touchpoint).join(Order).where(Order.ref == "SD-E2E5", Touchpoint.kind == "csat"))
        assert csat.state == "scheduled"
    db.engine.dispose()


def test_graph_api_errors_for_a_while_then_everything_is_delivered(stack):
    phones = [f"+92300444010{i}" for i in range(3)]
    httpx.post(f"{stack.sim_url}/sim/faults", json={"count": 12, "http_status": 500})
    for n, phone in enumerate(phones):
        place(stack, f"SD-E2EF{n}", phone)
    time.sleep(3)
    advance(stack, 120)  # past the worker's retry backoff
    for phone in phones:
        [message] = wait_out(stack, phone, 1, timeout=20)
        assert message["message"]["name"] == "sauda_cod_confirmation"
    httpx.delete(f"{stack.sim_url}/sim/faults")


def test_a_session_message_failed_by_webhook_131047_is_resent_as_the_template(stack):
    """Meta accepts a session message and fails it later by status webhook (131047: the 24 h
    window had closed after all): the lifecycle resends the approved template."""
    phone = "+923004440011"
    stack.say(phone, "AoA")
    before = len(outbound(stack, phone))
    httpx.post(f"{stack.sim_url}/sim/faults", json={"code": 131047, "via_webhook": True}).raise_for_status()
    try:
        place(stack, "SD-E2E131047", phone)
        session_try, template = wait_out(stack, phone, before + 2, timeout=30)[before:]
    finally:
        httpx.delete(f"{stack.sim_url}/sim/faults")
    assert session_try["type"] == "interactive" and "SD-E2E131047" in seen(session_try)
    assert (template["type"], template["message"]["name"]) == ("template", "sauda_cod_confirmation")
    assert "SD-E2E131047" in seen(template)
    assert ("Confirm karein", '/confirm_order{"order_id":"SD-E2E131047"}') in buttons(template)
    db = Database(f"sqlite:///{stack.data_dir / 'lifecycle.db'}")
    try:
        with db.session() as session:
            rows = session.execute(
                select(OutboxMessage.mode, OutboxMessage.status, OutboxMessage.error_code)
                .join(Touchpoint, Touchpoint.id == OutboxMessage.touchpoint_id)
                .where(Touchpoint.key.like("%SD-E2E131047%"), Touchpoint.kind == "cod_confirmation")
                .order_by(OutboxMessage.id)
            ).all()
    finally:
        db.engine.dispose()
    assert [tuple(r) for r in rows][:2] == [("session", "failed", 131047), ("template", rows[1][1], None)]
    assert rows[1][1] in ("accepted", "sent", "delivered", "read")


def test_proactive_messages_sent_while_rasa_is_down_reach_the_tracker_after(stack):
    """The worker does not wait for Rasa to send; what Rasa could not record is posted to
    the tracker once Rasa is back, so a later reply still lands in context."""
    phone = "+923004440012"
    stack.processes["rasa"].terminate()
    stack.processes["rasa"].wait(timeout=30)
    try:
        place(stack, "SD-E2ERASA", phone)
        [confirmation] = wait_out(stack, phone, 1)
    finally:
        stack.launch("rasa")
        stack.wait_healthy("rasa")
    deadline = time.monotonic() + 30
    while True:
        proactive = [
            e
            for e in stack.tracker(phone)["events"]
            if e["event"] == "bot" and (e.get("metadata") or {}).get("proactive")
        ]
        if proactive or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert [e["metadata"]["touchpoint"] for e in proactive] == ["cod_confirmation"]
    assert proactive[0]["text"] == seen(confirmation)
