"""action_answer_product with a real Tracker and CollectingDispatcher over the demo store."""
from __future__ import annotations

import asyncio

import pytest

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.products import ActionAnswerProduct
from actions.store import store_name


def tracker(text: str, intent: str, entities=(), confidence: float = 0.9, **slots) -> Tracker:
    return Tracker.from_dict({
        "sender_id": "+923001234567",
        "slots": {"language": "roman_urdu", "current_product": None, "current_options": None, **slots},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": confidence},
                           "entities": [{"entity": e, "value": v} for e, v in entities]},
        "events": [], "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })


def run(t: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerProduct().run(dispatcher, t, {}))
    return dispatcher.messages, events


def test_answer_sets_current_product(demo_data_dir):
    messages, events = run(tracker("peshawari chappal 9 number brown hai?", "ask_availability",
                                   entities=[("product", "peshawari chappal"), ("size", "9"), ("colour", "brown")]))
    # Peshawari Chappal 9 / Brown: 3 pieces in the demo export (low stock)
    assert messages[0]["text"].startswith("Ji haan, Peshawari Chappal (9 Brown) available hai. Sirf 3 baqi hain.")
    assert events == [{"event": "slot", "timestamp": None, "name": "current_product", "value": "peshawari-chappal"},
                      {"event": "slot", "timestamp": None, "name": "current_options",
                       "value": {"Size": "9", "Color": "Brown"}}]


def test_a_follow_up_keeps_the_values_asked_before(demo_data_dir):
    # Peshawari Chappal 10 / Black: 0 in the demo export (9 / Black: 2)
    messages, events = run(tracker("aur 10 number?", "ask_availability", current_product="peshawari-chappal",
                                   current_options={"Size": "9", "Color": "Black"}))
    assert messages[0]["text"].startswith("Maazrat, Peshawari Chappal (10 Black) abhi stock mein nahi hai.")
    assert events[0]["value"] == {"Size": "10", "Color": "Black"}


@pytest.mark.parametrize("text, intent", [("peshawari chappal 9.5 number hai?", "give_transaction_id"),
                                          ("peshawari chappal bhoora 43?", "nlu_fallback"),
                                          ("Do you sell wrist watches?", "out_of_scope")])
def test_a_product_question_the_nlu_misread_goes_to_the_product_answer(demo_data_dir, text, intent):
    from actions.orders import ActionResolvePending

    dispatcher = CollectingDispatcher()
    asyncio.run(ActionResolvePending().run(dispatcher, tracker(text, intent), {"responses": {}, "slots": {}}))
    # answered from the catalog in the same action call (no FollowupAction for the policies to follow)
    [message] = dispatcher.messages
    assert "Peshawari Chappal" in (message["text"] or "") or message["response"] == "utter_product_not_found"


def test_a_size_the_nlu_took_for_an_order_number_is_a_product_question(demo_data_dir):
    from actions.orders import ActionOrderStatus

    follow = tracker("10 number?", "order_status", current_product="peshawari-chappal")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionOrderStatus().run(dispatcher, follow, {"responses": {}, "slots": {}}))
    assert "Peshawari Chappal" in dispatcher.messages[0]["text"] and "10" in dispatcher.messages[0]["text"]
    assert not any(e.get("event") == "followup" for e in events)


def test_out_of_scope_stays_out_of_scope(demo_data_dir):
    from actions.orders import ActionResolvePending

    events = asyncio.run(ActionResolvePending().run(CollectingDispatcher(), tracker("cricket ka score?", "out_of_scope"),
                                                    {"responses": {}, "slots": {}}))
    assert not any(e.get("name") == "action_answer_product" for e in events)


def test_a_transaction_id_is_still_read_as_one(demo_data_dir):
    from actions.orders import ActionResolvePending

    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionResolvePending().run(dispatcher, tracker("TID 012345678901", "give_transaction_id"),
                                                    {"responses": {}, "slots": {}}))
    assert not any(e.get("name") == "action_answer_product" for e in events)


def test_a_photo_caption_is_a_product_question(demo_data_dir):
    from actions.payments import ActionMediaReceived

    def photo(caption: str, **slots) -> list[dict]:
        dispatcher = CollectingDispatcher()
        t = tracker("/send_media", "send_media", **slots)
        t.latest_message["metadata"] = {"type": "image", "caption": caption}
        asyncio.run(ActionMediaReceived().run(dispatcher, t, {"responses": {}, "slots": {}}))
        return dispatcher.messages

    [answer] = photo("ye 9 number brown mein hai?", current_product="peshawari-chappal")
    assert answer["text"].startswith("Ji haan, Peshawari Chappal (9 Brown) available hai.")
    [unknown] = photo("ye kitne ka hai?")  # no product named or discussed: a person sees the picture
    assert "Tasveer se product pehchan nahi saka" in unknown["text"]
    assert unknown["buttons"] == [{"title": "Team se baat", "payload": "/human_handoff"}]


def test_follow_up_reads_current_product_and_answers_in_english(demo_data_dir):
    messages, events = run(tracker("how much is it?", "ask_price", language="english",
                                   current_product="banarsi-dupatta"))
    assert messages[0]["text"].startswith("Banarsi Dupatta is Rs 2,990 (was Rs 3,490, 14% off).")
    assert events == []  # the product did not change


def test_list_reply_payload_chooses_the_product(demo_data_dir):
    messages, events = run(tracker('/choose_product{"product_id": "kundan-tikka"}', "choose_product",
                                   entities=[("product_id", "kundan-tikka")]))
    assert "Kundan Maang Tikka" in messages[0]["text"]
    assert events[0]["value"] == "kundan-tikka"


def test_ambiguous_question_utters_buttons(demo_data_dir):
    messages, events = run(tracker("shawl available?", "ask_availability"))
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert set(titles) >= {"Sindhi Ajrak Shawl", "Kashmiri Pashmina Shawl", "Embroidered Velvet Shawl"}
    assert events == []


def test_unknown_product_utters_the_domain_response_with_a_handoff_button(demo_data_dir):
    messages, _ = run(tracker("lipstick ki price?", "ask_price"))
    assert messages[0]["response"] == "utter_product_not_found"
    assert messages[0]["buttons"] == [{"title": "Team se baat", "payload": "/human_handoff"}]


def test_store_name_comes_from_the_profile(demo_data_dir):
    assert store_name() == "Sauda Demo Store"


@pytest.mark.parametrize("action_name, intent", [("ActionModifyOrder", "modify_order"),
                                                 ("ActionRecordCancelReason", "cancel_reason")])
def test_an_order_intent_from_a_customer_without_orders_about_a_product_is_answered_as_one(
        demo_data_dir, action_name, intent):
    import actions.cancellation

    dispatcher = CollectingDispatcher()
    action = getattr(actions.cancellation, action_name)()
    asyncio.run(action.run(dispatcher, tracker("peshawari chappal 9 number brown hai?", intent),
                           {"responses": {}, "slots": {}}))
    assert dispatcher.messages[0]["text"].startswith("Ji haan, Peshawari Chappal (9 Brown) available hai.")


@pytest.mark.parametrize("text, answered", [("iPhone 13 ka mobile cover hai?", True),
                                            ("cricket ka score kya hai?", False),
                                            ("Lahore ka mausam kaisa hai?", False)])
def test_is_there_x_of_a_product_the_store_does_not_sell_gets_the_not_in_catalog_answer(demo_data_dir, text, answered):
    """Read as out_of_scope, "X hai?" asks for a product (the catalog says it has none);
    "kya hai?" / "kaisa hai?" asks something else and keeps the out-of-scope answer."""
    from actions.orders import ActionResolvePending

    dispatcher = CollectingDispatcher()
    asyncio.run(ActionResolvePending().run(dispatcher, tracker(text, "out_of_scope"), {"responses": {}, "slots": {}}))
    assert (dispatcher.messages[0].get("response") == "utter_product_not_found") is answered


@pytest.mark.parametrize("text, confidence, answered", [("peshawari chappal 9 number", 0.44, True),
                                                        ("peshawari chappal 9 number", 0.9, False),
                                                        ("peshawari chappal toota hua", 0.44, False)])
def test_a_product_name_the_nlu_only_guesses_is_a_complaint_is_answered(demo_data_dir, text, confidence, answered):
    """Sure complaints and complaints in words go to a person; a few words naming a product that
    the NLU calls a complaint at low confidence are a product question."""
    from actions.orders import ActionResolvePending

    dispatcher = CollectingDispatcher()
    asyncio.run(ActionResolvePending().run(dispatcher, tracker(text, "complain", confidence=confidence),
                                           {"responses": {}, "slots": {}}))
    product_answer = "Peshawari Chappal" in (dispatcher.messages[0].get("text") or "")
    assert product_answer is answered
