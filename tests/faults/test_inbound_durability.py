"""Acknowledged messages are kept until Rasa has answered them: a Rasa server killed with 50
acknowledged, unanswered messages answers each once after its restart; a flood gets one
slow-down message and no Rasa turns."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import time

import httpx
import pytest

from bot.settings import SLOW_DOWN
from simulator import webhooks
from tests.stack import message_text, start_stack
from tests.stack.channel_helpers import new_phone, outbound, user_events
from whatsapp.signing import SIGNATURE_HEADER, sign

RATE = 5


@pytest.fixture(scope="module")
def stack(tmp_path_factory, model):
    running = start_stack(tmp_path_factory.mktemp("durable"), model, {"WHATSAPP_CUSTOMER_RATE": str(RATE)})
    yield running
    running.stop()


def one_webhook(stack, messages: list[tuple[str, str]]) -> tuple[dict, list[str]]:
    """One signed Meta body carrying every (wa_id, text), and its wamids."""
    bodies = [webhooks.message_webhook(wa_id, webhooks.text_message(text), display_phone_number="15550001111",
                                       phone_number_id=stack.env["WHATSAPP_PHONE_NUMBER_ID"])
              for wa_id, text in messages]
    value = bodies[0]["entry"][0]["changes"][0]["value"]
    for body in bodies[1:]:
        more = body["entry"][0]["changes"][0]["value"]
        value["messages"] += more["messages"]
        value["contacts"] += more["contacts"]
    return bodies[0], [m["id"] for m in value["messages"]]


def post(stack, body: dict) -> httpx.Response:
    raw = json.dumps(body).encode()
    return httpx.post(stack.webhook_url, content=raw, timeout=30, headers={
        "Content-Type": "application/json", SIGNATURE_HEADER: sign(raw, stack.env["WHATSAPP_APP_SECRET"])})


def inbox_size(stack) -> int:
    with sqlite3.connect(stack.data_dir / "channel.db") as db:
        return db.execute("SELECT count(*) FROM inbox WHERE parked_reason IS NULL").fetchone()[0]


def wait_until(check, timeout: float, pause: float = 1.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(pause)
    return True


def test_kill_9_with_50_acknowledged_messages_then_each_answered_once(stack):
    control = new_phone()
    body, _ = one_webhook(stack, [(control, "salam")])
    assert post(stack, body).status_code == 200
    assert wait_until(lambda: outbound(stack, control), 120), "the control customer got no answer"
    time.sleep(2)  # every part of the answer
    per_message = len(outbound(stack, control))

    customers = [new_phone() for _ in range(50)]
    body, wamids = one_webhook(stack, [(wa_id, "salam") for wa_id in customers])
    answer = post(stack, body)
    os.kill(stack.processes["rasa"].pid, signal.SIGKILL)
    stack.processes["rasa"].wait()
    assert answer.status_code == 200 and answer.json()["accepted"] == 50
    held = inbox_size(stack)
    answered_before = sum(1 for wa_id in customers if outbound(stack, wa_id))
    print(f"\nkilled holding {held} acknowledged messages; {answered_before} answered before the kill")

    stack.launch("rasa")
    stack.wait_healthy("rasa")
    everyone = lambda: all(len(outbound(stack, wa_id)) >= per_message for wa_id in customers)  # noqa: E731
    wait_until(everyone, 600, pause=2)
    time.sleep(3)  # a second answer would arrive now
    counts = {wa_id: len(outbound(stack, wa_id)) for wa_id in customers}
    answered = sum(1 for c in counts.values() if c >= per_message)
    twice = sum(1 for c in counts.values() if c > per_message)
    turns = {wa_id: len(user_events(stack, wa_id)) for wa_id in customers}
    print(f"after the restart: {answered}/50 answered, {twice} answered twice, "
          f"{sum(1 for t in turns.values() if t > 1)} with two Rasa turns")
    assert held + answered_before >= 50
    assert answered == 50 and twice == 0, counts
    assert set(turns.values()) == {1}, turns
    assert inbox_size(stack) == 0


def test_a_flood_gets_one_slow_down_message_and_no_rasa_turns(stack):
    wa_id = new_phone()
    body, _ = one_webhook(stack, [(wa_id, f"salam {n}") for n in range(25)])
    assert post(stack, body).json()["accepted"] == 25
    assert wait_until(lambda: inbox_size(stack) == 0, 300), "the flood was not worked through"
    time.sleep(2)
    texts = [message_text(m) for m in outbound(stack, wa_id)]
    assert texts.count(SLOW_DOWN) == 1, texts
    assert len(user_events(stack, wa_id)) == RATE
