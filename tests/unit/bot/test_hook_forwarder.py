"""The hook forwarder against a real HTTP server that is down for a while: every queued
event arrives, in order, and leaves the queue only once the server took it."""

from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.hooks import HookForwarder, LifecycleHooks, hook_body
from bot.state import open_state
from whatsapp.retry import RetryPolicy
from whatsapp.signing import HOOK_SIGNATURE_HEADER, signature_is_valid

SECRET = "forwarder-test-secret"


class LifecycleStandIn(BaseHTTPRequestHandler):
    """Answers 503 to the first ``failures`` posts, then 200 (or ``reject`` for some kinds)."""

    failures = 0
    received: list[dict] = []
    unsigned = 0

    def do_POST(self):
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        if not signature_is_valid(raw, self.headers.get(HOOK_SIGNATURE_HEADER), SECRET):
            type(self).unsigned += 1
        if type(self).failures > 0 or b'"poison"' in raw:
            type(self).failures = max(0, type(self).failures - 1)
            self.send_response(503)
        else:
            body = json.loads(raw)
            type(self).received.append(body)
            self.send_response(422 if body["kind"] == "unreadable" else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def lifecycle():
    LifecycleStandIn.failures, LifecycleStandIn.received, LifecycleStandIn.unsigned = 0, [], 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), LifecycleStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/internal/channel-events"
    server.shutdown()


async def drain(forwarder: HookForwarder, state, timeout: float = 15.0) -> None:
    forwarder.start()
    deadline = asyncio.get_running_loop().time() + timeout
    while await state.queued_hooks():
        assert asyncio.get_running_loop().time() < deadline, "queue not drained"
        await asyncio.sleep(0.05)


def test_outage_then_recovery_delivers_everything_in_order(lifecycle, tmp_path):
    LifecycleStandIn.failures = 3
    state = open_state(f"sqlite:///{tmp_path}/channel.db")

    async def scenario():
        await state.queue_hooks([hook_body("status", {"n": n}) for n in range(5)])
        await drain(HookForwarder(LifecycleHooks(lifecycle, SECRET), state), state)

    asyncio.run(scenario())
    assert [e["data"]["n"] for e in LifecycleStandIn.received] == [0, 1, 2, 3, 4]
    assert LifecycleStandIn.unsigned == 0


def test_a_4xx_is_parked_with_its_reason_and_does_not_block_the_rest(lifecycle, tmp_path):
    state = open_state(f"sqlite:///{tmp_path}/channel.db")

    async def scenario():
        await state.queue_hooks([hook_body("unreadable", {}), hook_body("status", {"n": 1})])
        await drain(HookForwarder(LifecycleHooks(lifecycle, SECRET), state), state)
        return await state.parked_hooks()

    parked = asyncio.run(scenario())
    assert [e["kind"] for e in LifecycleStandIn.received] == ["unreadable", "status"]
    assert [(json.loads(body)["kind"], reason[:3]) for body, reason in parked] == [("unreadable", "422")]


def test_nothing_is_lost_when_the_process_stops_during_an_outage(lifecycle, tmp_path):
    """A first forwarder gives up mid-outage (the process stops); a second one, on the
    same queue file, delivers everything once the lifecycle is back."""
    LifecycleStandIn.failures = 10**6
    url = f"sqlite:///{tmp_path}/channel.db"

    async def first_process():
        state = open_state(url)
        await state.queue_hooks([hook_body("status", {"n": n}) for n in range(3)])
        forwarder = HookForwarder(LifecycleHooks(lifecycle, SECRET), state)
        forwarder.start()
        await asyncio.sleep(0.5)
        return await state.queued_hooks()

    async def second_process():
        state = open_state(url)
        await drain(HookForwarder(LifecycleHooks(lifecycle, SECRET), state), state)

    assert asyncio.run(first_process()) == 3
    LifecycleStandIn.failures = 0
    asyncio.run(second_process())
    assert [e["data"]["n"] for e in LifecycleStandIn.received] == [0, 1, 2]


def test_a_body_that_keeps_failing_is_parked_then_queued_again_by_the_next_process(lifecycle, tmp_path, monkeypatch):
    monkeypatch.setattr(HookForwarder, "RETRY", RetryPolicy(base=0.01, cap=0.05))
    url = f"sqlite:///{tmp_path}/channel.db"

    async def first_process():
        state = open_state(url)
        await state.queue_hooks([hook_body("poison", {}), hook_body("status", {"n": 1})])
        await drain(HookForwarder(LifecycleHooks(lifecycle, SECRET), state), state)
        return await state.parked_hooks()

    async def next_process():
        state = open_state(url)
        forwarder = HookForwarder(LifecycleHooks(lifecycle, SECRET), state)
        forwarder.start()
        await asyncio.sleep(0.3)
        return await state.queued_hooks() + len(await state.parked_hooks())

    parked = asyncio.run(first_process())
    assert [e["data"] for e in LifecycleStandIn.received] == [{"n": 1}]  # not held up by the poison
    assert [json.loads(body)["kind"] for body, _ in parked] == ["poison"] and "5xx" in parked[0][1]
    assert asyncio.run(next_process()) == 1  # queued again (and parked again): kept, never dropped
