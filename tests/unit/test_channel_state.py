"""Dedupe and numbered menus on both backends: a SQLite file and the real local Redis."""
from __future__ import annotations

import asyncio
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
