"""The scheduler, the outbox and the sending policy, on SQLite and the real PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from lifecycle.db.models import Customer, Escalation, Order, OutboxMessage, Touchpoint
from lifecycle.domain import customers, orders, payments
from lifecycle.engine import outbox
from lifecycle.engine.scheduler import Worker, claim
from lifecycle.service import handler_registry
from tests.unit.lifecycle.conftest import cod_order
from whatsapp.graph_client import SendResult

CONFIRM_EN = (
    "Hello Ayesha! We have received your order SD-1001: 1 x Lawn 3-piece (M). Rs. 2,500 is payable in cash "
    "on delivery, delivery to Lahore. Shall we confirm your order?"
)


def run(worker) -> int:
    return asyncio.run(worker.run_once())


def place(db, clock, settings, inbound: bool = False, **changes) -> int:
    with db.session.begin() as session:
        order = orders.place(session, cod_order(**changes), clock.now(), settings)
        if inbound:
            customers.record_inbound(session, order.customer, clock.now() - timedelta(hours=1))
        return order.id


def touchpoint_states(db, order_id) -> dict[str, str]:
    with db.session() as session:
        return {t.kind: t.state for t in session.scalars(select(Touchpoint).where(Touchpoint.order_id == order_id))}


def test_inside_the_window_the_confirmation_is_an_interactive_message_with_order_buttons(
    db, clock, settings, sender, worker
):
    place(db, clock, settings, inbound=True, language="english")
    assert run(worker) == 1
    [payload] = sender.sent
    assert payload["to"] == "923001234567" and payload["type"] == "interactive"
    assert payload["interactive"]["body"]["text"] == CONFIRM_EN
    assert [b["reply"] for b in payload["interactive"]["action"]["buttons"]] == [
        {"id": '/confirm_order{"order_id":"SD-1001"}', "title": "Confirm order"},
        {"id": '/cancel_order{"order_id":"SD-1001"}', "title": "Cancel order"},
    ]
    with db.session() as session:
        pending = customers.pending(session, session.scalar(select(Customer)))
        assert (pending.kind, session.get(Order, pending.order_id).ref) == ("confirm_order", "SD-1001")
        message = session.scalar(select(OutboxMessage))
        assert (message.status, message.wamid, message.mode, message.text) == (
            "accepted",
            "wamid.test1",
            "session",
            CONFIRM_EN,
        )


def test_outside_the_window_the_approved_template_goes_with_its_parameters_in_order(
    db, clock, settings, sender, worker
):
    place(db, clock, settings)
    run(worker)
    [payload] = sender.sent
    template = payload["template"]
    assert (template["name"], template["language"]["code"]) == ("sauda_cod_confirmation", "ur")
    assert [p["text"] for p in template["components"][0]["parameters"]] == [
        "Ayesha",
        "SD-1001",
        "1 x Lawn 3-piece (M)",
        "2,500",
        "Lahore",
    ]
    assert [c["parameters"][0]["payload"] for c in template["components"][1:]] == [
        '/confirm_order{"order_id":"SD-1001"}',
        '/cancel_order{"order_id":"SD-1001"}',
    ]


def test_no_answer_gets_one_reminder_then_the_order_is_cancelled(db, clock, settings, sender, worker):
    order_id = place(db, clock, settings, inbound=True)
    run(worker)
    clock.advance(2 * 3600 - 1)
    assert run(worker) == 0  # not due yet
    clock.advance(1)
    run(worker)
    clock.advance(6 * 3600)
    run(worker)
    assert [
        p["interactive"]["body"]["text"] if p["type"] == "interactive" else p.get("template", {}).get("name")
        for p in sender.sent
    ][1] == (
        "Ayesha, aap ka order SD-1001 (Rs. 2,500) abhi confirm nahi hua. Confirm kar dein taake hum jald bhej sakein."
    )
    assert sender.sent[2]["text"]["body"] == (
        "Confirmation na milne ki wajah se order SD-1001 cancel kar diya gaya "
        "hai. Dobara order karna ho to humein message kar dijiye."
    )
    with db.session() as session:
        order = session.get(Order, order_id)
        assert (order.status, order.cancellation.source) == ("cancelled", "no_answer")


def test_no_answer_with_the_call_option_flags_the_order_for_a_call_and_sends_nothing(db, clock, settings, sender):
    worker = Worker(
        db, replace(settings, cod_no_answer_action="call"), sender, handler_registry(), clock=clock, name="w"
    )
    order_id = place(db, clock, settings, inbound=True)
    for step in (0, 2 * 3600, 6 * 3600):
        clock.advance(step)
        run(worker)
    assert len(sender.sent) == 2
    with db.session() as session:
        order = session.get(Order, order_id)
        assert (order.status, order.needs_call) == ("pending_confirmation", True)
        assert session.scalar(select(Escalation.reason)) == "cod_no_answer"


def test_confirming_drops_the_pending_reminders(db, clock, settings, sender, worker):
    order_id = place(db, clock, settings)
    run(worker)
    with db.session.begin() as session:
        orders.confirm(session, session.get(Order, order_id), "customer", clock.now())
    clock.advance(9 * 3600)
    run(worker)
    assert len(sender.sent) == 1
    assert touchpoint_states(db, order_id) == {
        "cod_confirmation": "done",
        "cod_reminder": "cancelled",
        "cod_no_answer": "cancelled",
        "merchant_webhook": "skipped",
    }


def test_a_stop_condition_met_after_scheduling_skips_the_send(db, clock, settings, sender, worker):
    """Cancelled by the merchant in the same instant: the due confirmation must not go out."""
    order_id = place(db, clock, settings)
    with db.session.begin() as session:
        session.get(Order, order_id).status = "cancelled"  # as another process would leave it
    run(worker)
    assert sender.sent == []
    with db.session() as session:
        tp = session.scalar(select(Touchpoint).where(Touchpoint.kind == "cod_confirmation"))
        assert (tp.state, tp.result) == ("skipped", "order SD-1001 is cancelled")


def test_quiet_hours_defer_utility_when_the_merchant_says_so(db, settings, sender):
    from lifecycle.domain.clock import Clock

    late = Clock(datetime(2026, 3, 2, 18, 30, tzinfo=timezone.utc))  # 23:30 in Karachi
    worker = Worker(db, replace(settings, quiet_allows_utility=False), sender, handler_registry(), clock=late, name="w")
    place(db, late, settings)
    run(worker)
    assert sender.sent == []
    with db.session() as session:
        tp = session.scalar(select(Touchpoint).where(Touchpoint.kind == "cod_confirmation"))
        assert (tp.state, tp.due_at, tp.result) == (
            "scheduled",
            datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc),
            "quiet hours",
        )


def test_transient_failures_are_retried_with_backoff_until_sent(db, clock, settings, sender, worker):
    sender.failures = [
        SendResult("rate_limited", status_code=429, error_code=130429, attempts=5),
        SendResult("error", status_code=500, attempts=5),
    ]
    order_id = place(db, clock, settings)
    run(worker)
    run(worker)  # backoff: not due again yet
    assert sender.sent == []
    clock.advance(30)
    run(worker)
    clock.advance(60)
    run(worker)
    assert len(sender.sent) == 1
    with db.session() as session:
        messages = list(session.scalars(select(OutboxMessage)))
        assert [(m.status, m.attempts) for m in messages] == [("accepted", 3)]  # one row, reused
    assert touchpoint_states(db, order_id)["cod_confirmation"] == "done"


def test_undeliverable_stops_and_is_recorded(db, clock, settings, sender, worker):
    sender.failures = [SendResult("undeliverable", status_code=400, error_code=131026, error_message="no WhatsApp")]
    place(db, clock, settings)
    run(worker)
    clock.advance(3600)
    run(worker)
    with db.session() as session:
        tp = session.scalar(select(Touchpoint).where(Touchpoint.kind == "cod_confirmation"))
        message = session.scalar(select(OutboxMessage))
    assert (tp.state, message.status, message.error_code) == ("failed", "failed", 131026)
    assert "undeliverable (131026)" in tp.result
    assert sender.sent == []


def test_outside_window_on_send_is_resent_as_the_template(db, clock, settings, sender, worker):
    sender.failures = [SendResult("outside_window", status_code=400, error_code=131047)]
    place(db, clock, settings, inbound=True)
    run(worker)  # session message refused
    run(worker)  # template
    assert [p["type"] for p in sender.sent] == ["template"]
    with db.session() as session:
        assert [(m.mode, m.status) for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))] == [
            ("session", "failed"),
            ("template", "accepted"),
        ]


def test_status_webhooks_in_any_order_and_duplicated_end_in_the_right_state(db, clock, settings, sender, worker):
    place(db, clock, settings)
    run(worker)
    now = clock.now()
    with db.session.begin() as session:
        for status in ("read", "sent", "delivered", "read", "sent"):
            outbox.apply_status(session, "wamid.test1", status, [], now, now)
        # a late failure cannot undo a message the customer has read
        outbox.apply_status(session, "wamid.test1", "failed", [{"code": 131026}], now, now)
    with db.session() as session:
        assert session.scalar(select(OutboxMessage.status)) == "read"


def test_a_late_131047_failure_resends_the_touchpoint_as_a_template_once(db, clock, settings, sender, worker):
    place(db, clock, settings, inbound=True)
    run(worker)
    now = clock.now()
    with db.session.begin() as session:
        for _ in range(2):  # delivered twice by Meta
            outbox.apply_status(session, "wamid.test1", "sent", [], now, now)
            outbox.apply_status(
                session, "wamid.test1", "failed", [{"code": 131047, "title": "Re-engagement"}], now, now
            )
    run(worker)
    run(worker)
    assert [p["type"] for p in sender.sent] == ["interactive", "template"]


def test_131050_marks_the_customer_opted_out_of_marketing(db, clock, settings, sender, worker):
    place(db, clock, settings)
    run(worker)
    now = clock.now()
    with db.session.begin() as session:
        assert outbox.apply_status(session, "wamid.test1", "failed", [{"code": 131050}], now, now) == "opted_out"
    with db.session() as session:
        customer = session.scalar(select(Customer))
        assert customer.opted_out_source == "whatsapp_131050"


def test_policy_marketing_opt_out_cap_and_quiet_hours(db, clock, settings):
    from lifecycle.engine import policy

    with db.session.begin() as session:
        customer = customers.get_or_create(session, "03001234567", clock.now())
        assert policy.check(session, customer, "MARKETING", clock.now(), settings).action == "send"
        for minutes in (0, 30):
            session.add(
                OutboxMessage(
                    customer_id=customer.id,
                    template="x",
                    category="MARKETING",
                    mode="template",
                    payload={},
                    text="x",
                    created_at=clock.now() + timedelta(minutes=minutes),
                )
            )
        session.flush()
        later = clock.now() + timedelta(hours=1)
        capped = policy.check(session, customer, "MARKETING", later, settings)
        assert (capped.action, capped.until) == ("defer", clock.now() + timedelta(days=1))
        assert policy.check(session, customer, "UTILITY", later, settings).action == "send"
        night = datetime(2026, 3, 2, 20, 0, tzinfo=timezone.utc)  # 01:00 in Karachi
        assert policy.check(session, customer, "MARKETING", night, settings).until == datetime(
            2026, 3, 3, 4, 0, tzinfo=timezone.utc
        )
        customers.set_opt_out(session, customer, True, "keyword", clock.now())
        verdict = policy.check(session, customer, "MARKETING", later, settings)
        assert (verdict.action, verdict.reason) == ("skip", "opted out (keyword)")
        assert policy.check(session, customer, "UTILITY", night, settings).action == "send"


def test_a_dead_workers_claim_is_taken_over_after_its_lease_without_a_duplicate(db, clock, settings, sender, worker):
    """Worker A claims and plans (queues the outbox row), then dies before sending."""
    place(db, clock, settings)
    dead = Worker(db, settings, sender, handler_registry(), clock=clock, name="dead")
    with db.session.begin() as session:
        ids = claim(session, clock.now(), "dead", 10, settings.worker_lease, handler_registry())
    with db.session.begin() as session:
        dead._plan(session, ids, clock.now(), isolate=False)
    assert run(worker) == 0  # still leased to the dead worker
    clock.advance(settings.worker_lease + 1)
    assert run(worker) == 1
    assert len(sender.sent) == 1
    with db.session() as session:
        assert session.scalar(select(OutboxMessage.status)) == "accepted"
        assert len(list(session.scalars(select(OutboxMessage)))) == 1


def test_payment_flow_instructions_reminder_and_verification(db, clock, settings, sender, worker):
    order_id = place(db, clock, settings, payment_method="jazzcash", language="english")
    run(worker)
    assert sender.sent[0]["template"]["name"] == "sauda_payment_instructions"
    assert [p["text"] for p in sender.sent[0]["template"]["components"][0]["parameters"]] == [
        "Ayesha",
        "SD-1001",
        "2,500",
        "JazzCash",
        "03001112222",
        "Sauda Demo",
    ]
    clock.advance(6 * 3600)
    run(worker)
    assert sender.sent[1]["template"]["name"] == "sauda_payment_reminder"
    with db.session.begin() as session:
        customer = session.scalar(select(Customer))
        payment = payments.awaited(session, customer)
        payments.submit(session, payment, "01234567890", "TID: 01234567890 Rs 2500 sent", clock.now())
    with db.session.begin() as session:
        payments.verify(session, session.get(Order, order_id), "ayesha", clock.now())
    run(worker)
    assert sender.sent[2]["template"]["name"] == "sauda_payment_received"
    with db.session() as session:
        order = session.get(Order, order_id)
        assert order.status == "confirmed"
        assert (order.payments[0].status, order.payments[0].verified_by, order.payments[0].raw_text) == (
            "verified",
            "ayesha",
            "TID: 01234567890 Rs 2500 sent",
        )


def test_one_broken_touchpoint_fails_alone_and_the_rest_of_the_batch_is_sent(db, clock, settings, sender):
    """A wallet order with no account configured cannot be rendered; the COD order beside it still goes."""
    worker = Worker(db, replace(settings, accounts={}), sender, handler_registry(), clock=clock, name="w")
    place(db, clock, settings, ref="SD-1", payment_method="jazzcash")
    place(db, clock, settings, ref="SD-2", phone="03007654321")
    assert run(worker) == 2
    assert [p["template"]["name"] for p in sender.sent] == ["sauda_cod_confirmation"]
    with db.session() as session:
        broken = session.scalar(select(Touchpoint).where(Touchpoint.kind == "payment_instructions"))
    assert broken.state == "failed"
    assert broken.result == "LookupError: no jazzcash account configured (SAUDA_JAZZCASH_ACCOUNT)"
