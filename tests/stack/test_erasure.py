"""Erasing a customer against the running stack: after they chatted, ordered and were sent
messages, ``python -m lifecycle customer erase`` leaves their number in no table of the
lifecycle database, the Rasa tracker store or the channel state, and the dashboard's counts
stay; the same for the channel state in Redis."""
from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from lifecycle.domain.erasure import phone_forms
from lifecycle.integrations.stores import Stores
from tests.stack import APP_PYTHON, ROOT
from tests.stack.test_lifecycle_end_to_end import event, outbound, wait_out

PHONE = "03217654321"


def mentions(db_file: Path, forms: list[str]) -> list[str]:
    """``table.column`` of every cell in this SQLite file that holds one of ``forms``."""
    found = []
    with sqlite3.connect(db_file) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for column in [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]:
                for form in forms:
                    if db.execute(f'SELECT 1 FROM "{table}" WHERE instr(CAST("{column}" AS TEXT), ?) > 0 LIMIT 1',
                                  (form,)).fetchone():
                        found.append(f"{db_file.name}:{table}.{column} has {form}")
    return found


def count_orders(db_file: Path) -> tuple:
    with sqlite3.connect(db_file) as db:
        return db.execute("SELECT count(*), sum(amount), group_concat(status) FROM orders").fetchone()


def test_after_erase_no_store_holds_the_number(stack):
    forms = phone_forms(PHONE)
    stack.say(PHONE, "Assalam o alaikum")
    stack.say(PHONE, "mera order kahan hai?")
    chatted = len(outbound(stack, PHONE))
    event(stack, "order.placed", order_id="SD-ERASE-1", phone=PHONE, name="Nadia Erase", payment_method="cod",
          amount="2500", items=[{"name": "Lawn 3-piece", "quantity": 1, "price": "2500"}], city="Lahore",
          address="House 7, Street 9, Model Town")
    wait_out(stack, PHONE, chatted + 1)  # the COD confirmation question reached the customer
    stores = [stack.data_dir / "lifecycle.db", stack.data_dir / "trackers.db", stack.data_dir / "channel.db"]
    before = mentions(stores[0], forms) + mentions(stores[1], forms)
    assert any("customers.phone" in m for m in before) and any("trackers.db" in m for m in before), before
    orders_before = count_orders(stores[0])

    erase = subprocess.run([str(APP_PYTHON), "-m", "lifecycle", "customer", "erase", "+92 321 7654321"],
                           cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=120)
    assert erase.returncode == 0, erase.stderr
    assert [m for s in stores for m in mentions(s, forms + ["Nadia Erase", "Model Town"])] == []
    assert count_orders(stores[0]) == orders_before


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--save", "", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


def test_erase_reaches_the_channel_state_in_redis(redis_url):
    import asyncio
    import json

    import redis

    from bot.state import Inbound, RedisChannelState

    wa_id, other = "923217654321", "923001112222"

    async def fill() -> None:
        state = RedisChannelState(redis_url)
        await state.save_menu(wa_id, ["/order_status", "/human"])
        await state.save_menu(other, ["/order_status"])
        await state.accept([Inbound(wa_id, "wamid.ABC", '{"text": "hi"}'), Inbound(other, "wamid.DEF", "{}")],
                           [json.dumps({"kind": "inbound", "wa_id": wa_id}).encode(),
                            json.dumps({"kind": "inbound", "wa_id": other}).encode()])

    asyncio.run(fill())
    gone = Stores(channel_state_url=redis_url).erase(phone_forms(PHONE))
    assert gone["channel state entries"] >= 3  # menu, inbox entry, hook
    client = redis.Redis.from_url(redis_url)
    left = {key: client.type(key) for key in client.scan_iter()}
    dump = b" ".join(key + b" " + b" ".join(v for _, f in client.xrange(key) for v in f.values())
                     if kind == b"stream" else key for key, kind in left.items())
    assert wa_id.encode() not in dump and other.encode() in dump and b"wamid.DEF" in dump
