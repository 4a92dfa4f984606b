"""The console shows what a person needs for a risky order: the customer's delivery history
and the risk decision with its reasons (here a COD order held for a call: no wallet to take an
advance on)."""
from __future__ import annotations

import asyncio
import re
from dataclasses import replace

import httpx

from appserver.auth import Auth, auth_blueprint
from appserver.console import console_blueprint
from lifecycle.config.settings import LifecycleSettings
from lifecycle.domain import accounts, orders
from lifecycle.domain.clock import Clock
from lifecycle.service import Lifecycle
from tests.fakes.serving import new_app, serve
from tests.unit.lifecycle.conftest import NOON_PKT, cod_order, sqlite_db  # noqa: F401 - fixture
from tests.unit.lifecycle.test_risk import _finish

PASSWORD = "a long agent password"


def test_a_held_order_shows_the_history_and_the_reasons(sqlite_db, tmp_path):
    clock = Clock(NOON_PKT)
    settings = replace(LifecycleSettings(data_dir=tmp_path, rasa_url=""), accounts={})
    with sqlite_db.session.begin() as session:
        for n, outcome in enumerate(["returned", "delivered", "returned", "returned"]):
            _finish(session, orders.place(session, cod_order(ref=f"SD-P{n}"), clock.now(), settings), clock, outcome)
        orders.place(session, cod_order(ref="SD-H1"), clock.now(), settings)  # held: an escalation to call
        accounts.add_user(session, "sana", "agent", PASSWORD, clock.now())
    auth = Auth(sqlite_db, "session-secret", secure_cookie=False)
    app = new_app("console_delivery")
    app.blueprint(auth_blueprint(auth))
    app.blueprint(console_blueprint(Lifecycle(sqlite_db, settings, clock=clock), auth))

    async def detail() -> str:
        async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=30,
                                                        headers={"Accept": "text/html"}) as c:
            await c.post("/login", data={"username": "sana", "password": PASSWORD})
            return (await c.get("/console/escalations/1")).text

    page = " ".join(re.sub(r"<[^>]+>", " ", asyncio.run(detail())).split())
    assert ("Deliveries: 1 delivered · 3 returned · 0 cancelled · 0 no answer (last: returned)") in page
    assert ("Risk check: hold · 3 returned or refused orders on this phone (advance from 3) · "
            "no JazzCash / Easypaisa account to take an advance on") in page
