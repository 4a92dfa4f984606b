"""The console's erase button: a merchant erases a customer (the same erasure as
``python -m lifecycle customer erase``); an agent may not."""
from __future__ import annotations

import asyncio
import re

import httpx

from appserver.auth import Auth, auth_blueprint
from appserver.console import console_blueprint
from lifecycle.config.settings import LifecycleSettings
from lifecycle.domain import accounts, customers
from lifecycle.domain.clock import Clock
from lifecycle.service import Lifecycle
from tests.fakes.serving import new_app, serve
from tests.unit.appserver.test_injection import PASSWORD, seed
from tests.unit.lifecycle.conftest import NOON_PKT, sqlite_db  # noqa: F401 - fixture


def test_a_merchant_erases_a_customer_from_the_console_and_an_agent_cannot(sqlite_db, tmp_path):
    clock = Clock(NOON_PKT)
    seed(sqlite_db, clock.now())
    with sqlite_db.session.begin() as session:
        accounts.add_user(session, "sana", "agent", PASSWORD, clock.now())
    lifecycle = Lifecycle(sqlite_db, LifecycleSettings(data_dir=tmp_path, rasa_url=""), clock=clock)
    auth = Auth(sqlite_db, "session-secret", secure_cookie=False)
    app = new_app("console_erase")
    app.blueprint(auth_blueprint(auth))
    app.blueprint(console_blueprint(lifecycle, auth))

    async def erase_as(url: str, user: str) -> httpx.Response:
        async with httpx.AsyncClient(base_url=url, timeout=30, headers={"Accept": "text/html"}) as c:
            await c.post("/login", data={"username": user, "password": PASSWORD})
            detail = (await c.get("/console/escalations/1")).text
            csrf = re.search(r'name="csrf" value="([^"]+)"', detail).group(1)
            return await c.post("/console/customers/erase", data={"csrf": csrf, "phone": "03001234567"})

    async def both() -> tuple[httpx.Response, httpx.Response]:
        async with serve(app) as url:
            return await erase_as(url, "sana"), await erase_as(url, "owner")

    agent, owner = asyncio.run(both())
    assert agent.status_code == 403
    assert owner.status_code == 303 and "erased" in owner.headers["location"]
    with sqlite_db.session() as session:
        assert customers.find(session, "03001234567") is None
