"""What the order actions answer, resolved by phone against the database (no Rasa needed)."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from lifecycle.conversation.replies import (
    Turn,
    cancel_order,
    capture_transaction_id,
    confirm_order,
    media_received,
    modify_order,
    order_status,
    record_cancel_reason,
    resolve_pending,
    set_marketing,
    update_address,
)
from lifecycle.db.models import Customer, Escalation, Order, Payment, ReceivedMedia, Touchpoint
from lifecycle.domain import customers, orders, payments
from lifecycle.domain.payments import extract_transaction_id
from lifecycle.engine.templates import default as templates
from lifecycle.service import keep_media
from tests.unit.lifecycle.conftest import cod_order

PHONE = "+923001234567"


@pytest.fixture
def turn(db, clock, settings):
    """A factory: ``turn(session, text=..., order_ref=...)`` for the customer at PHONE."""
    def make(session, text: str = "", order_ref=None, language="roman_urdu", phone=PHONE):
        return Turn(session, phone, language, clock.now(), settings, templates(), text=text, order_ref=order_ref)
    return make


def _place(db, clock, settings, **changes):
    with db.session.begin() as session:
        return orders.place(session, cod_order(**changes), clock.now(), settings).ref


def said(reply) -> list:
    return [(s.response, s.variables) if s.response else s.text for s in reply.says]


def test_confirm_button_confirms_the_named_order(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        reply = confirm_order(turn(session, "/confirm_order", order_ref="SD-1001"))
    assert said(reply) == [("utter_order_confirmed", {"order_ref": "SD-1001"})]
    assert reply.slots == {"order_id": "SD-1001"}
    with db.session() as session:
        assert orders.find(session, "SD-1001").status == "confirmed"


def test_another_customers_order_is_never_revealed_or_changed(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        reply = confirm_order(turn(session, order_ref="SD-1001", phone="03119876543"))
        status = order_status(turn(session, order_ref="SD-1001", phone="03119876543"))
    assert said(reply) == [("utter_order_not_found", {"order_ref": "SD-1001"})]
    assert said(status) == [("utter_order_not_found", {"order_ref": "SD-1001"})]
    with db.session() as session:
        assert orders.find(session, "SD-1001").status == "pending_confirmation"


def test_haan_after_the_confirmation_question_confirms_across_sessions(db, clock, settings, turn):
    ref = _place(db, clock, settings)
    with db.session.begin() as session:
        customer = customers.find(session, PHONE)
        customers.ask(session, customer, "confirm_order", orders.find(session, ref).id, clock.now())
    with db.session.begin() as session:  # a later turn, e.g. after a restart
        reply = resolve_pending(turn(session, "haan ji"), affirm=True)
    assert said(reply) == [("utter_order_confirmed", {"order_ref": "SD-1001"})]
    with db.session.begin() as session:
        assert said(resolve_pending(turn(session, "haan"), affirm=True)) == [("utter_nothing_pending", {})]


def test_cancel_cancels_at_once_then_the_reason_is_attached_and_an_updated_order_offered(
        db, clock, settings, turn, worker, sender):
    _place(db, clock, settings)
    with db.session.begin() as session:
        cancelled = cancel_order(turn(session, "/cancel_order", order_ref="SD-1001"))
    with db.session() as session:
        order = orders.find(session, "SD-1001")
        assert (order.status, order.cancellation.source, order.cancellation.reason) == (
            "cancelled", "customer", None)
    with db.session.begin() as session:
        offered = record_cancel_reason(turn(session, "/cancel_reason"), "found_cheaper", None)
    with db.session.begin() as session:
        closing = resolve_pending(turn(session, "nahi"), affirm=False)
    assert said(cancelled) == [("utter_order_cancelled", {"order_ref": "SD-1001"}),
                               ("utter_ask_cancel_reason", {"order_ref": "SD-1001"})]
    assert said(offered) == [("utter_offer_modify", {"order_ref": "SD-1001", "order_id": "SD-1001"})]
    assert said(closing) == ["Theek hai. Order SD-1001 cancel hi rahega. Jab chahein dobara order kar sakte hain."]
    with db.session() as session:
        order = orders.find(session, "SD-1001")
        assert (order.status, order.cancellation.reason, order.cancellation.source) == (
            "cancelled", "found_cheaper", "customer")
        assert customers.pending(session, order.customer) is None
    # the reminder and the no-answer cancellation never come: nothing is sent, the reason stays
    clock.advance(3 * 86400)
    asyncio.run(worker.run_once())
    assert sender.sent == []
    with db.session() as session:
        assert orders.find(session, "SD-1001").cancellation.reason == "found_cheaper"
        states = dict(session.execute(select(Touchpoint.kind, Touchpoint.state).where(
            Touchpoint.kind.in_(("cod_reminder", "cod_no_answer")))).all())
    assert states == {"cod_reminder": "cancelled", "cod_no_answer": "cancelled"}


def test_a_customer_who_gives_no_reason_is_not_asked_again(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        cancel_order(turn(session, "cancel kar do"))
    with db.session.begin() as session:
        closing = resolve_pending(turn(session, "nahi"), affirm=False)
    assert said(closing) == ["Theek hai. Order SD-1001 cancel hi rahega. Jab chahein dobara order kar sakte hain."]
    with db.session() as session:
        order = orders.find(session, "SD-1001")
        assert (order.status, order.cancellation.reason) == ("cancelled", None)
        assert customers.pending(session, order.customer) is None


def test_other_reason_keeps_the_customers_words(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        cancel_order(turn(session, "order cancel kar do"))
    with db.session.begin() as session:
        record_cancel_reason(turn(session, "shadi cancel ho gayi"), "other", "shadi cancel ho gayi")
    with db.session() as session:
        cancellation = orders.find(session, "SD-1001").cancellation
        assert (cancellation.reason, cancellation.free_text) == ("other", "shadi cancel ho gayi")


def test_a_reason_without_a_cancel_first_cancels_with_that_reason(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        reply = record_cancel_reason(turn(session, "kahin aur sasta mil gaya"), "found_cheaper", None)
    assert said(reply) == [("utter_order_cancelled", {"order_ref": "SD-1001"}),
                           ("utter_offer_modify", {"order_ref": "SD-1001", "order_id": "SD-1001"})]
    with db.session() as session:
        cancellation = orders.find(session, "SD-1001").cancellation
        assert (cancellation.reason, cancellation.free_text) == ("found_cheaper", "kahin aur sasta mil gaya")


def test_yes_to_the_updated_order_asks_what_to_change_and_a_person_makes_it(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        cancel_order(turn(session, order_ref="SD-1001"))
    with db.session.begin() as session:
        record_cancel_reason(turn(session), "wrong_item", None)
    with db.session.begin() as session:
        what = resolve_pending(turn(session, "haan"), affirm=True)
    with db.session.begin() as session:
        noted = modify_order(turn(session, order_ref="SD-1001", language="english"), "size")
    assert said(what) == [("utter_ask_modify_what", {"order_ref": "SD-1001", "order_id": "SD-1001"})]
    assert said(noted) == [("utter_modify_noted", {"order_ref": "SD-1001", "change": "the size"})]
    with db.session() as session:
        order = orders.find(session, "SD-1001")
        assert (order.status, order.cancellation.reason) == ("cancelled", "wrong_item")
        assert session.scalar(select(Escalation.note)) == (
            "order SD-1001 (cancelled by the customer): make an updated order with a different size")


def test_a_new_address_for_the_updated_order_goes_to_the_person_making_it(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        cancel_order(turn(session, order_ref="SD-1001"))
    with db.session.begin() as session:
        record_cancel_reason(turn(session), "other", "ghalat address diya tha")
    with db.session.begin() as session:
        asked = update_address(turn(session, '/change_address{"order_id": "SD-1001"}', order_ref="SD-1001"),
                               None, None)
    with db.session.begin() as session:
        updated = update_address(turn(session, "House 7, Street 3, Model Town"), "Lahore", None)
    assert said(asked) == [("utter_ask_address", {})]
    assert said(updated) == [("utter_address_updated", {"order_ref": "SD-1001"})]
    with db.session() as session:
        order = orders.find(session, "SD-1001")
        assert (order.status, order.address) == ("cancelled", "12 Main Blvd, Gulberg")
        assert session.scalar(select(Escalation.note)) == (
            "order SD-1001 (cancelled by the customer): make an updated order with the address "
            "House 7, Street 3, Model Town")


def test_a_change_to_an_open_order_is_noted_for_a_person(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        noted = modify_order(turn(session, order_ref="SD-1001", language="english"), "colour")
    assert said(noted) == [("utter_modify_noted", {"order_ref": "SD-1001", "change": "the colour"})]
    with db.session() as session:
        assert orders.find(session, "SD-1001").status == "pending_confirmation"
        assert session.scalar(select(Escalation.note)) == "order SD-1001: customer wants to change the colour"


def test_a_dispatched_order_cannot_be_cancelled_here(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        order = orders.find(session, "SD-1001")
        orders.confirm(session, order, "customer", clock.now())
        orders.book_shipment(session, order, "tcs", "77001122", clock.now())
    with db.session.begin() as session:
        assert said(cancel_order(turn(session, order_ref="SD-1001"))) == [
            ("utter_cancel_not_possible", {"order_ref": "SD-1001"})]
        status = order_status(turn(session, language="english"))
    token = status.says[0].text.rsplit("/", 1)[1]
    assert status.says[0].text == ("Order SD-1001: with the courier, on its way. TCS CN 77001122. Track it: "
                                   f"https://shop.example/track/{token}")


def test_reason_for_a_merchant_cancelled_order_is_recorded_with_thanks(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        orders.cancel(session, orders.find(session, "SD-1001"), "merchant", clock.now())
    with db.session.begin() as session:
        reply = record_cancel_reason(turn(session, "/cancel_reason", order_ref="SD-1001"), "delivery_slow", None)
    assert said(reply) == ["Shukriya, order SD-1001 ke baare mein aap ki raaye note kar li hai."]
    with db.session() as session:
        assert orders.find(session, "SD-1001").cancellation.reason == "delivery_slow"


@pytest.mark.parametrize("text, expected", [
    ("01234567890", "01234567890"),
    ("TID: 8812345678 payment ho gayi", "8812345678"),
    ("Trx ID 123456789012. Rs 2500 sent to 03001112222 on 12/03/2026", "123456789012"),
    ("You have sent Rs.2,500.00 to 03001112222. Transaction ID 98765432101. Balance Rs 1,200", "98765432101"),
    ("mera number 03001234567 hai", None),
    ("1234567", None),
    ("order SD-1001 ka payment kar diya", None),
    ("12345678 aur 87654321", None),  # two candidates, no label: ask again rather than guess
])
def test_transaction_id_extraction(text, expected):
    assert extract_transaction_id(text) == expected


def test_transaction_id_is_attached_with_the_raw_text(db, clock, settings, turn):
    _place(db, clock, settings, payment_method="easypaisa")
    sms = "Trx ID 123456789012. Rs 2500 sent to 03453334444"
    with db.session.begin() as session:
        bad = capture_transaction_id(turn(session, "payment kar di"), None)
        good = capture_transaction_id(turn(session, sms), None)
    assert said(bad) == [("utter_transaction_id_invalid", {})]
    assert said(good) == [("utter_transaction_id_received", {"transaction_id": "123456789012",
                                                             "order_ref": "SD-1001"})]
    with db.session() as session:
        payment = session.scalar(select(Payment))
        assert (payment.status, payment.transaction_id, payment.raw_text) == ("submitted", "123456789012", sms)
        assert [(o.ref, p.transaction_id) for o, p in payments.pending_verification(session)] == [
            ("SD-1001", "123456789012")]


def test_a_screenshot_with_a_payment_awaited_is_kept_as_its_receipt(db, clock, settings, turn):
    _place(db, clock, settings, payment_method="jazzcash")
    with db.session.begin() as session:
        customer = customers.find(session, PHONE)
        assert keep_media(session, customer, "wamid.m1", {"id": "media-77", "mime_type": "image/jpeg"},
                          clock.now()) == "receipt"
        assert keep_media(session, customer, "wamid.m1", {"id": "media-77"}, clock.now()) == "duplicate"
        reply = media_received(turn(session))
    assert said(reply) == [("utter_payment_screenshot_received", {})]
    with db.session() as session:
        assert session.scalar(select(Payment.media_id)) == "media-77"
        assert session.scalar(select(ReceivedMedia.payment_id)) is not None


def test_address_update_and_refusal_after_dispatch(db, clock, settings, turn):
    _place(db, clock, settings)
    with db.session.begin() as session:
        short = update_address(turn(session, "address"), None, None)
        done = update_address(turn(session, "House 5, Street 2, DHA Phase 6, Karachi"), "Karachi", None)
    assert said(short) == [("utter_ask_address", {})]
    assert said(done)[0] == ("utter_address_updated", {"order_ref": "SD-1001"})
    with db.session() as session:
        order = orders.find(session, "SD-1001")
        assert (order.address, order.city) == ("House 5, Street 2, DHA Phase 6, Karachi", "Karachi")


def test_stop_and_start_typed_in_the_chat(db, clock, settings, turn):
    with db.session.begin() as session:
        assert said(set_marketing(turn(session, "STOP"), True)) == [("utter_opted_out", {})]
    with db.session() as session:
        assert session.scalar(select(Customer.opted_out_source)) == "keyword"
    with db.session.begin() as session:
        assert said(set_marketing(turn(session, "START"), False)) == [("utter_opted_in", {})]
    with db.session() as session:
        assert session.scalar(select(Customer.opted_out_at)) is None


def test_a_catalogue_order_becomes_the_customers_cart_once(db, clock, settings, turn):
    from lifecycle.conversation.replies import catalog_order
    from lifecycle.db.models import Cart

    order = {"catalog_id": "354160437058781", "text": "", "product_items": [
        {"product_retailer_id": "LAWN-3PC-S", "quantity": 2, "item_price": 4500, "currency": "PKR"},
        {"product_retailer_id": "KHUSSA-7", "quantity": 1, "item_price": "2250.50", "currency": "PKR"},
        {"quantity": 1, "item_price": 99}]}  # no product id: skipped, the rest kept
    for _ in range(2):  # a redelivered message must not add a second cart
        with db.session.begin() as session:
            reply = catalog_order(turn(session), order, "wamid.CAT1")
    assert said(reply) == [("utter_order_received", {})]
    with db.session() as session:
        carts = session.scalars(select(Cart)).all()
        assert len(carts) == 1
        assert carts[0].total == 2 * 4500 + 2250.50  # 11250.50
        assert [i["sku"] for i in carts[0].items] == ["LAWN-3PC-S", "KHUSSA-7"]
        assert session.get(Customer, carts[0].customer_id).phone == PHONE


def test_a_catalogue_order_without_readable_items_is_only_acknowledged(db, clock, settings, turn):
    from lifecycle.conversation.replies import catalog_order
    from lifecycle.db.models import Cart

    with db.session.begin() as session:
        reply = catalog_order(turn(session), {"product_items": []}, "wamid.CAT2")
    assert said(reply) == [("utter_order_received", {})]
    with db.session() as session:
        assert session.scalars(select(Cart)).all() == []
