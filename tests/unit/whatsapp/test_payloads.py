"""Graph API payloads from Rasa responses, within WhatsApp's limits."""

from __future__ import annotations

from simulator.graph.rules import validate_send
from whatsapp import payloads as outgoing

TO = "923001234567"


def sendable(payload: dict) -> dict:
    """The payload as the Graph client sends it, checked by the simulator's rules."""
    body = {"messaging_product": "whatsapp", **payload}
    assert validate_send(body) is None, validate_send(body)
    return payload


def test_split_prefers_sentence_ends_and_keeps_every_word():
    sentence = "Yeh lawn ka joda bohat acha hai. "
    text = sentence * 140  # 4,620 characters
    chunks = outgoing.split_text(text)
    assert len(chunks) == 2
    assert all(len(c) <= outgoing.TEXT_LIMIT for c in chunks)
    assert all(c.endswith(".") for c in chunks)
    assert " ".join(chunks) == text.strip()


def test_split_falls_back_to_spaces_then_hard_cuts():
    words = "kurta " * 900
    chunks = outgoing.split_text(words, limit=1000)
    assert all(len(c) <= 1000 and not c.endswith("kurt") for c in chunks)
    assert " ".join(chunks).split() == words.split()
    assert [len(c) for c in outgoing.split_text("x" * 2500, limit=1000)] == [1000, 1000, 500]


def test_split_urdu_full_stop_and_short_text():
    assert outgoing.split_text("سلام۔ آپ کیسے ہیں؟", limit=8)[0] == "سلام۔"
    assert outgoing.split_text("  salam  ") == ["salam"]
    assert outgoing.split_text("   ") == []


def test_shorten_at_word_boundary_with_ellipsis():
    assert outgoing.shorten("Cash on delivery confirm karein", 20) == "Cash on delivery…"
    assert outgoing.shorten("Haan", 20) == "Haan"
    assert outgoing.shorten("Supercalifragilisticexpialidocious", 20) == "Supercalifragilisti…"
    assert all(len(outgoing.shorten("word " * 30, n)) <= n for n in range(5, 40))


def test_unique_titles_after_shortening():
    titles = outgoing.unique_titles(["Lawn 3-piece white medium", "Lawn 3-piece white large", "Lawn 3-piece white"], 20)
    assert len(set(titles)) == 3
    assert all(len(t) <= 20 for t in titles)


def test_three_options_are_reply_buttons_with_payload_ids():
    buttons = [
        {"title": "Confirm order please now", "payload": '/confirm_order{"order_id": "SD-1"}'},
        {"title": "Cancel", "payload": '/cancel_order{"order_id": "SD-1"}'},
        {"title": "Agent", "payload": "/human_handoff"},
    ]
    [payload] = outgoing.payloads_for_buttons(TO, "Order confirm karein?", buttons, "Options", "footer")
    sendable(payload)
    replies = [b["reply"] for b in payload["interactive"]["action"]["buttons"]]
    assert payload["interactive"]["type"] == "button"
    assert [r["id"] for r in replies] == [b["payload"] for b in buttons]
    assert replies[0]["title"] == "Confirm order…"


def test_four_to_ten_options_are_a_list_with_descriptions_for_long_titles():
    buttons = [
        {"title": f"Lawn suit design number {i} embroidered", "payload": f'/choose_product{{"product_id": "P{i}"}}'}
        for i in range(10)
    ]
    [payload] = outgoing.payloads_for_buttons(TO, "Kaunsa?", buttons, "Designs dekhein", "footer")
    sendable(payload)
    rows = payload["interactive"]["action"]["sections"][0]["rows"]
    assert payload["interactive"]["type"] == "list" and len(rows) == 10
    assert all(len(r["title"]) <= 24 and len(r.get("description", "")) <= 72 for r in rows)
    assert rows[3]["description"] == buttons[3]["title"]
    assert len({r["title"] for r in rows}) == 10


def test_list_row_limits_hold_for_very_long_descriptions():
    buttons = [{"title": f"Size {s}", "payload": f"/x{s}", "description": "bohat lamba bayan " * 10} for s in "SMLXQ"]
    [payload] = outgoing.payloads_for_buttons(TO, "Size?", buttons, "A very long list button label", "f")
    sendable(payload)
    assert len(payload["interactive"]["action"]["button"]) <= 20


def test_eleven_options_are_numbered_text():
    buttons = [{"title": f"Option {i}", "payload": f"/p{i}"} for i in range(1, 12)]
    payloads = outgoing.payloads_for_buttons(TO, "Chunein:", buttons, "Options", "Number bhejein")
    assert [p["type"] for p in payloads] == ["text"]
    body = sendable(payloads[0])["text"]["body"]
    assert "\n1. Option 1\n" in body and "\n11. Option 11\n" in body and body.endswith("Number bhejein")


def test_long_body_goes_first_as_text_then_the_buttons():
    body = "Tafseel. " * 200  # 1,800 characters > 1,024 allowed in an interactive body
    payloads = outgoing.payloads_for_buttons(TO, body, [{"title": "OK", "payload": "/affirm"}], "L", "f")
    assert [p["type"] for p in payloads] == ["text", "interactive"]
    for p in payloads:
        sendable(p)


def test_button_ids_are_capped_at_256():
    [payload] = outgoing.payloads_for_buttons(TO, "?", [{"title": "A", "payload": "/x" + "y" * 400}], "L", "f")
    assert len(payload["interactive"]["action"]["buttons"][0]["reply"]["id"]) == 256


def test_template_with_body_params_and_quick_replies():
    payload = sendable(
        outgoing.template_payload(
            TO,
            "sauda_cod_confirmation",
            "ur",
            ["Ayesha", "SD-1", 2500],
            ['/confirm_order{"order_id": "SD-1"}', '/cancel_order{"order_id": "SD-1"}'],
        )
    )
    template = payload["template"]
    assert template["name"] == "sauda_cod_confirmation" and template["language"] == {"code": "ur"}
    body, *buttons = template["components"]
    assert body == {
        "type": "body",
        "parameters": [
            {"type": "text", "text": "Ayesha"},
            {"type": "text", "text": "SD-1"},
            {"type": "text", "text": "2500"},
        ],
    }
    assert [(b["sub_type"], b["index"], b["parameters"][0]["payload"]) for b in buttons] == [
        ("quick_reply", "0", '/confirm_order{"order_id": "SD-1"}'),
        ("quick_reply", "1", '/cancel_order{"order_id": "SD-1"}'),
    ]


def test_template_without_params_has_no_components():
    assert "components" not in outgoing.template_payload(TO, "hello", "en")["template"]


def test_media_payloads():
    image = sendable(outgoing.image_payload(TO, "https://x.pk/a.jpg", "Naya design"))
    assert image["image"] == {"link": "https://x.pk/a.jpg", "caption": "Naya design"}
    doc = sendable(outgoing.media_payload(TO, "document", "https://x.pk/bill.pdf", "Bill", "bill.pdf"))
    assert doc["document"]["filename"] == "bill.pdf"
    assert "caption" not in sendable(outgoing.media_payload(TO, "audio", "https://x.pk/a.ogg", "ignored"))["audio"]
