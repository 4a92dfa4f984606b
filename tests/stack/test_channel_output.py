"""The real WhatsApp output channel (run in the Rasa environment) sending Rasa responses
through the simulator, which checks every send against the Graph API's rules."""

from __future__ import annotations

import httpx

from tests.stack import message_text
from tests.stack.channel_helpers import (
    drive_output,
    hook_events,
    new_phone,
    outbound,
    say_and_wait,
    user_events,
    wait_for_outbound,
)


def options(n: int) -> list[dict]:
    return [
        {"title": f"Lawn suit design {i}", "payload": '/choose_product{"product_id": "P%d"}' % i}
        for i in range(1, n + 1)
    ]


def test_buttons_list_and_numbered_text_by_option_count(stack):
    wa_id = new_phone()
    say_and_wait(stack, wa_id, "salam")  # opens the 24-hour window
    results = drive_output(
        stack,
        wa_id,
        [
            {"text": "Teen mein se chunein", "buttons": options(3)},
            {"text": "Char mein se chunein", "buttons": options(4)},
            {"text": "Gyarah mein se chunein", "buttons": options(11)},
        ],
    )
    assert [r["outcome"] for r in results] == ["sent"] * 3
    sent = outbound(stack, wa_id)[-3:]
    assert [(m["type"], m["message"].get("type")) for m in sent] == [
        ("interactive", "button"),
        ("interactive", "list"),
        ("text", None),
    ]
    rows = sent[1]["message"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == [o["payload"] for o in options(4)]
    numbered = message_text(sent[2])
    assert "\n2. Lawn suit design 2\n" in numbered and "\n11. Lawn suit design 11\n" in numbered


def test_a_numbered_reply_maps_back_to_that_options_payload(stack):
    wa_id = new_phone()
    say_and_wait(stack, wa_id, "salam")
    greet = {"title": "Salam", "payload": "/greet"}
    drive_output(stack, wa_id, [{"text": "Chunein", "buttons": options(1) + [greet] + options(11)[1:]}])
    say_and_wait(stack, wa_id, "2")
    last = user_events(stack, wa_id)[-1]
    assert (last["text"], last["parse_data"]["intent"]["name"]) == ("/greet", "greet")
    assert last["metadata"]["menu_choice"] == 2
    say_and_wait(stack, wa_id, "kya haal hai")  # the menu is stale once the customer moves on
    say_and_wait(stack, wa_id, "2")
    assert user_events(stack, wa_id)[-1]["text"] == "2"


def test_a_4500_character_reply_goes_as_two_messages(stack):
    wa_id = new_phone()
    say_and_wait(stack, wa_id, "salam")
    text = "Yeh joda khalis lawn ka hai aur rang pakka hai. " * 94  # 4,512 characters
    results = drive_output(stack, wa_id, [{"text": text}])
    sent = outbound(stack, wa_id)[-2:]
    assert [r["outcome"] for r in results] == ["sent", "sent"]
    assert all(m["type"] == "text" and len(m["message"]["body"]) <= 4096 for m in sent)
    assert " ".join(m["message"]["body"] for m in sent) == text.strip()


def test_template_with_quick_replies_and_a_tap_hours_later(stack):
    wa_id = new_phone()
    results = drive_output(
        stack,
        wa_id,
        [
            {
                "custom": {
                    "type": "template",
                    "name": "sauda_cod_confirmation",
                    "language": "en",
                    "body_params": ["Ayesha", "SD-1001", "1 x Lawn 3-piece", "3,450", "Lahore"],
                    "quick_replies": ["/greet", "/goodbye"],
                }
            }
        ],
    )
    assert results[0]["outcome"] == "sent"
    [template] = outbound(stack, wa_id)
    assert "Ayesha" in template["rendered"]["text"] and "SD-1001" in template["rendered"]["text"]
    title = template["rendered"]["buttons"][0]["title"]
    replies = say_and_wait(stack, wa_id, template_button={"payload": "/greet", "text": title})
    assert replies, "the tap was not answered"
    assert user_events(stack, wa_id)[-1]["parse_data"]["intent"]["name"] == "greet"


def test_free_form_send_after_24_hours_fails_with_131047_but_a_template_goes(stack):
    wa_id = new_phone()
    say_and_wait(stack, wa_id, "salam")
    httpx.post(f"{stack.sim_url}/sim/clock", json={"advance_seconds": 25 * 3600}).raise_for_status()
    try:
        results = drive_output(
            stack,
            wa_id,
            [
                {"text": "Aap ka order rawana ho gaya hai."},
                {
                    "custom": {
                        "type": "template",
                        "name": "sauda_cod_reminder",
                        "language": "ur",
                        "body_params": ["Ayesha", "SD-1", "3,450"],
                    }
                },
            ],
        )
        late, template = wait_for_outbound(stack, wa_id, 3)[-2:]
        [failed] = hook_events(stack, "status", lambda d: d["wamid"] == late["wamid"] and d["status"] == "failed")
        assert failed["outcome"] == "outside_window"
        assert hook_events(stack, "status", lambda d: d["wamid"] == template["wamid"] and d["status"] == "delivered")
        assert [r["outcome"] for r in results] == ["sent", "sent"]  # 200 first, failure later: as Meta does
    finally:
        httpx.post(f"{stack.sim_url}/sim/clock", json={"advance_seconds": -25 * 3600})


def test_a_template_meta_would_reject_is_reported_not_retried(stack):
    wa_id = new_phone()
    results = drive_output(
        stack,
        wa_id,
        [{"custom": {"type": "template", "name": "sauda_cod_reminder", "language": "ur", "body_params": ["only one"]}}],
    )
    assert (results[0]["outcome"], results[0]["error_code"], results[0]["attempts"]) == ("error", 132000, 1)
    assert outbound(stack, wa_id) == []


def test_image_and_attachment(stack):
    wa_id = new_phone()
    say_and_wait(stack, wa_id, "salam")
    drive_output(
        stack,
        wa_id,
        [
            {"text": "Yeh dekhein", "image": "https://shop.example.pk/lawn.jpg"},
            {
                "attachment": {
                    "url": "https://shop.example.pk/size-chart.pdf",
                    "type": "document",
                    "filename": "size-chart.pdf",
                }
            },
        ],
    )
    sent = outbound(stack, wa_id)[-3:]
    assert [m["type"] for m in sent] == ["text", "image", "document"]
    assert sent[1]["message"]["link"].endswith("lawn.jpg") and sent[2]["message"]["filename"] == "size-chart.pdf"
