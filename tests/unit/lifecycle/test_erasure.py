"""Erasure and retention on the real database (SQLite and PostgreSQL), a Rasa-shaped tracker
store and the channel's own SQLite state: the worker's whole order lifecycle for a customer,
then every text cell of every table searched for their number."""
from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import String, Text, cast, column, func, inspect, select, table

from bot.state import Inbound, SqliteChannelState
from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.config.privacy_settings import PrivacySettings
from lifecycle.db.models import Order, OutboxMessage
from lifecycle.domain import customers, dead_letters, escalations, orders, payments
from lifecycle.domain.erasure import ERASED, phone_forms
from lifecycle.service import Lifecycle
from tests.unit.lifecycle.conftest import cod_order

PHONE = "0300-1234567"


def cells_with(db, needles: list[str]) -> list[str]:
    """``table.column`` of every cell, in every table, whose text holds one of ``needles``."""
    found = []
    with db.engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            for col in inspect(connection).get_columns(name):
                text = cast(column(col["name"]), Text if db.is_postgres else String)
                for needle in needles:
                    hit = connection.execute(select(func.count()).select_from(table(name, column(col["name"])))
                                             .where(text.contains(needle))).scalar()
                    if hit:
                        found.append(f"{name}.{col['name']} has {needle}")
    return found


def tracker_store(path) -> str:
    """An SQLite file with the columns of Rasa's SQLTrackerStore ``events`` table."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255), "
                   "timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)")
    return f"sqlite:///{path}"


def add_event(path, sender: str, text: str, age_days: float = 0) -> None:
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
                   (sender, time.time() - age_days * 86400, json.dumps({"text": text, "sender_id": sender})))


def a_customer_with_history(db, clock, settings) -> None:
    now = clock.now()
    with db.session.begin() as session:
        order = orders.place(session, cod_order(phone=PHONE, payment_method="jazzcash"), now, settings)
        payments.submit(session, order.payments[0], "01234567890", "TID 01234567890 from 03001234567", now)
        customer = customers.find(session, PHONE)
        customers.record_inbound(session, customer, now)
        escalations.open_escalation(session, customer, "complain", now, EngagementSettings(), order=order,
                                    note="calls from 0300 1234567",
                                    conversation=[{"who": "customer", "text": "mera number 03001234567", "at": None}])
        dead_letters.park(session, "inbound", {"wa_id": "923001234567", "wamid": "wamid.x"}, "test", now)
        orders.place(session, cod_order(ref="SD-2002", phone="03119876543", name="Bilal", address="5 Canal Rd"),
                     now, settings)


def test_erase_leaves_the_number_in_no_table_and_the_counts_as_they_were(db, clock, settings, worker, tmp_path):
    a_customer_with_history(db, clock, settings)
    asyncio.run(worker.run_once())  # payment instructions and the like: outbox rows with the wa_id
    trackers, channel = tmp_path / "trackers.db", tmp_path / "channel.db"
    privacy = PrivacySettings(tracker_url=tracker_store(trackers), channel_state_url=f"sqlite:///{channel}")
    add_event(trackers, "923001234567", "Assalam o alaikum")
    add_event(trackers, "923119876543", "order kahan hai")
    state = SqliteChannelState(str(channel))
    asyncio.run(state.save_menu("923001234567", ["/order_status"]))
    asyncio.run(state.accept([Inbound("923001234567", "wamid.a", '{"text": "mera order"}')],
                             [b'{"kind": "inbound", "wa_id": "923001234567"}', b'{"wa_id": "923119876543"}']))
    needles = phone_forms(PHONE) + ["Ayesha", "12 Main Blvd", "01234567890"]
    assert cells_with(db, needles), "the test data should hold the number before the erase"
    with db.session() as session:
        figures = session.execute(select(func.count(), func.sum(Order.amount), Order.city).group_by(Order.city)).all()
    lifecycle = Lifecycle(db, replace(settings, privacy=privacy), clock=clock)

    counts = lifecycle.erase_customer("+923001234567")

    assert counts == {"customers": 1, "tracker events": 1, "channel state entries": 3}  # menu, inbox, hook
    assert cells_with(db, needles) == []
    with db.session() as session:
        assert session.execute(select(func.count(), func.sum(Order.amount), Order.city)
                               .group_by(Order.city)).all() == figures
        assert customers.find(session, "03119876543") is not None  # others untouched
    with sqlite3.connect(trackers) as tdb:
        assert [r[0] for r in tdb.execute("SELECT sender_id FROM events")] == ["923119876543"]
    with sqlite3.connect(channel) as cdb:
        assert [r[0] for r in cdb.execute("SELECT body FROM hook_queue")] == [b'{"wa_id": "923119876543"}']


def test_retention_blanks_old_bodies_and_keeps_recent_ones(db, clock, settings, tmp_path):
    trackers, channel = tmp_path / "trackers.db", tmp_path / "channel.db"
    privacy = PrivacySettings(conversation_days=30, outbox_days=10, seen_wamid_days=8,
                              tracker_url=tracker_store(trackers), channel_state_url=f"sqlite:///{channel}")
    with db.session.begin() as session:
        customer = customers.get_or_create(session, PHONE, clock.now())
        for age in (11, 9):
            session.add(OutboxMessage(customer_id=customer.id, template="t", category="UTILITY", mode="session",
                                      payload={"to": customer.wa_id}, text=f"{age} days old",
                                      created_at=clock.now() - timedelta(days=age)))
    add_event(trackers, "923001234567", "old", age_days=31)
    add_event(trackers, "923119876543", "old", age_days=40)
    add_event(trackers, "923119876543", "recent", age_days=1)  # an active conversation stays whole
    state = SqliteChannelState(str(channel))
    asyncio.run(state.accept([Inbound("923119876543", wamid, "{}") for wamid in ("wamid.old", "wamid.new")], []))
    with sqlite3.connect(channel) as cdb:
        cdb.execute("UPDATE seen_wamid SET seen_at = ? WHERE wamid = 'wamid.old'", (time.time() - 9 * 86400,))

    counts = Lifecycle(db, replace(settings, privacy=privacy), clock=clock).expire_old()

    assert counts["outbox bodies"] == 1 and counts["tracker events"] == 1 and counts["seen wamids"] == 1
    with db.session() as session:
        assert sorted(session.scalars(select(OutboxMessage.text))) == ["9 days old", ERASED]
    with sqlite3.connect(trackers) as tdb:
        assert sorted(r[0] for r in tdb.execute("SELECT data FROM events")) == sorted(
            json.dumps({"text": t, "sender_id": "923119876543"}) for t in ("old", "recent"))
    with sqlite3.connect(channel) as cdb:
        assert [r[0] for r in cdb.execute("SELECT wamid FROM seen_wamid")] == ["wamid.new"]
