"""Dedupe and numbered menus on both backends: a SQLite file and the real local Redis."""
from __future__ import annotations

import asyncio
import sqlite3
import secrets

import pytest
import redis

from bot.state import DEDUPE_TTL_SECONDS, open_state

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["sqlite", "redis"])
def state_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/channel.db"
    return REDIS_URL


def run(coro):
    return asyncio.run(coro)


def test_first_sighting_once_even_when_reopened(state_url):
    wamid = f"wamid.{secrets.token_hex(8)}"

    async def sightings():
        first = open_state(state_url)
        seen = [await first.first_sighting(wamid) for _ in range(3)]
        reopened = open_state(state_url)  # what a restarted Rasa process sees
        return seen + [await reopened.first_sighting(wamid)]

    assert run(sightings()) == [True, False, False, False]


def test_concurrent_deliveries_yield_one_first_sighting(state_url):
    wamid = f"wamid.{secrets.token_hex(8)}"

    async def race():
        states = [open_state(state_url) for _ in range(3)]  # three Rasa replicas
        return await asyncio.gather(*(s.first_sighting(wamid) for s in states))

    assert sorted(run(race())) == [False, False, True]


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
    wamid = f"wamid.{secrets.token_hex(8)}"
    run(open_state(REDIS_URL).first_sighting(wamid))
    ttl = redis.Redis.from_url(REDIS_URL).ttl(f"sauda:wamid:{wamid}")
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

    monkeypatch.setattr(bot.state, "HOOK_CLAIM_IDLE_MS", 50)
    namespace = f"test-{secrets.token_hex(6)}"

    async def scenario():
        dead, alive = open_state(REDIS_URL, namespace=namespace), open_state(REDIS_URL, namespace=namespace)
        dead._consumer, alive._consumer = "replica-a", "replica-b"
        await dead.queue_hooks([b"a", b"b"])
        held = await dead.claim_hooks(10)  # replica-a dies holding both
        nothing_yet = await alive.claim_hooks(10)
        await asyncio.sleep(0.1)
        taken = await alive.claim_hooks(10)
        await alive.hooks_done([key for key, _ in taken])
        return [b for _, b in held], nothing_yet, [b for _, b in taken], await alive.queued_hooks()

    held, nothing_yet, taken, left = run(scenario())
    assert held == [b"a", b"b"] and nothing_yet == [] and taken == [b"a", b"b"] and left == 0
