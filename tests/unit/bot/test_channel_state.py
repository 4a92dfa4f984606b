"""Dedupe, the inbox, numbered menus and the hook queue on both backends: a SQLite file and the real local Redis."""
from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3

import pytest
import redis

from bot.state import DEDUPE_TTL_SECONDS, Inbound, open_state

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["sqlite", "redis"])
def state_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/channel.db"
    return REDIS_URL


def run(coro):
    return asyncio.run(coro)


def message(sender: str = "+923001234567", wamid: str = "", flood: bool = False) -> Inbound:
    wamid = wamid or f"wamid.{secrets.token_hex(8)}"
    return Inbound(sender, wamid, json.dumps({"wamid": wamid}), flood, b'{"kind": "inbound"}')


def test_a_message_is_kept_once_even_when_redelivered_to_a_reopened_state(state_url):
    kept = message()

    async def deliveries():
        first = open_state(state_url, namespace=f"test-{secrets.token_hex(6)}")
        fresh = [len(await first.accept([kept], [])) for _ in range(3)]
        reopened = open_state(state_url, namespace=first._ns if hasattr(first, "_ns") else "sauda")
        fresh.append(len(await reopened.accept([kept], [])))  # what a restarted Rasa process sees
        return fresh, [q.wamid for q in await reopened.inbox()], await reopened.queued_hooks()

    fresh, inbox, hooks = run(deliveries())
    assert fresh == [1, 0, 0, 0] and inbox == [kept.wamid] and hooks == 1


def test_concurrent_deliveries_keep_one(state_url):
    kept, namespace = message(), f"test-{secrets.token_hex(6)}"

    async def race():
        states = [open_state(state_url, namespace=namespace) for _ in range(3)]  # three Rasa replicas
        return await asyncio.gather(*(s.accept([kept], []) for s in states))

    assert sorted(len(fresh) for fresh in run(race())) == [0, 0, 1]


def test_the_inbox_keeps_arrival_order_until_handled_and_parks_a_failure(state_url):
    a, b, other = message("+923001111111"), message("+923001111111"), message("+447911123456")

    async def scenario():
        state = open_state(state_url, namespace=f"test-{secrets.token_hex(6)}")
        await state.accept([a, other, b], [])
        first = await state.inbox("+923001111111")
        await state.failed(first[0].key, None)  # a failed try: still waiting, counted
        again = await state.inbox("+923001111111")
        await state.failed(again[0].key, "RuntimeError: tracker store down")  # parked
        await state.handled(again[1].key)
        left = [q.wamid for q in await state.inbox()]
        unparked = await state.unpark_inbox()  # a restart: the parked one is tried again
        return [q.wamid for q in first], again[0].attempts, left, unparked, await state.inbox()

    order, attempts, left, unparked, after_start = run(scenario())
    assert order == [a.wamid, b.wamid] and attempts == 1 and left == [other.wamid]
    assert unparked == 1 and [(q.wamid, q.attempts) for q in after_start] == [(a.wamid, 0), (other.wamid, 0)]


def test_sqlite_accept_is_all_or_nothing(tmp_path):
    """A message whose hook cannot be kept is not marked seen either: Meta's retry is taken."""
    state, kept = open_state(f"sqlite:///{tmp_path}/channel.db"), message()

    async def scenario():
        with pytest.raises(sqlite3.IntegrityError):
            await state.accept([kept], [None])  # NOT NULL fails on the hook
        return await state.inbox(), len(await state.accept([kept], []))

    assert run(scenario()) == ([], 1)


def test_menu_choice_by_number_and_cleared(state_url):
    recipient = f"+92300{secrets.randbelow(10**7):07d}"

    async def menu():
        state = open_state(state_url)
        await state.save_menu(recipient, [f"/p{i}" for i in range(1, 12)])
        picks = [await state.menu_choice(recipient, n) for n in (2, 11, 12, 0)]
        await state.clear_menu(recipient)
        return picks + [await state.menu_choice(recipient, 2)]

    assert run(menu()) == ["/p2", "/p11", None, None, None]


def test_redis_dedupe_keys_expire_after_meta_stops_retrying():
    kept, namespace = message(), f"test-{secrets.token_hex(6)}"
    run(open_state(REDIS_URL, namespace=namespace).accept([kept], []))
    ttl = redis.Redis.from_url(REDIS_URL).ttl(f"{namespace}:wamid:{kept.wamid}")
    assert DEDUPE_TTL_SECONDS - 60 < ttl <= DEDUPE_TTL_SECONDS


def test_unknown_state_url_is_refused():
    with pytest.raises(ValueError, match="WHATSAPP_STATE_URL"):
        open_state("postgres://x")


def hook_state(state_url):
    """A state whose Redis keys are this test's own (the stream is shared otherwise)."""
    return open_state(state_url, namespace=f"test-{secrets.token_hex(6)}")


def test_queued_hooks_survive_a_reopen_and_leave_only_when_done(state_url, tmp_path):
    async def scenario():
        namespace = f"test-{secrets.token_hex(6)}"
        first = open_state(state_url, namespace=namespace)
        await first.queue_hooks([b'{"n": 1}', b'{"n": 2}', b'{"n": 3}'])
        claimed = await first.claim_hooks(2)
        await first.hooks_done([claimed[0][0]])  # the second was claimed but never delivered
        reopened = open_state(state_url, namespace=namespace)  # a restarted Rasa process
        if hasattr(reopened, "_consumer"):
            reopened._consumer = first._consumer  # same replica coming back
        left = await reopened.claim_hooks(10)
        return [body for _, body in claimed], [body for _, body in left], await reopened.queued_hooks()

    claimed, left, count = run(scenario())
    assert claimed == [b'{"n": 1}', b'{"n": 2}']
    assert left == [b'{"n": 2}', b'{"n": 3}']
    assert count == 2


def test_sqlite_hook_queue_is_all_or_nothing(tmp_path):
    state = open_state(f"sqlite:///{tmp_path}/channel.db")

    async def scenario():
        with pytest.raises(sqlite3.IntegrityError):
            await state.queue_hooks([b"ok", None])  # NOT NULL fails on the second row
        return await state.queued_hooks()

    assert run(scenario()) == 0


def test_redis_hooks_of_a_dead_replica_are_taken_over(monkeypatch):
    import bot.state

    monkeypatch.setattr(bot.state, "HOOK_CLAIM_IDLE_MS", 500)
    namespace = f"test-{secrets.token_hex(6)}"

    async def scenario():
        dead, alive = open_state(REDIS_URL, namespace=namespace), open_state(REDIS_URL, namespace=namespace)
        dead._consumer, alive._consumer = "replica-a", "replica-b"
        await dead.queue_hooks([b"a", b"b"])
        held = await dead.claim_hooks(10)  # replica-a dies holding both
        nothing_yet = await alive.claim_hooks(10)
        taken, deadline = [], asyncio.get_running_loop().time() + 5
        while not taken and asyncio.get_running_loop().time() < deadline:  # idle for 500 ms, on a busy machine
            await asyncio.sleep(0.1)
            taken = await alive.claim_hooks(10)
        await alive.hooks_done([key for key, _ in taken])
        return [b for _, b in held], nothing_yet, [b for _, b in taken], await alive.queued_hooks()

    held, nothing_yet, taken, left = run(scenario())
    assert held == [b"a", b"b"] and nothing_yet == [] and taken == [b"a", b"b"] and left == 0
