"""The settings page puts what the merchant saves to work in the running app server: a wallet
number saved on the page is in the very next payment instruction, without a restart."""
from __future__ import annotations

import asyncio
import json
from html.parser import HTMLParser

import httpx

from appserver.auth import Auth, auth_blueprint
from appserver.settings_page import settings_blueprint
from knowledge.profile import DEMO_PROFILE, load_profile, profile_path
from lifecycle.config.settings import LifecycleSettings
from lifecycle.domain import accounts, orders
from lifecycle.domain.clock import Clock
from lifecycle.engine.scheduler import Worker
from lifecycle.service import Lifecycle, handler_registry
from tests.fakes.serving import new_app, serve
from tests.unit.lifecycle.conftest import NOON_PKT, RecordingSender, cod_order, sqlite_db  # noqa: F401 - fixture

PASSWORD = "merchant-password"
NEW_NUMBER = "03219876543"


class FormFields(HTMLParser):
    """The fields a browser would submit with the form posting to ``action``."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif tag == "input" and self.inside and attrs.get("name"):
            self.fields.append((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False

    def form(self, **changes: str) -> dict[str, list[str]]:
        """The fields as a browser posts them, with ``changes`` typed in."""
        form: dict[str, list[str]] = {}
        for name, value in self.fields:
            form.setdefault(name, []).append(changes.get(name, value))
        return form


def settings_app(db, data_dir, on_save=None):
    with db.session.begin() as session:
        accounts.add_user(session, "owner", "owner", PASSWORD, NOON_PKT)
        accounts.add_user(session, "manager", "merchant", PASSWORD, NOON_PKT)
    auth = Auth(db, "session-secret", secure_cookie=False)
    app = new_app("settings_page")
    app.blueprint(auth_blueprint(auth))
    app.blueprint(settings_blueprint(auth, data_dir, on_save=on_save))
    return app


def test_a_wallet_number_saved_on_the_page_is_in_the_next_payment_instruction(tmp_path, sqlite_db):
    clock, sender = Clock(NOON_PKT), RecordingSender()
    settings = LifecycleSettings(data_dir=tmp_path, phone_number_id="1").with_profile(load_profile(DEMO_PROFILE))
    assert settings.accounts["jazzcash"].number != NEW_NUMBER
    lifecycle = Lifecycle(sqlite_db, settings, clock=clock)
    lifecycle.worker = Worker(sqlite_db, lifecycle.settings, sender, handler_registry(), clock=clock, name="test")
    app = settings_app(sqlite_db, tmp_path, lifecycle.use_saved)

    async def save_wallet_on_the_page() -> None:
        async with serve(app) as url, httpx.AsyncClient(base_url=url, headers={"Accept": "text/html"}) as client:
            login = await client.post("/login", data={"username": "owner", "password": PASSWORD, "next": "/"})
            assert login.status_code in (302, 303)
            page = FormFields("/settings/profile")
            page.feed((await client.get("/settings/")).text)
            form = page.form(jazzcash_number=NEW_NUMBER, confirm_password=PASSWORD)
            saved = await client.post("/settings/profile", data=form)
            assert saved.status_code == 303, saved.text

    asyncio.run(save_wallet_on_the_page())
    with sqlite_db.session.begin() as session:
        orders.place(session, cod_order(payment_method="jazzcash"), clock.now(), lifecycle.settings)
    asyncio.run(lifecycle.worker.run_once())
    [instruction] = sender.sent  # a template here: the customer has not written yet
    assert instruction["template"]["name"] == "sauda_payment_instructions"
    assert NEW_NUMBER in json.dumps(instruction), instruction


def test_only_the_owner_with_their_password_changes_a_wallet_account(tmp_path, sqlite_db):
    app = settings_app(sqlite_db, tmp_path)
    before = load_profile(DEMO_PROFILE).jazzcash.number

    async def try_change(url: str, user: str, password: str) -> tuple[int, str]:
        async with httpx.AsyncClient(base_url=url, headers={"Accept": "text/html"}) as client:
            await client.post("/login", data={"username": user, "password": PASSWORD})
            page = FormFields("/settings/profile")
            page.feed((await client.get("/settings/")).text)
            answer = await client.post("/settings/profile",
                                       data=page.form(jazzcash_number=NEW_NUMBER, confirm_password=password))
            return answer.status_code, answer.text

    async def attempts() -> list[tuple[int, str]]:
        async with serve(app) as url:
            return [await try_change(url, "manager", PASSWORD), await try_change(url, "owner", "not-my-password")]

    (merchant_status, merchant_text), (owner_status, owner_text) = asyncio.run(attempts())
    assert merchant_status == 403 and "Only the store&#39;s owner" in merchant_text
    assert owner_status == 403 and "Enter your password" in owner_text
    assert not (tmp_path / "profile.yml").exists()  # nothing saved either time
    assert load_profile(profile_path(tmp_path)).jazzcash.number == before


def test_a_merchant_still_saves_the_rest_of_the_profile(tmp_path, sqlite_db):
    app = settings_app(sqlite_db, tmp_path)

    async def save_delivery() -> int:
        async with serve(app) as url, httpx.AsyncClient(base_url=url, headers={"Accept": "text/html"}) as client:
            await client.post("/login", data={"username": "manager", "password": PASSWORD})
            page = FormFields("/settings/profile")
            page.feed((await client.get("/settings/")).text)
            return (await client.post("/settings/profile", data=page.form(default_charge="333"))).status_code

    assert asyncio.run(save_delivery()) == 303
    assert load_profile(profile_path(tmp_path)).delivery.default.charge == 333


def test_the_cod_risk_thresholds_are_saved_from_the_page(tmp_path, sqlite_db):
    from lifecycle.config import touchpoint_settings

    app = settings_app(sqlite_db, tmp_path)

    async def save_risk() -> int:
        async with serve(app) as url, httpx.AsyncClient(base_url=url, headers={"Accept": "text/html"}) as client:
            await client.post("/login", data={"username": "manager", "password": PASSWORD})
            page = FormFields("/settings/touchpoints")
            page.feed((await client.get("/settings/")).text)
            typed = page.form(risk_new_customer_cod_limit="6000", risk_advance_after_returns="2")
            return (await client.post("/settings/touchpoints", data=typed)).status_code

    assert asyncio.run(save_risk()) == 303
    saved = touchpoint_settings.load(tmp_path)
    assert (saved.risk_new_customer_cod_limit, saved.risk_advance_after_returns, saved.risk_advance_percent) == (
        6000, 2, 50)
