"""At-least-once delivery, signatures, malformed bodies, ordering and send failures,
through the real Rasa server, app server and simulator."""

from __future__ import annotations

import json

import httpx
import pytest

from simulator import webhooks
from tests.stack.channel_helpers import (
    hook_events,
    new_phone,
    outbound,
    relay,
    say_and_wait,
    user_events,
    wait_for_outbound,
)
from whatsapp.signing import SIGNATURE_HEADER, sign


def text_body(stack, wa_id: str, text: str, wamid: str | None = None) -> dict:
    return webhooks.message_webhook(
        wa_id,
        webhooks.text_message(text),
        wamid=wamid,
        phone_number_id=stack.env["WHATSAPP_PHONE_NUMBER_ID"],
        display_phone_number="923000000000",
    )


def post_signed(stack, raw: bytes, secret: str | None = None) -> httpx.Response:
    return httpx.post(
        stack.webhook_url,
        content=raw,
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(raw, secret or stack.env["WHATSAPP_APP_SECRET"]),
        },
    )


@pytest.fixture(autouse=True)
def no_faults_left(stack):
    yield
    httpx.delete(f"{stack.sim_url}/sim/faults")


def test_same_delivery_three_times_gets_one_reply(stack):
    wa_id = new_phone()
    body = text_body(stack, wa_id, "salam")
    acks = [relay(stack, body).json()["webhook_status"] for _ in range(3)]
    assert acks == [200, 200, 200]
    replies = wait_for_outbound(stack, wa_id, 1)
    say_and_wait(stack, wa_id, "shukriya")  # everything before this has been handled
    assert len(user_events(stack, wa_id)) == 2
    assert outbound(stack, wa_id)[0]["wamid"] == replies[0]["wamid"]
    assert len(hook_events(stack, "inbound", lambda d: d["wamid"] == payloads_wamid(body))) == 1


def payloads_wamid(body: dict) -> str:
    return body["entry"][0]["changes"][0]["value"]["messages"][0]["id"]


def test_forged_signature_is_401_and_nothing_is_stored(stack):
    wa_id = new_phone()
    raw = json.dumps(text_body(stack, wa_id, "salam")).encode()
    assert post_signed(stack, raw, secret="not-the-app-secret").status_code == 401
    # the same wamid, now properly signed, is still new: the forged one left no trace
    assert post_signed(stack, raw).status_code == 200
    assert wait_for_outbound(stack, wa_id, 1)
    assert len(user_events(stack, wa_id)) == 1


def test_body_that_is_not_json_is_400(stack):
    response = post_signed(stack, b"{not json")
    assert response.status_code == 400
    assert "not JSON" in response.json()["error"]


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"object": "page", "entry": []}, "object: expected 'whatsapp_business_account'"),
        ({"object": "whatsapp_business_account", "entry": "x"}, "entry: expected a list"),
    ],
)
def test_signed_but_unreadable_is_acknowledged_unprocessed_and_logged(stack, body, problem):
    response = post_signed(stack, json.dumps(body).encode())
    assert response.status_code == 200
    assert response.json()["accepted"] == 0
    assert response.json()["problems"][0].startswith(problem)
    assert problem in stack.log("rasa")


def test_message_missing_fields_is_skipped_and_its_neighbours_are_answered(stack):
    wa_id = new_phone()
    body = text_body(stack, wa_id, "salam")
    messages = body["entry"][0]["changes"][0]["value"]["messages"]
    messages.insert(0, {"from": wa_id, "type": "text", "text": {"body": "no id"}})
    response = relay(stack, body).json()
    assert response["webhook_status"] == 200
    assert response["webhook_response"]["problems"] == ["entry[0].changes[0].value.messages[0]: missing id"]
    assert wait_for_outbound(stack, wa_id, 1)
    assert [e["text"] for e in user_events(stack, wa_id)] == ["salam"]


def test_one_customers_messages_are_handled_in_order(stack):
    wa_id = new_phone()
    httpx.post(f"{stack.sim_url}/sim/faults", json={"http_status": 200, "delay": 0.3, "count": 2}).raise_for_status()
    texts = ["salam", "hello", "shukriya", "bye", "AoA"]
    for text in texts:  # back to back: each is acked long before the previous is answered
        relay(stack, text_body(stack, wa_id, text))
    wait_for_outbound(stack, wa_id, len(texts), timeout=30)
    assert [e["text"] for e in user_events(stack, wa_id)] == texts


def test_429_twice_then_200_is_delivered_once(stack):
    wa_id = new_phone()
    httpx.post(f"{stack.sim_url}/sim/faults", json={"http_status": 429, "code": 130429, "count": 2}).raise_for_status()
    replies = say_and_wait(stack, wa_id, "salam")
    assert len(replies) == 1
    assert len(outbound(stack, wa_id)) == 1
    assert httpx.get(f"{stack.sim_url}/health").json()["sends_rejected"] >= 2


def test_failed_status_131047_is_reported_as_outside_window(stack):
    wa_id = new_phone()
    httpx.post(f"{stack.sim_url}/sim/faults", json={"code": 131047, "via_webhook": True}).raise_for_status()
    [reply] = say_and_wait(stack, wa_id, "salam")
    [event] = hook_events(stack, "status", lambda d: d["wamid"] == reply["wamid"])
    assert (event["status"], event["outcome"], event["errors"][0]["code"]) == ("failed", "outside_window", 131047)


def test_statuses_taken_during_an_app_outage_reach_the_lifecycle_after_a_rasa_restart(stack):
    """Statuses are kept on disk before the ack: with the app server down the webhook still
    answers 200 at once, and the status is handed over when the app server is back, even
    though Rasa restarted in between."""
    wamid = "wamid.OUTAGE" + new_phone()
    body = webhooks.status_webhook(
        wamid, "delivered", new_phone(), phone_number_id=stack.env["WHATSAPP_PHONE_NUMBER_ID"], display_phone_number="1"
    )
    stack.processes["app"].terminate()
    stack.processes["app"].wait(timeout=20)
    try:
        assert relay(stack, body).json()["webhook_status"] == 200
        stack.restart("rasa")
    finally:
        stack.launch("app")
        stack.wait_healthy("app")
    # At least once: a post cut off while the app server was starting may be repeated,
    # which the lifecycle absorbs (statuses are idempotent by wamid and rank).
    handed_over = hook_events(stack, "status", lambda d: d["wamid"] == wamid, timeout=40)
    assert handed_over and {e["status"] for e in handed_over} == {"delivered"}


# Last: reloading the model takes Rasa a while.
def test_dedupe_survives_a_rasa_restart(stack):
    wa_id = new_phone()
    body = text_body(stack, wa_id, "salam")
    relay(stack, body)
    first = wait_for_outbound(stack, wa_id, 1)
    stack.restart("rasa")
    assert relay(stack, body).json()["webhook_status"] == 200  # Meta redelivers days later
    say_and_wait(stack, wa_id, "hello")
    assert [e["text"] for e in user_events(stack, wa_id)] == ["salam", "hello"]
    assert outbound(stack, wa_id)[0]["wamid"] == first[0]["wamid"]
