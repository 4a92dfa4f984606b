"""The app server's event loop also answers Rasa's action calls, so no route holds it for database
work: while a request waits on a slow database, another request is answered at once. The
database is the real one (SQLite) with every statement slowed down while the slow request runs."""
from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

import httpx
import pytest
from sanic import response
from sqlalchemy import event

from appserver.auth import Auth, auth_blueprint
from appserver.channel_events import channel_events_blueprint
from appserver.codes_api import codes_blueprint
from appserver.console import console_blueprint
from appserver.lifecycle_api import lifecycle_blueprint
from lifecycle.config.settings import LifecycleSettings
from lifecycle.domain.clock import Clock
from lifecycle.integrations import signing
from lifecycle.service import Lifecycle
from tests.fakes.serving import new_app, serve
from tests.unit.appserver.test_injection import PASSWORD, seed
from tests.unit.lifecycle.conftest import NOON_PKT, sqlite_db  # noqa: F401 - fixture
from whatsapp.signing import HOOK_SIGNATURE_HEADER
from whatsapp.signing import sign as sign_hook

STATEMENT_DELAY = 1.0  # seconds each statement of the slow request takes
EVENTS_SECRET, INTERNAL_SECRET = "events-secret", "internal-secret"


def _signed(body: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    return raw, signing.headers(EVENTS_SECRET, int(time.time()), raw)


def _requests() -> dict[str, tuple[str, str, bytes, dict[str, str]]]:
    code, code_headers = _signed({"code": "SAUDA10"})
    cart, cart_headers = _signed({"id": "evt-1", "type": "cart.abandoned", "data": {"cart_id": "C-1"}})
    status = json.dumps({"kind": "status", "data": {"wamid": "wamid.x", "status": "delivered"}}).encode()
    return {
        "codes API": ("POST", "/lifecycle/codes/validate", code, code_headers),
        "event API": ("POST", "/lifecycle/events", cart, cart_headers),
        "channel events": ("POST", "/internal/channel-events", status,
                           {HOOK_SIGNATURE_HEADER: sign_hook(status, INTERNAL_SECRET)}),
        "console queue": ("GET", "/console/escalations", b"", {}),
        "console escalation": ("GET", "/console/escalations/1", b"", {}),
        "console payments": ("GET", "/console/payments", b"", {}),
    }


@pytest.mark.parametrize("route", list(_requests()))
def test_a_slow_database_phase_does_not_hold_other_requests(route, sqlite_db, tmp_path):
    clock = Clock(NOON_PKT)
    seed(sqlite_db, clock.now())
    lifecycle = Lifecycle(sqlite_db, LifecycleSettings(data_dir=tmp_path, events_secret=EVENTS_SECRET), clock=clock)
    auth = Auth(sqlite_db, "session-secret", secure_cookie=False)
    app = new_app("off_the_loop")
    app.blueprint(auth_blueprint(auth))
    app.blueprint(console_blueprint(lifecycle, auth))
    app.blueprint(codes_blueprint(lifecycle))
    app.blueprint(lifecycle_blueprint(lifecycle))
    app.blueprint(channel_events_blueprint(INTERNAL_SECRET, lifecycle.take_channel_event))

    @app.get("/ping")
    async def ping(_request):
        return response.text("pong")

    slow, waiting = threading.Event(), threading.Event()
    entered: list[float] = []

    @event.listens_for(sqlite_db.engine, "before_cursor_execute")
    def _slow_statement(*_args) -> None:
        if slow.is_set():
            if not waiting.is_set():
                entered.append(time.perf_counter())
                waiting.set()
            time.sleep(STATEMENT_DELAY)

    method, path, body, headers = _requests()[route]

    async def meanwhile() -> tuple[bool, float, float, int]:
        async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=60) as client:
            login = await client.post("/login", data={"username": "owner", "password": PASSWORD})
            assert login.status_code in (302, 303)
            slow.set()
            started = time.perf_counter()
            slow_request = asyncio.create_task(client.request(method, path, content=body, headers=headers))
            while not waiting.is_set():  # until the slow request is inside the database
                await asyncio.sleep(0.005)
            # (the client shares the server's loop: a blocked loop delays the asking as well)
            assert (await client.get("/ping")).text == "pong"
            answered, overtaken = time.perf_counter() - entered[0], not slow_request.done()
            status = (await slow_request).status_code
            return overtaken, answered, time.perf_counter() - started, status

    try:
        overtaken, ping_took, slow_took, status = asyncio.run(meanwhile())
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", _slow_statement)
    assert status < 500
    assert slow_took >= STATEMENT_DELAY  # the route did wait on the database
    # answered while the slow request still waited (a blocked loop answers it only after that one)
    assert overtaken, f"/ping waited {ping_took:.2f} s behind {route}"
