"""The simulator's web chat in headless Chromium: chat, tap reply buttons and a list row,
see delivery ticks. Debian's chromium only; nothing is downloaded."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.stack.channel_helpers import new_phone, transcript

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1100, "height": 760})
        finally:
            browser.close()


def business_sends(stack, wa_id: str, message: dict) -> None:
    """A send through the Graph API, as the lifecycle's outbox would make it."""
    response = httpx.post(
        f"{stack.sim_url}/v21.0/{stack.env['WHATSAPP_PHONE_NUMBER_ID']}/messages",
        headers={"Authorization": f"Bearer {stack.env['WHATSAPP_ACCESS_TOKEN']}"},
        json={"messaging_product": "whatsapp", "to": wa_id, **message},
    )
    response.raise_for_status()


def test_chat_tap_a_button_and_pick_from_a_list(stack, page, tmp_path):
    wa_id = new_phone()
    page.goto(f"{stack.sim_url}/chat")
    page.fill("#new-phone", "0" + wa_id[2:])
    page.fill("#new-name", "Ayesha")
    page.click("text=Open chat")
    expect(page.locator("#chat-phone")).to_have_text(f"+{wa_id}")

    page.fill("#text", "salam")
    page.keyboard.press("Enter")
    greeting = page.locator(".row.out .bubble").first
    expect(greeting).to_contain_text("khush aamdeed", timeout=15000)
    expect(page.locator(".row.in .ticks").first).to_have_attribute("data-status", "delivered")
    expect(page.locator(".row.out .ticks").first).to_have_attribute("data-status", "read", timeout=5000)

    business_sends(
        stack,
        wa_id,
        {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "Kya main madad kar sakta hoon?"},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": "/greet", "title": "Salam dobara"}},
                        {"type": "reply", "reply": {"id": "/goodbye", "title": "Allah Hafiz"}},
                    ]
                },
            },
        },
    )
    page.locator(".actions button", has_text="Salam dobara").click(timeout=5000)
    expect(page.locator(".row.in").nth(1)).to_contain_text("Salam dobara")
    expect(page.locator(".row.out .bubble").nth(2)).to_be_visible(timeout=15000)  # the answer to the tap

    business_sends(
        stack,
        wa_id,
        {
            "type": "interactive",
            "interactive": {
                "type": "list",
                "body": {"text": "Size chunein"},
                "action": {
                    "button": "Sizes dekhein",
                    "sections": [
                        {
                            "rows": [
                                {"id": f'/goodbye{{"size": "{s}"}}', "title": s, "description": f"Size {s}"}
                                for s in "SMLX"
                            ]
                        }
                    ],
                },
            },
        },
    )
    page.locator(".list-open", has_text="Sizes dekhein").click(timeout=5000)
    page.locator(".sheet-rows li", has_text="Size L").click()
    expect(page.locator(".row.in").nth(2)).to_contain_text("L")
    expect(page.locator(".row.out .bubble").nth(4)).to_be_visible(timeout=15000)

    taps = [m["message"] for m in transcript(stack, wa_id) if m["type"] == "interactive" and m["direction"] == "in"]
    assert taps == [
        {"type": "button_reply", "button_reply": {"id": "/greet", "title": "Salam dobara"}},
        {"type": "list_reply", "list_reply": {"id": '/goodbye{"size": "L"}', "title": "L", "description": "Size L"}},
    ]
    shot = tmp_path / "web-chat.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
