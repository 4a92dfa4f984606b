"""Cart recovery on SQLite and PostgreSQL: the three stages, what each says and only when it is
true, the single-use code, and every reason the remaining stages stop."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from lifecycle.db.engagement_models import CartRecovery, DiscountCode
from lifecycle.db.models import Cart, Touchpoint
from lifecycle.domain import customers, discount_codes
from lifecycle.events import shop as events
from lifecycle.flows import cart_recovery
from tests.unit.lifecycle.conftest import RecordingSender
from tests.unit.lifecycle.flows.conftest import PHONE
from whatsapp.graph_client import SendResult

EVENT_IDS = itertools.count()
CHECKOUT = "https://demo.sauda.pk/checkout/c1"
LAWN = {"name": "Gulnaar Lawn 3-Piece", "quantity": 1, "price": "5490", "sku": "GULNAAR-LAWN-M"}
KHUSSA = {"name": "Multani Khussa", "quantity": 2, "price": "2200", "sku": "MULTANI-KHUSSA-M"}


def shop(db, clock, settings, type_: str, **data) -> dict:
    """Apply one shop event the way the event API does."""
    with db.session.begin() as session:
        return events.apply(
            session, events.parse({"id": f"evt-{next(EVENT_IDS)}", "type": type_, "data": data}), clock.now(), settings
        )


def abandon(db, clock, settings, ref="C1", items=(LAWN,), total="5490", phone=PHONE):
    shop(
        db,
        clock,
        settings,
        "cart.created",
        cart_id=ref,
        items=list(items),
        total=total,
        phone=phone,
        name="Sara",
        checkout_url=CHECKOUT,
    )
    shop(db, clock, settings, "cart.abandoned", cart_id=ref)


def run_at(worker, clock, minutes: float) -> None:
    clock.advance(minutes * 60)
    asyncio.run(worker.run_once())


def texts(sender: RecordingSender) -> list[str]:
    return [
        " ".join(p["text"] for p in payload["template"]["components"][0]["parameters"])
        if payload["type"] == "template"
        else payload["text"]["body"]
        for payload in sender.sent
    ]


def test_three_stages_at_30_min_24_h_and_72_h_then_suppressed(db, clock, settings, sender, worker):
    abandon(db, clock, settings)
    run_at(worker, clock, 29)
    assert sender.sent == []
    run_at(worker, clock, 1)
    assert [p["template"]["name"] for p in sender.sent] == ["sauda_cart_reminder"]
    assert texts(sender)[0] == f"Sara 1 x Gulnaar Lawn 3-Piece 5,490 {CHECKOUT}"
    run_at(worker, clock, 24 * 60 - 30)
    # the catalog holds 2 of GULNAAR-LAWN-M and the store's threshold is 3: scarcity is true
    assert sender.sent[-1]["template"]["name"] == "sauda_cart_scarcity"
    assert texts(sender)[1] == f"Sara Gulnaar Lawn 3-Piece 2 {CHECKOUT}"
    run_at(worker, clock, 48 * 60)
    last = sender.sent[-1]
    assert last["template"]["name"] == "sauda_cart_last_chance"
    name, items, percent, code, hours, url = [p["text"] for p in last["template"]["components"][0]["parameters"]]
    assert (percent, hours, url) == ("10", "24", CHECKOUT)
    with db.session() as session:
        issued = session.scalar(select(DiscountCode))
        assert (issued.code, issued.purpose, issued.percent) == (code, "cart_recovery", 10)
        assert issued.expires_at == clock.now() + timedelta(hours=24)
        assert session.get(CartRecovery, issued.cart_id).suppressed_at == clock.now()
    shop(db, clock, settings, "cart.updated", cart_id="C1", items=[LAWN], total="5490", phone=PHONE)
    shop(db, clock, settings, "cart.abandoned", cart_id="C1")
    with db.session() as session:
        assert (
            session.scalar(
                select(Touchpoint).where(Touchpoint.state == "scheduled", Touchpoint.kind == "cart_recovery")
            )
            is None
        )


def test_stage_two_without_low_stock_uses_real_buyers_or_else_claims_nothing(db, clock, settings, sender, worker):
    abandon(db, clock, settings, items=(KHUSSA,), total="4400")  # the khussa's stock is not tracked
    run_at(worker, clock, 30)
    run_at(worker, clock, 24 * 60)
    assert sender.sent[-1]["template"]["name"] == "sauda_cart_still_saved"
    for n in range(3):
        shop(
            db,
            clock,
            settings,
            "order.placed",
            order_id=f"K{n}",
            phone=f"0300111000{n}",
            items=[KHUSSA],
            amount="4400",
            payment_method="cod",
            city="Multan",
            address="Gali 3, Multan",
        )
    abandon(db, clock, settings, ref="C2", items=(KHUSSA,), total="4400", phone="03331234567")
    run_at(worker, clock, 30)
    run_at(worker, clock, 24 * 60)
    social = [p for p in sender.sent if p["template"]["name"] == "sauda_cart_social_proof"]
    assert [p["text"] for p in social[0]["template"]["components"][0]["parameters"]][1:3] == ["Multani Khussa", "3"]


@pytest.mark.parametrize("between", ["converted", "replied", "opted_out", "superseded", "ordered"])
def test_each_stop_condition_between_stages_stops_the_rest(db, clock, settings, sender, worker, between):
    abandon(db, clock, settings)
    run_at(worker, clock, 30)
    if between == "converted":
        shop(
            db,
            clock,
            settings,
            "order.placed",
            order_id="SD-9",
            phone=PHONE,
            items=[LAWN],
            amount="5490",
            payment_method="cod",
            city="Lahore",
            address="12 Main Blvd, Gulberg",
            cart_id="C1",
        )
    elif between == "replied":
        with db.session.begin() as session:
            customers.record_inbound(session, customers.find(session, PHONE), clock.now() + timedelta(minutes=5))
    elif between == "opted_out":
        with db.session.begin() as session:
            customers.set_opt_out(session, customers.find(session, PHONE), True, "keyword", clock.now())
    elif between == "superseded":
        shop(db, clock, settings, "cart.created", cart_id="C9", items=[KHUSSA], total="4400", phone=PHONE)
    else:
        shop(
            db,
            clock,
            settings,
            "order.placed",
            order_id="SD-8",
            phone=PHONE,
            items=[KHUSSA],
            amount="4400",
            payment_method="cod",
            city="Lahore",
            address="12 Main Blvd, Gulberg",
        )
    cart_messages = lambda: [p for p in sender.sent if p["template"]["name"].startswith("sauda_cart")]  # noqa: E731
    assert len(cart_messages()) == 1
    run_at(worker, clock, 24 * 60)
    run_at(worker, clock, 48 * 60)
    assert len(cart_messages()) == 1
    with db.session() as session:
        assert session.scalar(select(DiscountCode)) is None


def test_conversion_is_credited_to_the_stage_sent_before_it_with_the_order_amount(db, clock, settings, sender, worker):
    abandon(db, clock, settings)
    run_at(worker, clock, 30)
    run_at(worker, clock, 24 * 60)
    shop(
        db,
        clock,
        settings,
        "order.placed",
        order_id="SD-10",
        phone=PHONE,
        items=[LAWN],
        amount="5190",
        payment_method="cod",
        city="Lahore",
        address="12 Main Blvd, Gulberg",
        cart_id="C1",
    )
    with db.session() as session:
        cart = session.scalar(select(Cart).where(Cart.ref == "C1"))
        recovery = session.get(CartRecovery, cart.id)
        assert (recovery.recovered_stage, recovery.recovered_revenue) == (2, Decimal("5190.00"))
        assert cart_recovery.recovered_by_stage(session, clock.now() - timedelta(days=7)) == {
            2: (1, Decimal("5190.00"))
        }


def test_a_cart_converted_before_any_message_is_not_credited(db, clock, settings, sender, worker):
    abandon(db, clock, settings)
    shop(db, clock, settings, "cart.converted", cart_id="C1")
    run_at(worker, clock, 30)
    assert sender.sent == []
    with db.session() as session:
        assert session.scalar(select(CartRecovery.recovered_stage)) is None


def test_a_code_validates_until_redeemed_once_and_expires_after_24_h(db, clock):
    with db.session.begin() as session:
        customer = customers.get_or_create(session, PHONE, clock.now())
        code = discount_codes.issue(
            session, "cart_recovery:C1:1:3", "cart_recovery", customer.id, 10, timedelta(hours=24), clock.now()
        ).code
        again = discount_codes.issue(
            session, "cart_recovery:C1:1:3", "cart_recovery", customer.id, 10, timedelta(hours=24), clock.now()
        ).code
        other = discount_codes.issue(
            session, "cart_recovery:C2:1:3", "cart_recovery", customer.id, 10, timedelta(hours=24), clock.now()
        ).code
    assert code == again != other
    with db.session.begin() as session:
        assert discount_codes.check(session, code.lower(), clock.now()).ok
        assert discount_codes.redeem(session, code, "SD-1", clock.now()).ok
        assert discount_codes.redeem(session, code, "SD-2", clock.now()).status == "redeemed"
        assert discount_codes.check(session, "SD-NOPE-NOPE", clock.now()).status == "unknown"
    clock.advance(24 * 3600)
    with db.session.begin() as session:
        assert discount_codes.check(session, other, clock.now()).status == "expired"
        assert discount_codes.redeem(session, other, "SD-3", clock.now()).status == "expired"


def test_131049_and_131050_are_outcomes_not_errors(db, clock, settings, sender, worker):
    """Meta limits a marketing send (131049): that stage is recorded as not delivered and the next
    one still goes; the customer then stops marketing (131050): opted out, nothing more."""
    abandon(db, clock, settings)
    sender.failures.append(
        SendResult(
            "marketing_limited",
            status_code=400,
            error_code=131049,
            error_message="not delivered to maintain ecosystem health",
        )
    )
    run_at(worker, clock, 30)
    run_at(worker, clock, 24 * 60 - 30)
    assert [p["template"]["name"] for p in sender.sent] == ["sauda_cart_scarcity"]
    sender.failures.append(
        SendResult(
            "marketing_opted_out", status_code=400, error_code=131050, error_message="user stopped marketing messages"
        )
    )
    run_at(worker, clock, 48 * 60)
    run_at(worker, clock, 24 * 60)
    assert len(sender.sent) == 1
    with db.session() as session:
        results = [
            (t.params["stage"], t.state)
            for t in session.scalars(
                select(Touchpoint).where(Touchpoint.kind == "cart_recovery").order_by(Touchpoint.id)
            )
        ]
        assert results == [(1, "failed"), (2, "done"), (3, "failed")]
        assert customers.find(session, PHONE).opted_out_source == "whatsapp_131050"
        assert cart_recovery.sent_stage(session, session.scalar(select(Cart.id)), clock.now()) == 2
