"""CSAT end to end: delivered → 24 h later the question → "Problem Thi" → escalation, the bot
goes quiet → SLA breach at 15 min → the agent replies from the console → resolved and the
bot answers again; and a positive answer gets the review links. Real Rasa, app server and
simulator, with the dev clock moved forward."""

from __future__ import annotations

from sqlalchemy import select

from lifecycle.db.engagement_models import EscalationActivity
from lifecycle.db.models import Customer, Escalation
from tests.stack.engagement_helpers import (
    Agent,
    advance,
    event,
    lifecycle_db,
    new_phone,
    outbound,
    seen,
    wait_for,
    wait_out,
)
from tests.stack.test_lifecycle_end_to_end import buttons, place


def deliver(stack, ref: str, phone: str) -> int:
    """Order placed, confirmed by button, shipped and delivered; returns the messages so far."""
    stack.say(phone, "AoA")
    place(stack, ref, phone)
    stack.say(phone, button={"id": f'/confirm_order{{"order_id":"{ref}"}}', "title": "Confirm karein"})
    event(stack, "shipment.booked", order_id=ref, courier="tcs", cn=f"TCS{ref[-4:]}", estimated_days="2")
    event(stack, "order.delivered", order_id=ref)
    wait_for(
        lambda: any(f"order {ref} deliver ho gaya" in seen(m) for m in outbound(stack, phone)),
        what=f"the delivered message for {ref}",
    )
    return len(outbound(stack, phone))


def escalation_of(stack, phone: str):
    with lifecycle_db(stack) as session:
        row = session.execute(
            select(Escalation, EscalationActivity)
            .join(Customer)
            .join(EscalationActivity, EscalationActivity.escalation_id == Escalation.id)
            .where(Customer.phone == phone)
        ).first()
        return row


def test_problem_thi_escalates_breaches_at_15_minutes_and_the_agent_resolves(stack):
    phone = new_phone()
    count = deliver(stack, "SD-CS01", phone)
    advance(stack, 24 * 3600)
    question = wait_out(stack, phone, count + 1)[-1]
    assert question["type"] == "template" and question["message"]["name"] == "sauda_csat_question"
    # the name typed at checkout: the WhatsApp profile name ("Customer" in the simulator) does not replace it
    assert seen(question) == (
        "Hina, umeed hai aap ko order SD-CS01 mil gaya aur pasand aya. Aap ka tajurba kaisa raha?"
    )
    assert buttons(question) == [
        ("Bahut Acha", '/csat_positive{"order_id":"SD-CS01"}'),
        ("Problem Thi", '/csat_negative{"order_id":"SD-CS01"}'),
    ]

    sorry = stack.reply_texts(
        phone, template_button={"payload": '/csat_negative{"order_id":"SD-CS01"}', "text": "Problem Thi"}
    )
    assert sorry == [
        "Hamein is ka bohat afsos hai. Hamari team ka koi rukn jald aap se raabta kar ke masla hal karega."
    ]
    escalation, activity = escalation_of(stack, phone)
    assert (escalation.reason, escalation.status, escalation.breached_at) == ("csat_negative", "open", None)
    assert any(line["who"] == "customer" for line in activity.conversation)
    assert stack.say(phone, "koi hai? kapra phata hua tha", wait=3)["replies"] == []  # the bot is paused

    advance(stack, 16 * 60)
    wait_for(lambda: escalation_of(stack, phone)[0].breached_at, what="the SLA breach")
    agent = Agent(stack)
    queue = agent.page("/console/escalations")
    assert f'data-escalation="{escalation.id}"' in queue and "BREACHED" in queue
    detail = agent.page(f"/console/escalations/{escalation.id}")
    assert "koi hai? kapra phata hua tha" in detail and "SD-CS01" in detail

    path = f"/console/escalations/{escalation.id}"
    sent = agent.submit(path, f"{path}/reply", text="Maazrat Hina, main Sana hoon. Hum kapra badal denge.")
    assert sent.status_code == 303 and "error" not in sent.headers["location"]
    assert seen(outbound(stack, phone)[-1]) == "Maazrat Hina, main Sana hoon. Hum kapra badal denge."
    assert agent.submit(path, f"{path}/resolve").status_code == 303
    escalation, activity = escalation_of(stack, phone)
    assert (escalation.status, escalation.assigned_to) == ("resolved", "agent")
    assert activity.first_reply_at is not None and not activity.bot_paused
    assert stack.reply_texts(phone, "AoA")  # the bot answers again


def test_bahut_acha_gets_thanks_and_the_review_links(stack):
    phone = new_phone()
    count = deliver(stack, "SD-CS02", phone)
    advance(stack, 24 * 3600)
    wait_out(stack, phone, count + 1)
    replies = stack.reply_texts(
        phone, template_button={"payload": '/csat_positive{"order_id":"SD-CS02"}', "text": "Bahut Acha"}
    )
    assert replies[0] == (
        "Bohat shukriya, sun kar khushi hui! Agar aap ek chhota sa review de dein to bohat meherbani hogi."
    )
    assert replies[1] == (
        "Review yahan de sakte hain:\nhttps://g.page/r/sauda-demo-store/review\n"
        "https://facebook.com/saudademostore/reviews"
    )
    assert escalation_of(stack, phone) is None
