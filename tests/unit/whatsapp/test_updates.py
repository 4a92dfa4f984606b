"""Every case in Meta's recorded webhook payloads parses into the right typed update."""

from __future__ import annotations

import copy

import pytest

from tests.conftest import load_fixture
from whatsapp.updates import InboundMessage, MarketingPreference, OtherUpdate, StatusUpdate, parse_webhook


def only(file_name: str, case: str):
    parsed = parse_webhook(load_fixture(file_name)[case])
    assert parsed.problems == []
    assert len(parsed.updates) == 1
    return parsed.updates[0]


def test_text_message_carries_sender_name_and_phone_number_id():
    msg = only("message.json", "text")
    assert isinstance(msg, InboundMessage)
    assert (msg.wamid, msg.sender, msg.type, msg.text) == ("wamid.xyzxyz", "972987654321", "text", "Body Text")
    assert (msg.profile_name, msg.phone_number_id, msg.timestamp) == ("Test Name", "1122334455667", 1697043223)
    assert not msg.is_silent and not msg.is_unreadable


@pytest.mark.parametrize(
    "case, kind, media_id",
    [
        ("image", "image", "65463453"),
        ("media_with_url", "image", "65463453"),
        ("video", "video", "765756756"),
        ("document", "document", "1234567890987654321"),
        ("audio", "audio", "1234567890987654321"),
        ("voice", "voice", "1234567890987654321"),
        ("static_sticker", "sticker", "1234567890987654321"),
        ("animated_sticker", "sticker", "1234567890987654321"),
    ],
)
def test_media_keeps_its_id_and_kind(case, kind, media_id):
    msg = only("message.json", case)
    assert msg.media["type"] == kind
    assert msg.media["id"] == media_id
    assert msg.is_unreadable


def test_media_caption_and_filename():
    doc = only("message.json", "document")
    assert doc.text == "caption"
    assert doc.media["filename"] == "filename.pdf"
    assert doc.context == {"forwarded": True}


@pytest.mark.parametrize("case", ["reaction", "unreaction_empty", "unreaction_no_emoji"])
def test_reactions_are_silent(case):
    msg = only("message.json", case)
    assert msg.is_silent
    assert msg.reaction["message_id"] == "wamid.yzxyzx="


def test_locations():
    current = only("message.json", "current_location").location
    chosen = only("message.json", "chosen_location").location
    assert (current["latitude"], current["longitude"]) == (12.25089, 43.90539)
    assert chosen["name"] == "Facebook HQ" and chosen["address"].startswith("1 Hacker Way")


def test_contacts_order_referral_and_context():
    assert [c["name"]["formatted_name"] for c in only("message.json", "contacts").contacts][:2] == [
        "Chandler Bing",
        "Monica",
    ]
    order = only("message.json", "order").order
    assert order["catalog_id"] == "354160437058781"
    assert [i["product_retailer_id"] for i in order["product_items"]] == ["HAMBURGER", "FRENCH_FRIES", "SODA"]
    referral = only("message.json", "referral")
    assert referral.text == "BODY" and referral.referral["ctwa_clid"] == "CTWA_CLID"
    assert only("message.json", "reply").context == {"from": "972123456789", "id": "wamid.xyzxyz=="}
    assert only("message.json", "forwarded_many_times").context == {"frequently_forwarded": True}


@pytest.mark.parametrize("case", ["unsupported", "unsupported_with_type", "interactive_message_with_err"])
def test_unreadable_messages(case):
    msg = only("message.json", case)
    assert msg.is_unreadable and not msg.is_silent
    assert msg.payload is None


def test_unsupported_keeps_meta_error():
    assert only("message.json", "unsupported").errors[0]["code"] == 131051


@pytest.mark.parametrize(
    "file_name, case, payload, title",
    [
        ("callback_button.json", "button", "callback_data", "title"),
        ("callback_button.json", "quick_reply", "callback_data", "title"),
        ("callback_button.json", "quick_reply_without_context", "callback_data", "title"),
        ("callback_selection.json", "callback", "callback_data", "title"),
        ("callback_selection.json", "description", "callback_data", "title"),
    ],
)
def test_taps_carry_the_button_payload(file_name, case, payload, title):
    msg = only(file_name, case)
    assert (msg.payload, msg.title) == (payload, title)
    assert not msg.is_unreadable


@pytest.mark.parametrize(
    "case, status, outcome",
    [
        ("sent", "sent", "sent"),
        ("delivered", "delivered", "delivered"),
        ("read", "read", "read"),
        ("played", "played", "played"),
        ("with_tracker", "sent", "sent"),
        ("group", "read", "read"),
        ("failed", "failed", "error"),
    ],
)
def test_statuses(case, status, outcome):
    st = only("message_status.json", case)
    assert isinstance(st, StatusUpdate)
    assert (st.status, st.outcome) == (status, outcome)


def test_failed_status_keeps_error_codes_and_tracker_data():
    failed = only("message_status.json", "failed")
    assert failed.error_codes == (130472,)
    assert only("message_status.json", "with_tracker").biz_opaque_callback_data == "some data"
    assert only("message_status.json", "sent").pricing["category"] == "service"


def test_outside_window_failure_is_named():
    body = load_fixture("message_status.json")["failed"]
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["errors"][0]["code"] = 131047
    assert parse_webhook(body).updates[0].outcome == "outside_window"


@pytest.mark.parametrize("case", ["resume", "signup"])
def test_marketing_preferences(case):
    pref = only("user_marketing_preferences.json", case)
    assert isinstance(pref, MarketingPreference)
    assert (pref.wa_id, pref.value, pref.opted_out) == ("16505551234", case, False)


@pytest.mark.parametrize(
    "case, kind", [("phone_number_change", "user_changed_number"), ("identity_change", "customer_identity_changed")]
)
def test_system_messages_are_silent_and_kept(case, kind):
    msg = only("system.json", case)
    assert msg.is_silent and msg.system["type"] == kind


@pytest.mark.parametrize(
    "file_name, case, field",
    [
        ("template_status_update.json", "approved", "message_template_status_update"),
        ("template_status_update.json", "rejected", "message_template_status_update"),
        ("template_category_update.json", "marketing", "template_category_update"),
    ],
)
def test_template_updates_are_other_updates(file_name, case, field):
    update = only(file_name, case)
    assert isinstance(update, OtherUpdate) and update.field == field


@pytest.mark.parametrize(
    "body, problem",
    [
        ([], "body: expected a JSON object"),
        ({"object": "page", "entry": []}, "object: expected 'whatsapp_business_account'"),
        ({"object": "whatsapp_business_account"}, "entry: expected a list"),
        (
            {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages"}]}]},
            "entry[0].changes[0].value: expected an object",
        ),
    ],
)
def test_unreadable_bodies_are_reported_with_where(body, problem):
    parsed = parse_webhook(body)
    assert parsed.updates == []
    assert parsed.problems[0].startswith(problem)


def test_one_bad_message_does_not_lose_the_others():
    body = load_fixture("message.json")["text"]
    messages = body["entry"][0]["changes"][0]["value"]["messages"]
    messages.insert(0, {"from": "923001234567", "type": "text"})  # no id
    parsed = parse_webhook(body)
    assert [u.wamid for u in parsed.updates] == ["wamid.xyzxyz"]
    assert parsed.problems == ["entry[0].changes[0].value.messages[0]: missing id"]


def _wrong_types_at_every_depth(valid: dict):
    """``valid`` with None, a number, a string, a list or an object put at each place in turn."""

    def places(value, trail=()):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield trail + (key,)
                yield from places(inner, trail + (key,))
        elif isinstance(value, list) and value:
            yield trail + (0,)
            yield from places(value[0], trail + (0,))

    for trail in places(valid):
        for wrong in (None, 12345, "x", [], {}):
            broken = copy.deepcopy(valid)
            target = broken
            for step in trail[:-1]:
                target = target[step]
            target[trail[-1]] = wrong
            yield broken


def test_a_wrong_type_anywhere_is_a_problem_not_an_exception():
    bodies = list(_wrong_types_at_every_depth(load_fixture("message.json")["text"]))
    assert len(bodies) > 50
    for body in bodies:
        parsed = parse_webhook(body)  # never raises
        assert all(isinstance(p, str) for p in parsed.problems)
    metadata_broken = load_fixture("message.json")["text"]
    metadata_broken["entry"][0]["changes"][0]["value"]["metadata"] = 12345
    assert parse_webhook(metadata_broken).problems[0].startswith("entry[0].changes[0].value:")
