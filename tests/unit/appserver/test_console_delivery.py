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
from lifecycle.config.settings import LifecycleSettings, PaymentAccount
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


def test_the_merchant_lets_a_risky_order_through_and_an_agent_cannot(sqlite_db, tmp_path):
    from lifecycle.domain import risk

    clock = Clock(NOON_PKT)
    settings = LifecycleSettings(data_dir=tmp_path, rasa_url="")  # wallets configured: an advance is asked
    settings = replace(settings, accounts={"jazzcash": PaymentAccount("03001112222", "Sauda")})
    with sqlite_db.session.begin() as session:
        for n in range(3):
            _finish(session, orders.place(session, cod_order(ref=f"SD-P{n}"), clock.now(), settings), clock, "returned")
        assert orders.place(session, cod_order(ref="SD-A1"), clock.now(), settings).status == "payment_pending"
        accounts.add_user(session, "sana", "agent", PASSWORD, clock.now())
        accounts.add_user(session, "owner", "owner", PASSWORD, clock.now())
    auth = Auth(sqlite_db, "session-secret", secure_cookie=False)
    app = new_app("console_override")
    app.blueprint(auth_blueprint(auth))
    app.blueprint(console_blueprint(Lifecycle(sqlite_db, settings, clock=clock), auth))

    async def override_as(url: str, user: str) -> httpx.Response:
        async with httpx.AsyncClient(base_url=url, timeout=30, headers={"Accept": "application/json"}) as c:
            await c.post("/login", data={"username": user, "password": PASSWORD})
            csrf = (await c.get("/console/payments")).json()["csrf"]
            return await c.post("/console/orders/SD-A1/risk-override", headers={"X-CSRF-Token": csrf})

    async def all_three() -> list[httpx.Response]:
        async with serve(app) as url:
            return [await override_as(url, "sana"), await override_as(url, "owner"), await override_as(url, "owner")]

    agent, owner, again = asyncio.run(all_three())
    assert agent.status_code == 403
    assert owner.json() == {"order_id": "SD-A1", "order_status": "confirmed", "band": "advance",
                            "overridden_by": "owner"}
    assert again.status_code == 409
    with sqlite_db.session() as session:
        order = orders.find(session, "SD-A1")
        assert [p.status for p in order.payments] == ["waived"]
        assert orders.amount_due(order) == order.amount  # all of it on delivery now
        assert risk.decision_for(session, order.id).overridden_at == clock.now()
