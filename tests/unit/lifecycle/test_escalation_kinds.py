"""Escalations flagged outside the chat (a location pin, a change to an order, a COD order to
call): one open per customer and kind however often the customer repeats, and an agent can
answer every kind on WhatsApp."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lifecycle.conversation.replies import Turn, modify_order, update_address
from lifecycle.db.engagement_models import EscalationActivity
from lifecycle.db.models import Escalation
from lifecycle.domain import customers, escalations, orders
from lifecycle.engine.templates import default as templates
from tests.unit.lifecycle.conftest import cod_order

PHONE = "+923001234567"
PIN = {"latitude": 31.5204, "longitude": 74.3587}


def _turn(session, clock, settings, **kwargs) -> Turn:
    return Turn(session, PHONE, "english", clock.now(), settings, templates(), **kwargs)


def _customer_writes(db, clock, settings) -> None:
    with db.session.begin() as session:
        orders.place(session, cod_order(), clock.now(), settings)
        customers.record_inbound(session, customers.find(session, PHONE), clock.now())


def test_the_same_location_pin_three_times_is_one_escalation(db, clock, settings):
    _customer_writes(db, clock, settings)
    for _ in range(3):
        with db.session.begin() as session:
            update_address(_turn(session, clock, settings), None, PIN)
    with db.session.begin() as session:
        update_address(_turn(session, clock, settings), None, {"latitude": 31.6, "longitude": 74.4})
    with db.session() as session:
        [escalation] = session.scalars(select(Escalation)).all()
    assert escalation.reason == "location_shared"
    assert escalation.note.count("location pin") == 2  # the repeated pin once, the new one added


@pytest.mark.parametrize("kind", ["modify_order", "location_shared", "cod_no_answer"])
def test_an_agent_answers_every_kind(db, clock, settings, kind):
    _customer_writes(db, clock, settings)
    with db.session.begin() as session:
        if kind == "modify_order":
            modify_order(_turn(session, clock, settings, order_ref="SD-1001"), "size")
        elif kind == "location_shared":
            update_address(_turn(session, clock, settings), None, PIN)
        else:
            escalations.flag(session, customers.find(session, PHONE), kind, "please call", clock.now(),
                             orders.find(session, "SD-1001"))
    with db.session.begin() as session:
        escalation = session.scalar(select(Escalation))
        assert escalation.reason == kind
        message = escalations.reply(session, escalation, "sana", "Ji, main dekh rahi hoon", clock.now())
    with db.session() as session:
        assert message.text == "Ji, main dekh rahi hoon"
        assert session.get(Escalation, escalation.id).status == "taken"
        assert session.get(EscalationActivity, escalation.id).first_reply_at == clock.now()
