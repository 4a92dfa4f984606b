"""Every recorded Meta webhook (tests/fixtures/whatsapp, vendored from pywa, MIT) through the real channel:
signed by the simulator, read by the Rasa server's WhatsApp channel, answered through the
Graph API (or not), and handed to the app server's hooks, all over real HTTP."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import FIXTURES, load_fixture
from tests.stack import ROOT, message_text
from tests.stack.channel_helpers import (
    hook_events,
    new_phone,
    outbound,
    personalise,
    relay,
    say_and_wait,
    user_events,
    wait_for_outbound,
)

# The intents the channel sends for non-text messages (the dialogue decides the answer).
MEDIA, UNSUPPORTED, LOCATION, ORDER = "send_media", "unsupported_message", "share_location", "catalog_order"
# (file, case) -> what happens: one of the intents above, "dialogue" (their words reach
# Rasa and are answered), "tap", "silent" (no reply), or the hook it goes to.
EXPECTED = {
    **{("message.json", c): "dialogue" for c in ("text", "reply", "forwarded", "forwarded_many_times", "referral")},
    **{("message.json", c): MEDIA for c in ("image", "media_with_url", "video", "document", "audio", "voice")},
    **{
        ("message.json", c): UNSUPPORTED
        for c in (
            "static_sticker",
            "animated_sticker",
            "contacts",
            "unsupported",
            "unsupported_with_type",
            "interactive_message_with_err",
        )
    },
    **{("message.json", c): "silent" for c in ("reaction", "unreaction_empty", "unreaction_no_emoji")},
    ("message.json", "current_location"): LOCATION,
    ("message.json", "chosen_location"): LOCATION,
    ("message.json", "order"): ORDER,
    **{("callback_button.json", c): "tap" for c in ("button", "quick_reply", "quick_reply_without_context")},
    **{("callback_selection.json", c): "tap" for c in ("callback", "description")},
    **{
        ("message_status.json", c): "status"
        for c in ("sent", "delivered", "read", "played", "failed", "with_tracker", "group")
    },
    **{("system.json", c): "silent" for c in ("phone_number_change", "identity_change")},
    ("template_status_update.json", "approved"): "template_update",
    ("template_status_update.json", "rejected"): "template_update",
    ("template_category_update.json", "marketing"): "template_update",
    ("user_marketing_preferences.json", "resume"): "marketing_preference",
    ("user_marketing_preferences.json", "signup"): "marketing_preference",
}
RESPONSES = {
    name: texts
    for path in sorted((ROOT / "domain").glob("*.yml"))
    for name, texts in (yaml.safe_load(path.read_text()).get("responses") or {}).items()
}


def variants(response: str) -> set[str]:
    return {v["text"] for v in RESPONSES[response]}


def test_every_fixture_case_has_an_expected_outcome():
    recorded = {(path.name, case) for path in FIXTURES.glob("*.json") for case in json.loads(path.read_text())}
    assert recorded == set(EXPECTED)


def the_message(body: dict) -> dict:
    return body["entry"][0]["changes"][0]["value"]["messages"][0]


def post_case(stack, file_name: str, case: str) -> tuple[str, dict, dict]:
    wa_id = new_phone()
    body = personalise(load_fixture(file_name)[case], wa_id)
    answer = relay(stack, body).json()
    assert answer["webhook_status"] == 200, answer
    assert answer["webhook_response"]["problems"] == []
    return wa_id, body, answer["webhook_response"]


def assert_no_reply(stack, wa_id: str) -> None:
    """A probe message from the same customer is answered; nothing came before its answer
    (the channel handles one customer's messages in order)."""
    probe = say_and_wait(stack, wa_id, "salam")
    assert probe, "the probe got no answer"
    assert len(outbound(stack, wa_id)) == len(probe)


def inbound_hook(stack, wamid: str) -> dict:
    [event] = hook_events(stack, "inbound", lambda d: d["wamid"] == wamid)
    return event


CASES = sorted(EXPECTED)


@pytest.mark.parametrize("file_name, case", [c for c in CASES if EXPECTED[c] in (MEDIA, UNSUPPORTED, LOCATION, ORDER)])
def test_non_text_messages_reach_the_dialogue_as_intents_with_their_data_kept(stack, file_name, case):
    wa_id, body, _ = post_case(stack, file_name, case)
    message, intent = the_message(body), EXPECTED[(file_name, case)]
    hook = inbound_hook(stack, message["id"])
    assert hook["wa_id"] == wa_id and hook["type"] == message["type"]
    replies = wait_for_outbound(stack, wa_id, 1)
    [event] = user_events(stack, wa_id)
    metadata = event["metadata"]
    assert event["parse_data"]["intent"]["name"] == intent
    assert metadata["wamid"] == message["id"]
    if intent == UNSUPPORTED:  # "what I can read", in the customer's language
        assert [message_text(r) for r in replies] and message_text(replies[0]) in variants("utter_unsupported")
    if intent == MEDIA or message["type"] == "sticker":
        media_id = message[message["type"]]["id"]
        assert metadata["media"]["id"] == hook["media"]["id"] == media_id  # a payment screenshot is not lost
    if intent == LOCATION:
        assert metadata["location"] == hook["location"] == message["location"]
    if intent == ORDER:
        assert hook["order"]["product_items"] == metadata["order"]["product_items"] == message["order"]["product_items"]
    if message["type"] == "contacts":
        assert metadata["contacts"] == message["contacts"]


@pytest.mark.parametrize("file_name, case", [c for c in CASES if EXPECTED[c] == "dialogue"])
def test_text_reaches_the_dialogue_with_context_and_referral(stack, file_name, case):
    wa_id, body, _ = post_case(stack, file_name, case)
    message = the_message(body)
    assert wait_for_outbound(stack, wa_id, 1), "no reply to a text message"
    [event] = user_events(stack, wa_id)
    assert event["text"] == message["text"]["body"]
    assert event["metadata"].get("context") == message.get("context")
    assert event["metadata"].get("referral") == message.get("referral")
    assert inbound_hook(stack, message["id"])["referral"] == message.get("referral")


@pytest.mark.parametrize("file_name, case", [c for c in CASES if EXPECTED[c] == "tap"])
def test_taps_reach_the_dialogue_as_their_title_with_the_payload_kept(stack, file_name, case):
    wa_id, body, _ = post_case(stack, file_name, case)
    message = the_message(body)
    wait_for_outbound(stack, wa_id, 1, timeout=5)
    [event] = user_events(stack, wa_id)
    # "callback_data" is not one of our "/intent{...}" payloads, so its title is what was said
    assert event["text"] == "title"
    assert event["metadata"]["button_title"] == "title"
    assert inbound_hook(stack, message["id"])["payload"] == "callback_data"


@pytest.mark.parametrize("file_name, case", [c for c in CASES if EXPECTED[c] == "silent"])
def test_silent_updates_get_no_reply_but_reach_the_lifecycle(stack, file_name, case):
    wa_id, body, _ = post_case(stack, file_name, case)
    message = the_message(body)
    hook = inbound_hook(stack, message["id"])
    assert hook["type"] == message["type"]
    assert (hook["reaction"] or hook["system"]) == (message.get("reaction") or message.get("system"))
    assert_no_reply(stack, wa_id)


@pytest.mark.parametrize("file_name, case", [c for c in CASES if EXPECTED[c] == "status"])
def test_statuses_go_to_the_status_hook_by_wamid(stack, file_name, case):
    wa_id, body, response = post_case(stack, file_name, case)
    status = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    [event] = hook_events(stack, "status", lambda d: d["wamid"] == status["id"])
    assert (event["status"], event["recipient"], event["timestamp"]) == (
        status["status"],
        wa_id,
        int(status["timestamp"]),
    )
    assert event["errors"] == status.get("errors", [])
    assert event["biz_opaque_callback_data"] == status.get("biz_opaque_callback_data")
    assert event["outcome"] == ("error" if status["status"] == "failed" else status["status"])
    assert response["accepted"] == 0
    assert outbound(stack, wa_id) == []


@pytest.mark.parametrize("file_name, case", [c for c in CASES if EXPECTED[c] == "marketing_preference"])
def test_marketing_preferences_go_to_the_opt_out_hook(stack, file_name, case):
    wa_id, body, _ = post_case(stack, file_name, case)
    [event] = hook_events(stack, "marketing_preference", lambda d: d["wa_id"] == wa_id)
    assert (event["value"], event["opted_out"], event["category"]) == (case, False, "marketing_messages")
    assert outbound(stack, wa_id) == []


@pytest.mark.parametrize("file_name, case", [c for c in CASES if EXPECTED[c] == "template_update"])
def test_template_updates_are_handed_over(stack, file_name, case):
    _, body, response = post_case(stack, file_name, case)
    value = body["entry"][0]["changes"][0]["value"]
    events = hook_events(
        stack, "template_update", lambda d: d == {"field": body["entry"][0]["changes"][0]["field"], **value}
    )
    assert events and response["accepted"] == 0
