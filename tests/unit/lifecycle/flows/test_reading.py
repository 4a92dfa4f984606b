"""A reply is read against the question Sauda asked first, and only then by its intent
(lifecycle/conversation/reading.py), on SQLite and PostgreSQL. The intents here are the ones the NLU
really gives such messages when it has no context: a reason that looks like a complaint, a
review that looks like an opt-in, a bare number it cannot place."""
from __future__ import annotations

from sqlalchemy import select

from lifecycle.conversation.reading import read
from lifecycle.db.engagement_models import CsatResponse
from lifecycle.db.models import Cancellation, Escalation, Payment
from lifecycle.domain import customers, orders
from tests.unit.lifecycle.conftest import cod_order
from tests.unit.lifecycle.flows.conftest import PHONE, said
from tests.unit.lifecycle.flows.test_csat_escalations import deliver

NO_ENTITIES = {"cancel_reason": None, "transaction_id": None, "city": None}


def _ask(db, clock, kind: str, ref: str) -> None:
    with db.session.begin() as session:
        customers.ask(session, customers.find(session, PHONE), kind, orders.find(session, ref).id, clock.now())


def _read(db, turn, text: str, intent: str, **entities):
    with db.session.begin() as session:
        return said(read(turn(session, text), intent, {**NO_ENTITIES, **entities}, []))


def _escalations(db) -> list[tuple[str, str]]:
    with db.session() as session:
        return [(e.reason, e.note) for e in session.scalars(select(Escalation).order_by(Escalation.id))]


def _place(db, clock, settings, **changes) -> str:
    with db.session.begin() as session:
        return orders.place(session, cod_order(**changes), clock.now(), settings).ref


def test_ok_g_and_theek_hai_shukriya_confirm_the_cod_order_asked_about(db, clock, settings, turn):
    ref = _place(db, clock, settings)
    _ask(db, clock, "confirm_order", ref)
    assert _read(db, turn, "theek hai shukriya", "thank") == [("utter_order_confirmed", {"order_ref": ref})]
    with db.session() as session:
        assert orders.find(session, ref).status == "confirmed"
    # nothing pending any more: the same words are a plain thanks
    assert _read(db, turn, "theek hai shukriya", "thank") == [("utter_thank", {})]


def test_a_bare_reason_after_the_cancellation_question_is_the_reason_not_a_complaint(db, clock, settings, turn):
    ref = _place(db, clock, settings)
    with db.session.begin() as session:
        orders.cancel(session, orders.find(session, ref), "customer", clock.now())
    _ask(db, clock, "cancel_reason", ref)
    assert _read(db, turn, "size chota nikla tha", "complain") == [
        ("utter_offer_modify", {"order_ref": ref, "order_id": ref})]
    assert _escalations(db) == []
    with db.session() as session:
        cancellation = session.scalar(select(Cancellation))
        assert (cancellation.reason, cancellation.free_text) == ("other", "size chota nikla tha")
        assert customers.pending(session, customers.find(session, PHONE)).kind == "modify_offer"
    assert _read(db, turn, "nahi", "deny") == [
        "Theek hai. Order SD-1001 cancel hi rahega. Jab chahein dobara order kar sakte hain."]


def test_a_bare_number_after_the_payment_instructions_is_the_transaction_id(db, clock, settings, turn):
    ref = _place(db, clock, settings, payment_method="easypaisa")
    _ask(db, clock, "transaction_id", ref)
    assert _read(db, turn, "haan", "affirm") == [("utter_ask_transaction_id", {})]
    assert _read(db, turn, "20711223344", "nlu_fallback") == [
        ("utter_transaction_id_received", {"transaction_id": "20711223344", "order_ref": ref})]
    with db.session() as session:
        assert session.scalar(select(Payment)).transaction_id == "20711223344"


def test_after_which_address_the_next_statement_is_the_address(db, clock, settings, turn):
    ref = _place(db, clock, settings)
    assert _read(db, turn, "address badalna", "change_address") == [("utter_ask_address", {})]
    assert _read(db, turn, "House 12 Street 4 near Awami Markaz, Gulberg Lahore", "nlu_fallback")[0] == (
        "utter_address_updated", {"order_ref": ref})
    with db.session() as session:
        assert orders.find(session, ref).address == "House 12 Street 4 near Awami Markaz, Gulberg Lahore"


def test_a_typed_review_after_the_csat_question_is_the_answer_whatever_the_intent(db, clock, settings, turn):
    ref = deliver(db, clock, settings)
    _ask(db, clock, "csat", ref)
    complaint = "plastic jaisa kapra nikla, picture se bilkul alag"
    assert _read(db, turn, complaint, "opt_in") == [("utter_csat_sorry", {})]
    assert _escalations(db) == [("csat_negative", complaint)]
    with db.session() as session:
        response = session.scalar(select(CsatResponse))
        assert (response.answer, response.text) == ("negative", complaint)
        assert customers.pending(session, customers.find(session, PHONE)) is None


def test_praise_typed_as_a_thanks_after_the_csat_question_is_thanked_with_the_review_links(
        db, clock, settings, turn):
    ref = deliver(db, clock, settings)
    _ask(db, clock, "csat", ref)
    replies = _read(db, turn, "sab theek mila, suit bohat pyara hai shukriya", "thank")
    assert replies[0] == ("utter_csat_thanks", {})
    assert any("Review" in r for r in replies[1:] if isinstance(r, str))
    assert _escalations(db) == []


def test_an_unclear_answer_is_kept_and_asked_about_once(db, clock, settings, turn):
    ref = deliver(db, clock, settings)
    _ask(db, clock, "csat", ref)
    follow_up = _read(db, turn, "kal baat karte hain", "nlu_fallback")
    assert "samajh nahi paya" in follow_up[0]
    with db.session() as session:
        assert session.scalar(select(CsatResponse.answer)) == "unclear"
    # still unclear after the one follow-up: a person reads it, no review link
    assert _read(db, turn, "dekhte hain", "nlu_fallback") == [("utter_csat_sorry", {})]
    assert _escalations(db) == [("csat_unclear", "dekhte hain")]


def test_an_answer_to_the_csat_question_the_nlu_took_for_abuse_is_read_as_feedback(db, clock, settings, turn):
    ref = deliver(db, clock, settings)
    _ask(db, clock, "csat", ref)
    follow_up = _read(db, turn, "dekhti hoon", "abuse")  # no opinion in it: asked once more, no escalation
    assert "samajh nahi paya" in follow_up[0] and _escalations(db) == []
    insult = "bakwas service, tum log chor ho"
    assert _read(db, turn, insult, "abuse") == [("utter_csat_sorry", {})]
    assert _escalations(db) == [("csat_negative", insult)]


def test_a_complaint_the_nlu_could_not_place_still_reaches_a_person(db, clock, settings, turn):
    _place(db, clock, settings)
    assert _read(db, turn, "ye kya bakwas bheja hai, kapra phata hua hai", "nlu_fallback") == [
        ("utter_complaint_received", {})]
    assert _escalations(db) == [("complain", "ye kya bakwas bheja hai, kapra phata hua hai")]
    assert _read(db, turn, "asdf qwerty", "nlu_fallback") == [("utter_default", {})]


def test_after_the_csat_question_a_review_read_as_a_product_question_is_the_answer_and_a_question_is_not(
        db, clock, settings, turn):
    ref = deliver(db, clock, settings)
    _ask(db, clock, "csat", ref)
    with db.session.begin() as session:  # a question: its own action answers it, the CSAT question stays open
        assert read(turn(session, "delivery kab tak hoti hai?"), "ask_delivery", NO_ENTITIES, []) is None
    with db.session.begin() as session:
        reply = read(turn(session, "kapra acha hai magar silai jagah jagah se kachi hai"), "ask_details",
                     NO_ENTITIES, [])
    assert said(reply) == [("utter_csat_sorry", {})] and reply.slots == {"order_id": ref, "pending_question": None}
    assert _escalations(db) == [("csat_negative", "kapra acha hai magar silai jagah jagah se kachi hai")]
