"""A weak address: once the order is confirmed Sauda asks for a location pin (WhatsApp's
location request inside the window, the template outside) and then a landmark; both are kept
with the order and sent to the merchant with the address, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from sqlalchemy import select

from lifecycle.conversation.reading import read
from lifecycle.conversation.replies import Turn, update_address
from lifecycle.db.models import Touchpoint
from lifecycle.domain import addresses, customers, orders
from lifecycle.engine.handlers import Context, merchant_webhook
from lifecycle.engine.templates import default as templates
from tests.unit.lifecycle.conftest import cod_order

PHONE = "+923001234567"
PIN = {"latitude": 31.5204, "longitude": 74.3587}
NO_ENTITIES = {"cancel_reason": None, "transaction_id": None, "city": None}


@pytest.mark.parametrize("address, weak", [
    ("Gulberg", ["shorter than 10 characters", "no house number, street, block or landmark"]),
    ("Gulberg Lahore wala ghar nahi", []),  # "ghar": a house is named
    ("Defence Lahore Cantt area", ["no house number, street, block or landmark"]),
    ("House 7, Street 3, Model Town", []),
])
def test_weak_addresses(address, weak):
    assert addresses.weaknesses(address) == weak


def _turn(session, clock, settings, text=""):
    return Turn(session, PHONE, "english", clock.now(), settings, templates(), text=text)


def test_a_weak_address_gets_a_location_request_then_a_landmark(db, clock, settings, worker, sender):
    settings = replace(settings, merchant_webhook_url="https://merchant.example/hook")
    with db.session.begin() as session:
        order = orders.place(session, cod_order(address="Defence Lahore Cantt area", language="english"),
                             clock.now(), settings)
        customers.record_inbound(session, order.customer, clock.now())  # the customer wrote: inside the window
        orders.confirm(session, order, "customer", clock.now())
    clock.advance(60)
    asyncio.run(worker.run_once())
    request = sender.sent[-1]
    assert (request["type"], request["interactive"]["type"], request["interactive"]["action"]) == (
        "interactive", "location_request_message", {"name": "send_location"})
    assert request["interactive"]["body"]["text"] == (
        "Ayesha, the address of order SD-1001 (Defence Lahore Cantt area) may not be enough for the rider. "
        "Please send your location pin and write a landmark near your home so that the order arrives on time.")
    with db.session.begin() as session:
        pinned = update_address(_turn(session, clock, settings), None, PIN)
    assert pinned.says[0].text == ("Thank you, we have your location for order SD-1001! Please also write a landmark "
                                   "near your home, such as a mosque, school or shop.")
    with db.session.begin() as session:  # the NLU has no idea what this is; the question says it is the landmark
        noted = read(_turn(session, clock, settings, "Jamia Masjid Noor ke saath"), "nlu_fallback", NO_ENTITIES, [])
    assert noted.says[0].text == ("Thank you! Noted the landmark for order SD-1001: Jamia Masjid Noor ke saath. "
                                  "The rider will get it with your address.")
    with db.session() as session:
        order = orders.find(session, "SD-1001")
        assert (order.location, order.landmark) == (PIN, "Jamia Masjid Noor ke saath")
        assert customers.pending(session, order.customer) is None
        touchpoint = session.scalar(select(Touchpoint).where(Touchpoint.key == "order.landmark_shared:SD-1001"))
        plan = merchant_webhook(Context(session, touchpoint, order.customer, order, settings, clock.now()))
    assert plan.webhook["delivery"] == {"address": "Defence Lahore Cantt area", "city": "Lahore", "location": PIN,
                                        "landmark": "Jamia Masjid Noor ke saath"}


def test_a_pin_before_the_request_stops_it_and_a_good_address_is_not_asked(db, clock, settings, worker, sender):
    with db.session.begin() as session:
        weak = orders.place(session, cod_order(address="Gulberg"), clock.now(), settings)
        orders.place(session, cod_order(ref="SD-1002", phone="03335556666"), clock.now(), settings)
        orders.confirm(session, weak, "customer", clock.now())
        orders.confirm(session, orders.find(session, "SD-1002"), "customer", clock.now())
    with db.session.begin() as session:
        update_address(_turn(session, clock, settings), None, PIN)
    with db.session() as session:
        asked = dict(session.execute(select(Touchpoint.key, Touchpoint.state).where(
            Touchpoint.kind == "address_confirmation")).all())
    assert asked == {"address_confirmation:SD-1001": "cancelled"}
