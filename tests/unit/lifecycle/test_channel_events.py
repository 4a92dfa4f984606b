"""What the WhatsApp channel hands over: statuses by wamid, WhatsApp's own opt-out control,
and inbound activity (the 24 h window, media kept)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from lifecycle.db.models import Customer, OutboxMessage, ReceivedMedia
from lifecycle.domain import customers, orders
from lifecycle.service import Lifecycle
from tests.unit.lifecycle.conftest import cod_order


def test_channel_events_update_outbox_opt_out_and_window(db, clock, settings, worker, sender):
    lifecycle = Lifecycle(db, settings, clock=clock)
    with db.session.begin() as session:
        orders.place(session, cod_order(payment_method="jazzcash"), clock.now(), settings)
    asyncio.run(worker.run_once())
    for status in ("delivered", "sent", "delivered"):  # reordered and duplicated
        lifecycle.handle_channel_event(
            "status",
            {
                "wamid": "wamid.test1",
                "status": status,
                "recipient": "923001234567",
                "timestamp": 1772436000,
                "errors": [],
            },
        )
    assert lifecycle.handle_channel_event("status", {"wamid": "wamid.unknown", "status": "read"}) is None
    assert (
        lifecycle.handle_channel_event("marketing_preference", {"wa_id": "923001234567", "value": "stop"})
        == "opted_out"
    )
    assert lifecycle.handle_channel_event("marketing_preference", {"wa_id": "923001234567", "value": "stop"}) is None
    clock.advance(60)
    assert (
        lifecycle.handle_channel_event(
            "inbound",
            {
                "wamid": "wamid.in1",
                "wa_id": "923001234567",
                "type": "image",
                "profile_name": "Ayesha K",
                "media": {"type": "image", "id": "media-1", "mime_type": "image/jpeg", "caption": "payment"},
            },
        )
        == "receipt"
    )
    with db.session() as session:
        customer = session.scalar(select(Customer))
        assert session.scalar(select(OutboxMessage.status)) == "delivered"
        # the name typed at checkout stays; the WhatsApp profile name does not replace it
        assert (customer.opted_out_source, customer.name) == ("whatsapp_preference", "Ayesha")
        assert customer.last_inbound_at == clock.now()
        assert customers.in_window(customer, clock.now() + timedelta(hours=23, minutes=59))
        assert not customers.in_window(customer, clock.now() + timedelta(hours=24))
        assert session.scalar(select(ReceivedMedia.media_id)) == "media-1"
    assert (
        lifecycle.handle_channel_event("marketing_preference", {"wa_id": "923001234567", "value": "resume"})
        == "opted_in"
    )


def test_the_profile_name_fills_in_only_until_the_shop_gives_a_name(db, clock, settings):
    lifecycle = Lifecycle(db, settings, clock=clock)

    def message_from(profile_name: str) -> str:
        lifecycle.handle_channel_event("inbound", {"wamid": f"wamid.{profile_name}", "wa_id": "923001234567",
                                                   "type": "text", "profile_name": profile_name})
        with db.session() as session:
            return session.scalar(select(Customer.name))

    assert message_from("Ayesha K") == "Ayesha K"
    with db.session.begin() as session:
        orders.place(session, cod_order(name="Ayesha Khan"), clock.now(), settings)
    assert message_from("AK ✨") == "Ayesha Khan"
