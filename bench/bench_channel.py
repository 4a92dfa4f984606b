"""WhatsApp channel: webhook-ack latency, and a greeting turn through the simulator side by
side with a bare Rasa REST turn on the same model and action server, in one run."""

from __future__ import annotations

import json
import secrets
import tempfile
import time
from pathlib import Path

import httpx

from bench.table import Table, percentiles
from simulator import webhooks
from tests.stack import Stack, start_stack, trained_model
from whatsapp.signing import SIGNATURE_HEADER, sign

ACKS = 100
TURNS = 30
WARM_UP = 5


def _phone(n: int, prefix: str) -> str:
    return f"92{prefix}{n:07d}"


def _signed_post(client: httpx.Client, stack: Stack, body: dict) -> float:
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(raw, stack.env["WHATSAPP_APP_SECRET"])}
    started = time.perf_counter()
    response = client.post(stack.webhook_url, content=raw, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed


def _ack_latencies(stack: Stack) -> dict[str, list[float]]:
    number_id = stack.env["WHATSAPP_PHONE_NUMBER_ID"]
    samples: dict[str, list[float]] = {
        "text message (answered in the background)": [],
        "status update (kept on disk, handed over in the background)": [],
    }
    with httpx.Client(timeout=10) as client:
        for n in range(ACKS):
            text = webhooks.message_webhook(
                _phone(n, "301"), webhooks.text_message("salam"), phone_number_id=number_id, display_phone_number="1"
            )
            status = webhooks.status_webhook(
                f"wamid.BENCH{secrets.token_hex(8)}",
                "delivered",
                _phone(n, "301"),
                phone_number_id=number_id,
                display_phone_number="1",
            )
            samples["text message (answered in the background)"].append(_signed_post(client, stack, text))
            samples["status update (kept on disk, handed over in the background)"].append(
                _signed_post(client, stack, status)
            )
            time.sleep(0.05)  # a steady trickle rather than a flood: this measures the ack, not saturation
    return samples


def _whatsapp_turn(client: httpx.Client, stack: Stack, n: int) -> float:
    answer = client.post(
        f"{stack.sim_url}/sim/customers/+{_phone(n, '302')}/send", json={"text": "salam", "expect": 1, "wait": 30}
    ).json()
    if answer["first_reply_ms"] is None:
        raise RuntimeError(f"no reply through the simulator: {answer}")
    return answer["first_reply_ms"]


def _rest_turn(client: httpx.Client, stack: Stack, n: int) -> float:
    started = time.perf_counter()
    response = client.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": f"+{_phone(n, '303')}", "message": "salam"}
    )
    elapsed = (time.perf_counter() - started) * 1000
    if not response.json():
        raise RuntimeError("no reply over REST")
    return elapsed


def _turns(stack: Stack) -> dict[str, list[float]]:
    """Interleaved, so both see the same machine load; the first WARM_UP of each are dropped."""
    samples: dict[str, list[float]] = {
        "WhatsApp: signed webhook -> Graph API send (simulator)": [],
        "bare Rasa REST: request -> response": [],
    }
    with httpx.Client(timeout=60) as client:
        for n in range(WARM_UP + TURNS):
            whatsapp, rest = _whatsapp_turn(client, stack, n), _rest_turn(client, stack, n)
            if n >= WARM_UP:
                samples["WhatsApp: signed webhook -> Graph API send (simulator)"].append(whatsapp)
                samples["bare Rasa REST: request -> response"].append(rest)
    return samples


def run() -> list[Table]:
    stack = start_stack(Path(tempfile.mkdtemp(prefix="bench-channel-")), trained_model())
    try:
        turns = _turns(stack)
        acks = _ack_latencies(stack)
    finally:
        stack.stop()
    ack_table = Table(f"Webhook ack latency, {ACKS} sequential signed POSTs each (ms)", ["update", "p50", "p95"])
    for name, samples in acks.items():
        ack_table.add(name, *percentiles(samples))
    turn_table = Table(
        f'Greeting turn ("salam" -> action_greet), {TURNS} fresh customers each, same model (ms)',
        ["path", "p50", "p95"],
    )
    for name, samples in turns.items():
        turn_table.add(name, *percentiles(samples))
    return [ack_table, turn_table]
