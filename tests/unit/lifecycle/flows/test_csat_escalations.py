"""CSAT after delivery, the answer's classification, escalation with its 15-minute SLA,
agent alerts, reply and hand-back: lifecycle functions on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from sanic import response as sanic_response
from sqlalchemy import select

from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.conversation.csat import reply as csat_reply
from lifecycle.conversation.handoff import handoff
from lifecycle.conversation.replies import resolve_pending
from lifecycle.db.engagement_models import AgentAlert, CsatResponse, EscalationActivity
from lifecycle.db.models import Escalation, PendingQuestion
from lifecycle.domain import customers, escalations, orders
from lifecycle.flows.engagement import EngagementLoop
from lifecycle.flows.sentiment import classify
from tests.fakes.serving import new_app, serve
from tests.unit.lifecycle.conftest import cod_order
from tests.unit.lifecycle.flows.conftest import PHONE, said


def deliver(db, clock, settings, ref="SD-2001", items=None):
    """A COD order confirmed, shipped and delivered now; returns its ref."""
    now = clock.now()
    with db.session.begin() as session:
        order = orders.place(
            session,
            cod_order(
                ref=ref,
                items=items
                or [{"name": "Gulnaar Lawn 3-Piece", "quantity": 1, "price": "5490", "sku": "GULNAAR-LAWN-M"}],
            ),
            now,
            settings,
        )
        orders.confirm(session, order, "customer", now)
        shipment = orders.book_shipment(session, order, "tcs", f"CN{ref}", now)
        orders.record_scan(session, shipment, "Delivered", "delivered", now, now, settings)
    return ref


@pytest.mark.parametrize(
    "text,expected",
    [
        ("bohat acha tha", "positive"),
        ("Bahut acha, shukriya", "positive"),
        ("it was great, loved it", "positive"),
        ("koi problem nahi thi, sab theek tha", "positive"),
        ("bilkul bakwas, kapra kharab tha", "negative"),
        ("acha nahi tha", "negative"),
        ("not good at all", "negative"),
        ("parcel late aya aur toota hua tha", "negative"),
        ("kapra acha tha lekin size ghalat tha", "negative"),
        ("hmm", None),
        ("ok", None),
        ("kal baat karte hain", None),
    ],
)
def test_free_text_answers_are_classified_in_roman_urdu_and_english(text, expected):
    assert classify(text) == expected


def test_24h_after_delivery_the_question_goes_as_a_template_with_the_two_buttons(db, clock, settings, sender, worker):
    deliver(db, clock, settings)
    asyncio.run(worker.run_once())
    assert [p["template"]["name"] for p in sender.sent] == ["sauda_delivered"]
    clock.advance(24 * 3600)
    asyncio.run(worker.run_once())
    question = sender.sent[-1]
    assert question["template"]["name"] == "sauda_csat_question"
    body = question["template"]["components"][0]["parameters"]
    assert [p["text"] for p in body] == ["Ayesha", "SD-2001"]
    buttons = [c["parameters"][0]["payload"] for c in question["template"]["components"][1:]]
    assert buttons == ['/csat_positive{"order_id":"SD-2001"}', '/csat_negative{"order_id":"SD-2001"}']
    with db.session() as session:
        assert session.get(PendingQuestion, customers.find(session, PHONE).id).kind == "csat"


def test_inside_the_window_the_question_is_interactive_with_bahut_acha_and_problem_thi(
    db, clock, settings, sender, worker
):
    deliver(db, clock, settings)
    clock.advance(23 * 3600)
    with db.session.begin() as session:
        customers.record_inbound(session, customers.find(session, PHONE), clock.now())
    clock.advance(3600)
    asyncio.run(worker.run_once())
    question = sender.sent[-1]
    assert question["type"] == "interactive"
    assert question["interactive"]["body"]["text"] == (
        "Ayesha, umeed hai aap ko order SD-2001 mil gaya aur pasand aya. Aap ka tajurba kaisa raha?"
    )
    assert [b["reply"]["title"] for b in question["interactive"]["action"]["buttons"]] == ["Bahut Acha", "Problem Thi"]


def test_problem_thi_opens_an_escalation_with_the_conversation_and_order_and_a_15_minute_sla(db, clock, settings, turn):
    ref = deliver(db, clock, settings)
    conversation = [{"who": "bot", "text": "Aap ka tajurba kaisa raha?", "at": None}]
    with db.session.begin() as session:
        reply = csat_reply(
            turn(session, '/csat_negative{"order_id":"SD-2001"}', order_ref=ref), "csat_negative", conversation
        )
    assert said(reply) == [("utter_csat_sorry", {})]
    with db.session() as session:
        escalation = session.scalar(select(Escalation))
        assert (escalation.reason, escalation.status) == ("csat_negative", "open")
        assert escalation.order_id == orders.find(session, ref).id
        assert escalation.sla_due_at - escalation.created_at == timedelta(minutes=15)
        activity = session.get(EscalationActivity, escalation.id)
        assert activity.conversation == conversation and activity.bot_paused
        assert [a.kind for a in session.scalars(select(AgentAlert))] == ["escalation"]
        assert session.get(CsatResponse, escalation.order_id).answer == "negative"


def test_typed_negative_answer_escalates_with_the_customers_words(db, clock, settings, turn):
    deliver(db, clock, settings)
    with db.session.begin() as session:
        reply = csat_reply(turn(session, "bilkul bakwas, kapra kharab tha"), "csat_negative", [])
    assert said(reply) == [("utter_csat_sorry", {})]
    with db.session() as session:
        assert session.scalar(select(Escalation.note)) == "bilkul bakwas, kapra kharab tha"


def test_positive_answer_thanks_with_review_links_and_related_products_from_the_catalog(db, clock, settings, turn):
    deliver(db, clock, settings)
    with db.session.begin() as session:
        reply = csat_reply(turn(session, "bohat acha tha"), "csat_positive", [])
    assert said(reply) == [
        ("utter_csat_thanks", {}),
        "Review yahan de sakte hain:\nhttps://g.page/r/sauda-demo-store/review\n"
        "https://facebook.com/saudademostore/reviews",
        "Aap ko yeh bhi pasand aa sakte hain:\n"
        "Sitara Embroidered Lawn (Rs. 6,490) https://demo.sauda.pk/products/sitara-lawn\n"
        "Noor Printed Lawn (Rs. 3,990) https://demo.sauda.pk/products/noor-lawn",
    ]
    with db.session() as session:
        assert session.scalar(select(Escalation)) is None
        assert session.scalar(select(CsatResponse.answer)) == "positive"


def test_an_unclear_answer_gets_one_follow_up_then_haan_counts_as_positive(db, clock, settings, turn):
    deliver(db, clock, settings)
    with db.session.begin() as session:
        first = csat_reply(turn(session, "hmm"), "csat_positive", [])
    assert said(first) == [
        "Maazrat, main theek se samajh nahi paya. Order SD-2001 ke saath sab theek raha ya koi problem thi?"
    ]
    assert [b["title"] for b in first.says[0].buttons] == ["Bahut Acha", "Problem Thi"]
    with db.session.begin() as session:
        second = resolve_pending(turn(session, "haan"), affirm=True)
    assert said(second)[0] == ("utter_csat_thanks", {})


def test_an_unclear_opinion_with_no_order_delivered_asks_about_no_order(db, clock, settings, turn):
    """No order to rate: no "Order - ke saath sab theek raha?" and nothing pending."""
    with db.session.begin() as session:
        reply = csat_reply(turn(session, "hmm"), "csat_positive", [])
    assert said(reply) == [("utter_default", {})]
    with db.session() as session:
        assert session.scalar(select(PendingQuestion)) is None


def test_a_second_unclear_answer_is_not_asked_again(db, clock, settings, turn):
    deliver(db, clock, settings)
    with db.session.begin() as session:
        csat_reply(turn(session, "hmm"), "csat_positive", [])
    with db.session.begin() as session:
        again = csat_reply(turn(session, "pata nahi"), "csat_negative", [])
    assert said(again) == [("utter_csat_sorry", {})]


def test_human_please_complaint_and_abuse_open_one_escalation_and_answer_each_in_kind(db, clock, settings, turn):
    deliver(db, clock, settings)
    answers = []
    for intent, text in [
        ("human_handoff", "kisi insaan se baat karwao"),
        ("complain", "parcel toota hua aaya"),
        ("abuse", "tum bewakoof ho"),
    ]:
        with db.session.begin() as session:
            answers.append(said(handoff(turn(session, text), intent, []))[0][0])
    assert answers == ["utter_handoff", "utter_complaint_received", "utter_abuse_calm"]
    with db.session() as session:
        only = session.scalars(select(Escalation)).all()
        assert len(only) == 1 and only[0].reason == "human_handoff"
        assert only[0].note == "kisi insaan se baat karwao\nparcel toota hua aaya\ntum bewakoof ho"


def test_breach_after_15_minutes_is_marked_once_and_renotified_but_not_after_a_reply(db, clock, settings, turn):
    deliver(db, clock, settings)
    with db.session.begin() as session:
        handoff(turn(session, "agent"), "human_handoff", [])
        customers.record_inbound(session, customers.find(session, PHONE), clock.now())
    with db.session.begin() as session:
        handoff(turn(session, "insaan chahiye", phone="03111234567"), "human_handoff", [])
    clock.advance(10 * 60)
    with db.session.begin() as session:
        first = session.scalar(select(Escalation).where(Escalation.id == 1))
        escalations.reply(session, first, "agent", "Assalam o alaikum, main Sana hoon. Bataiye?", clock.now())
    clock.advance(5 * 60)
    with db.session.begin() as session:
        assert escalations.mark_breaches(session, clock.now()) == [2]
        assert escalations.mark_breaches(session, clock.now()) == []
    with db.session() as session:
        kinds = [(a.escalation_id, a.kind) for a in session.scalars(select(AgentAlert).order_by(AgentAlert.id))]
        assert kinds == [(1, "escalation"), (2, "escalation"), (2, "sla_breach")]
        assert session.get(Escalation, 1).breached_at is None


def test_reply_outside_the_24h_window_is_refused_with_what_to_do(db, clock, settings, turn):
    deliver(db, clock, settings)
    with db.session.begin() as session:
        handoff(turn(session, "agent"), "human_handoff", [])
    with db.session.begin() as session, pytest.raises(escalations.EscalationError, match="call the customer"):
        escalations.reply(session, session.scalar(select(Escalation)), "agent", "Hello", clock.now())


def test_resolve_hands_back_to_the_bot(db, clock, settings, turn):
    deliver(db, clock, settings)
    with db.session.begin() as session:
        handoff(turn(session, "agent"), "human_handoff", [])
    with db.session.begin() as session:
        escalation = session.scalar(select(Escalation))
        escalations.resolve(session, escalation, "sana", clock.now())
    with db.session() as session:
        escalation = session.scalar(select(Escalation))
        assert (escalation.status, escalation.assigned_to) == ("resolved", "sana")
        assert not session.get(EscalationActivity, escalation.id).bot_paused
        assert escalations.active_for(session, customers.find(session, PHONE)) is None


def test_agent_alerts_are_posted_signed_and_retried_until_the_webhook_answers(db, clock, settings, turn):
    received, answers = [], [503, 200, 200]
    app = new_app("agent_hook")

    @app.post("/hook")
    async def hook(request):
        received.append((json.loads(request.body), request.headers.get("X-Sauda-Signature")))
        return sanic_response.json({}, status=answers.pop(0))

    async def scenario():
        async with serve(app) as base:
            url = f"{base}/hook"
            loop = EngagementLoop(db, clock, EngagementSettings(agent_webhook_url=url, agent_webhook_secret="s3"))
            await loop.run_once()
            clock.advance(60)
            await loop.run_once()

    deliver(db, clock, settings)
    with db.session.begin() as session:
        handoff(turn(session, "agent"), "human_handoff", [])
    asyncio.run(scenario())
    assert [body["event"] for body, _ in received] == ["escalation", "escalation"]
    assert received[0][0]["customer"] == PHONE and received[0][0]["order_id"] == "SD-2001"
    assert all(signature.startswith("sha256=") for _, signature in received)
    with db.session() as session:
        assert session.scalar(select(AgentAlert.state)) == "sent"
