"""The Graph client against the real simulator process, with its fault injection."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time

import httpx
import pytest

from tests.stack import APP_PYTHON, ROOT, free_port
from whatsapp.graph_client import GraphClient
from whatsapp.payloads import reply_buttons_payload, text_payload
from whatsapp.retry import RetryPolicy

TOKEN = "test-token"
PHONE_NUMBER_ID = "111222333"
TO = "923001234567"


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SIM_PORT": str(port),
        "WHATSAPP_APP_SECRET": "s",
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "SIM_WEBHOOK_URL": f"http://127.0.0.1:{free_port()}/nobody-listens",
        "SIM_STATUS_DELAY": "0.01",
    }
    log = open(tmp_path_factory.mktemp("sim") / "simulator.log", "wb")
    proc = subprocess.Popen([str(APP_PYTHON), "-m", "simulator"], cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(f"{url}/health", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def client(sim):
    httpx.delete(f"{sim}/sim/faults")
    return GraphClient(
        base_url=sim,
        version="v21.0",
        phone_number_id=PHONE_NUMBER_ID,
        access_token=TOKEN,
        retry=RetryPolicy(base=0.01, cap=0.05, attempts=5, jitter=True),
    )


def fault(sim: str, **spec) -> None:
    httpx.post(f"{sim}/sim/faults", json=spec).raise_for_status()


def sends_to(sim: str, wa_id: str) -> list[dict]:
    return [
        m for m in httpx.get(f"{sim}/sim/customers/{wa_id}/transcript").json()["messages"] if m["direction"] == "out"
    ]


def send(client: GraphClient, payload: dict):
    async def run():
        try:
            return await client.send(payload)
        finally:
            await client.close()

    return asyncio.run(run())


def test_send_returns_the_wamid_the_api_recorded(sim, client):
    result = send(client, text_payload("923001110001", "salam"))
    assert result.ok and result.attempts == 1
    assert [m["wamid"] for m in sends_to(sim, "923001110001")] == [result.wamid]


def test_429_twice_then_200_is_delivered_once(sim, client):
    fault(sim, http_status=429, code=130429, count=2)
    result = send(client, text_payload("923001110002", "salam"))
    assert (result.outcome, result.attempts) == ("sent", 3)
    assert len(sends_to(sim, "923001110002")) == 1


def test_5xx_is_retried(sim, client):
    fault(sim, http_status=503, count=1)
    assert send(client, text_payload("923001110003", "salam")).attempts == 2


def test_retries_are_bounded(sim, client):
    fault(sim, http_status=500, count=10)
    result = send(client, text_payload("923001110004", "salam"))
    assert (result.outcome, result.status_code, result.attempts) == ("error", 500, client.retry.attempts)
    assert sends_to(sim, "923001110004") == []


@pytest.mark.parametrize(
    "code, outcome",
    [
        (131047, "outside_window"),
        (131026, "undeliverable"),
        (131050, "marketing_opted_out"),
        (131049, "marketing_limited"),
        (130429, "rate_limited"),
        (131056, "too_many_to_user"),
    ],
)
def test_meta_error_codes_are_distinct_outcomes_and_not_retried(sim, client, code, outcome):
    fault(sim, http_status=400, code=code, count=2)
    result = send(client, text_payload("923001110005", "salam"))
    assert (result.outcome, result.error_code, result.attempts) == (outcome, code, 1)


def test_a_send_the_api_rejects_is_not_retried(sim, client):
    payload = reply_buttons_payload(
        "923001110006", "Kaunsa?", [{"title": f"B{i}", "payload": f"/b{i}"} for i in range(4)]
    )
    result = send(client, payload)
    assert (result.outcome, result.status_code, result.error_code, result.attempts) == ("error", 400, 100, 1)
    assert "interactive buttons: 1 to 3 required, got 4" in result.error_message


def test_network_errors_are_retried_then_reported(client):
    client.base_url = f"http://127.0.0.1:{free_port()}"
    result = send(client, text_payload(TO, "salam"))
    assert (result.outcome, result.attempts) == ("error", client.retry.attempts)
    assert result.error_message.startswith("network:")


def test_slow_api_is_waited_for(sim, client):
    fault(sim, http_status=200, delay=0.4)
    started = time.perf_counter()
    assert send(client, text_payload("923001110007", "salam")).ok
    assert time.perf_counter() - started >= 0.4


def test_sends_are_paced_per_phone_number(sim, client):
    client.rate_per_second = 20

    async def burst():
        try:
            return await asyncio.gather(*(client.send(text_payload("923001110008", f"m{i}")) for i in range(30)))
        finally:
            await client.close()

    started = time.perf_counter()
    results = asyncio.run(burst())
    elapsed = time.perf_counter() - started
    assert all(r.ok for r in results)
    assert elapsed >= 0.45  # 20 at once, then 10 more at 20 per second
