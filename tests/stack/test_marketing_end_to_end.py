"""Cart recovery and win-back end to end: shop events → app server (scheduler, engagement
loop) → WhatsApp simulator, with the dev clock moved forward; discount codes through the
signed API; opted-out customers get none of it. Real Rasa for the customers' STOP."""

from __future__ import annotations

import re

from sqlalchemy import select

from lifecycle.db.engagement_models import CartRecovery
from lifecycle.db.models import Cart, Customer, Escalation
from tests.stack.engagement_helpers import (
    advance,
    event,
    lifecycle_db,
    new_phone,
    outbound,
    seen,
    signed_post,
    to_next_noon,
    wait_for,
    wait_out,
)
from tests.stack.test_lifecycle_end_to_end import place

WHITE_LAWN = {
    "name": "Gulnaar Embroidered Lawn 3-Piece",
    "quantity": 1,
    "price": "5490",
    "sku": "SD-GULNAAREMB-WHI",
}  # the demo catalog holds 1 of it: scarcity is true
CODE = re.compile(r"SD-[A-Z0-9]{4}-[A-Z0-9]{4}")
MINUTE, DAY = 60, 24 * 3600


def templates_to(stack, phone: str) -> list[str]:
    return [m["message"]["name"] for m in outbound(stack, phone) if m["type"] == "template"]


def marketing_to(stack, phone: str) -> list[str]:
    return [name for name in templates_to(stack, phone) if name.startswith(("sauda_cart", "sauda_winback"))]


def abandon(stack, ref: str, phone: str) -> None:
    event(
        stack,
        "cart.created",
        cart_id=ref,
        items=[WHITE_LAWN],
        total="5490",
        phone=phone,
        name="Hina",
        checkout_url=f"https://demo.sauda.pk/checkout/{ref}",
    )
    event(stack, "cart.abandoned", cart_id=ref)


def buy(stack, ref: str, phone: str) -> None:
    """A prepaid order the shop already verified (confirmed at once: no COD confirmation to answer)."""
    event(
        stack,
        "order.placed",
        order_id=ref,
        phone=phone,
        name="Hina",
        payment_method="jazzcash",
        paid=True,
        amount="5490",
        items=[{**WHITE_LAWN, "sku": "SD-GULNAAREMB-PIN"}],
        city="Lahore",
        address="12 Main Boulevard, Gulberg",
    )


def deliver(stack, ref: str) -> None:
    """The shop books the courier and reports the parcel delivered (win-back counts from here)."""
    event(stack, "shipment.booked", order_id=ref, courier="tcs", cn=f"CN-{ref}")
    event(stack, "order.delivered", order_id=ref)


def test_cart_recovery_stages_codes_conversion_and_opt_out(stack):
    to_next_noon(stack)
    full, expiring, converting, opted_out = (new_phone() for _ in range(4))
    assert stack.reply_texts(opted_out, "STOP")  # typed STOP: marketing opt-out through Rasa
    for ref, phone in [("CR-A", full), ("CR-B", expiring), ("CR-C", converting), ("CR-D", opted_out)]:
        abandon(stack, ref, phone)

    advance(stack, 30 * MINUTE)
    first = wait_out(stack, full, 1)[-1]
    assert first["message"]["name"] == "sauda_cart_reminder"
    assert seen(first) == (
        "Hina, aap ke cart mein 1 x Gulnaar Embroidered Lawn 3-Piece (Rs. 5,490) abhi bhi rakhe "
        "hain. Order mukammal karne ke liye: https://demo.sauda.pk/checkout/CR-A"
    )
    wait_out(stack, converting, 1)
    place(stack, "SD-CR-C", converting, cart_id="CR-C")  # bought after stage 1

    advance(stack, DAY - 30 * MINUTE)
    second = wait_out(stack, full, 2)[-1]
    assert seen(second) == (
        "Hina, aap ke cart wala Gulnaar Embroidered Lawn 3-Piece sirf 1 bachay hain. Khatam "
        "hone se pehle order kar lein: https://demo.sauda.pk/checkout/CR-A"
    )

    advance(stack, 2 * DAY)
    last = wait_out(stack, full, 3)[-1]
    assert last["message"]["name"] == "sauda_cart_last_chance"
    code = CODE.search(seen(last)).group()
    assert "10% discount" in seen(last) and "24 ghante" in seen(last)
    other = CODE.search(seen(wait_out(stack, expiring, 3)[-1])).group()
    assert code != other

    valid = signed_post(stack, "/lifecycle/codes/validate", {"code": code})
    assert valid.status_code == 200 and valid.json()["percent"] == 10
    assert signed_post(stack, "/lifecycle/codes/redeem", {"code": code, "order_id": "SD-CR-A"}).status_code == 200
    again = signed_post(stack, "/lifecycle/codes/redeem", {"code": code, "order_id": "SD-CR-A2"})
    assert (again.status_code, again.json()["reason"]) == (409, "redeemed")
    assert signed_post(stack, "/lifecycle/codes/validate", {"code": other}).status_code == 200
    advance(stack, DAY)
    expired = signed_post(stack, "/lifecycle/codes/validate", {"code": other})
    assert (expired.status_code, expired.json()["reason"]) == (409, "expired")
    assert signed_post(stack, "/lifecycle/codes/redeem", {"code": other, "order_id": "X"}).status_code == 409

    assert marketing_to(stack, converting) == ["sauda_cart_reminder"]
    assert marketing_to(stack, opted_out) == []
    with lifecycle_db(stack) as session:
        recovery = session.scalar(
            select(CartRecovery).join(Cart, Cart.id == CartRecovery.cart_id).where(Cart.ref == "CR-C")
        )
        assert (recovery.recovered_stage, str(recovery.recovered_revenue)) == (1, "2500.00")


def test_win_back_30_60_90_stopped_by_a_new_order_and_never_to_the_opted_out(stack):
    """Also never before a delivery (a prepaid order not shipped) nor while a complaint is open."""
    to_next_noon(stack)
    loyal, returning, opted_out, unshipped, unhappy = (new_phone() for _ in range(5))
    assert stack.reply_texts(opted_out, "STOP")
    for n, phone in enumerate((loyal, returning, opted_out, unshipped, unhappy)):
        buy(stack, f"SD-WB{n}", phone)
        if phone != unshipped:
            deliver(stack, f"SD-WB{n}")
    # "Problem thi" on the CSAT template: a negative-CSAT escalation, left open past its SLA
    stack.say(unhappy, template_button={"payload": '/csat_negative{"order_id":"SD-WB4"}', "text": "Problem Thi"})
    with lifecycle_db(stack) as session:
        assert session.scalar(select(Escalation.reason).join(Customer).where(Customer.phone == unhappy)) == (
            "csat_negative")

    advance(stack, 30 * DAY)
    arrivals = wait_for(
        lambda: [
            m
            for m in outbound(stack, loyal)
            if m["type"] == "template" and m["message"]["name"] == "sauda_winback_new_arrivals"
        ],
        what="day-30 message",
    )
    text = seen(arrivals[0])
    assert text.startswith("Hina, Lawn Suit mein naye designs aaye hain: ")
    products = text.split(": ", 1)[1].split(" | ")
    assert 2 <= len(products) <= 3 and all("https://demo.sauda.pk/products/" in p for p in products)
    assert not any("Gulnaar" in p or "Old Season" in p for p in products)
    wait_for(lambda: "sauda_winback_new_arrivals" in marketing_to(stack, returning), what="returning's day 30")
    buy(stack, "SD-WB-AGAIN", returning)  # a new order resets the sequence, counted from its delivery
    deliver(stack, "SD-WB-AGAIN")

    advance(stack, 30 * DAY)
    personal = wait_for(
        lambda: [
            m
            for m in outbound(stack, loyal)
            if m["type"] == "template" and m["message"]["name"] == "sauda_winback_personal_code"
        ],
        what="day-60 message",
    )
    assert "Gulnaar Embroidered Lawn 3-Piece" in seen(personal[0]) and "10% discount" in seen(personal[0])
    assert CODE.search(seen(personal[0]))
    wait_for(
        lambda: marketing_to(stack, returning).count("sauda_winback_new_arrivals") == 2, what="returning's new day 30"
    )
    assert marketing_to(stack, returning) == ["sauda_winback_new_arrivals", "sauda_winback_new_arrivals"]

    advance(stack, 30 * DAY)
    last = wait_for(
        lambda: [
            m
            for m in outbound(stack, loyal)
            if m["type"] == "template" and m["message"]["name"] == "sauda_winback_last_code"
        ],
        what="day-90 message",
    )
    assert "15% discount" in seen(last[0]) and "48 ghante" in seen(last[0])
    assert marketing_to(stack, opted_out) == []
    assert marketing_to(stack, unshipped) == []
    assert marketing_to(stack, unhappy) == []
