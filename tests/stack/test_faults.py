"""Fault tests: two workers on the real PostgreSQL, and a worker process killed mid-batch."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import func, select

from lifecycle.db.engine import Database
from lifecycle.db.models import Touchpoint
from lifecycle.domain import orders
from lifecycle.domain.clock import Clock
from lifecycle.engine.scheduler import Worker
from lifecycle.service import handler_registry
from tests.stack import APP_PYTHON, ROOT, free_port
from tests.unit.lifecycle.conftest import NOON_PKT, cod_order, postgres_db, settings  # noqa: F401 - fixtures
from whatsapp.graph_client import SendResult


def _place_many(db, settings, count: int, now) -> None:
    with db.session.begin() as session:
        for n in range(count):
            orders.place(session, cod_order(ref=f"SD-{n:05d}", phone=f"0300{5000000 + n:07d}"), now, settings)


class SlowSender:
    """A Graph API stand-in shared by threads: records every payload; each send takes a moment."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: list[str] = []

    async def send(self, payload: dict) -> SendResult:
        await asyncio.sleep(0.002)
        with self.lock:
            self.sent.append(payload["to"])
            return SendResult("sent", wamid=f"wamid.{secrets.token_hex(8)}", status_code=200)


def test_two_workers_on_postgresql_never_send_a_touchpoint_twice(postgres_db, settings):
    count = 400
    _place_many(postgres_db, settings, count, NOON_PKT)
    sender = SlowSender()
    settings = replace(settings, worker_batch=25)
    claimed: Counter = Counter()

    def work(name: str) -> None:
        db = Database(postgres_db.url)  # its own engine and connections, like another process
        worker = Worker(db, settings, sender, handler_registry(), clock=Clock(NOON_PKT), name=name)
        idle = 0
        while idle < 3:
            n = asyncio.run(worker.run_once())
            claimed[name] += n
            idle = idle + 1 if n == 0 else 0
        db.engine.dispose()

    threads = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(sender.sent) == count
    assert len(set(sender.sent)) == count  # every customer exactly once
    assert claimed["worker-0"] > 0 and claimed["worker-1"] > 0  # both really worked
    with postgres_db.session() as session:
        states = dict(
            session.execute(
                select(Touchpoint.state, func.count())
                .where(Touchpoint.kind == "cod_confirmation")
                .group_by(Touchpoint.state)
            ).all()
        )
    assert states == {"done": count}


@pytest.fixture
def simulator(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SIM_PORT": str(port),
        "WHATSAPP_APP_SECRET": secrets.token_hex(8),
        "WHATSAPP_ACCESS_TOKEN": secrets.token_hex(8),
        "WHATSAPP_PHONE_NUMBER_ID": "100200300400500",
        "SIM_WEBHOOK_URL": f"http://127.0.0.1:{free_port()}/nowhere",
        "SIM_STATUS_DELAY": "0",
    }
    proc = subprocess.Popen(
        [str(APP_PYTHON), "-m", "simulator"],
        cwd=ROOT,
        env=env,
        stdout=open(tmp_path / "sim.log", "wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield url, env
    proc.terminate()
    proc.wait(timeout=10)


def _sends(sim_url: str) -> int:
    return httpx.get(f"{sim_url}/health").json()["sends_accepted"]


def _accepted(sim_url: str) -> Counter:
    per_customer: Counter = Counter()
    for customer in httpx.get(f"{sim_url}/sim/customers").json()["customers"]:
        wa_id = customer["wa_id"]
        messages = httpx.get(f"{sim_url}/sim/customers/+{wa_id}/transcript").json()["messages"]
        per_customer[wa_id] = sum(1 for m in messages if m["direction"] == "out")
    return per_customer


def test_worker_killed_mid_batch_loses_nothing_and_repeats_at_most_the_batch(tmp_path, settings, simulator):
    sim_url, sim_env = simulator
    count, batch = 120, 20
    db = Database(f"sqlite:///{tmp_path / 'lifecycle.db'}").migrate()
    from datetime import datetime, timezone

    _place_many(db, settings, count, datetime.now(timezone.utc))
    # every send takes 300 ms, so a batch is in flight when the kill comes
    httpx.post(f"{sim_url}/sim/faults", json={"count": 10 * count, "http_status": 200, "delay": 0.3})
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SAUDA_DATA_DIR": str(tmp_path),
        "WHATSAPP_GRAPH_BASE_URL": sim_url,
        "WHATSAPP_ACCESS_TOKEN": sim_env["WHATSAPP_ACCESS_TOKEN"],
        "WHATSAPP_PHONE_NUMBER_ID": "100200300400500",
        "WHATSAPP_SEND_RATE": "1000",
        "SAUDA_WORKER_BATCH": str(batch),
        "SAUDA_WORKER_LEASE_S": "2",
        "SAUDA_WORKER_POLL_S": "0.1",
    }
    env.pop("DATABASE_URL", None)

    def start():
        return subprocess.Popen(
            [str(APP_PYTHON), "-m", "lifecycle", "worker"],
            cwd=ROOT,
            env=env,
            stdout=open(tmp_path / "worker.log", "ab"),
            stderr=subprocess.STDOUT,
        )

    worker = start()
    try:
        deadline = time.monotonic() + 60
        while _sends(sim_url) < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    at_kill = _sends(sim_url)
    assert 0 < at_kill < count, "the kill must land mid-run"
    worker = start()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with db.session() as session:
                done = session.scalar(
                    select(func.count()).where(Touchpoint.kind == "cod_confirmation", Touchpoint.state == "done")
                )
            if done == count:
                break
            time.sleep(0.3)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
    per_customer = _accepted(sim_url)
    assert len(per_customer) == count  # nothing lost
    duplicates = sum(n - 1 for n in per_customer.values())
    assert duplicates <= batch, f"{duplicates} duplicates for an in-flight batch of {batch}"
    db.engine.dispose()
