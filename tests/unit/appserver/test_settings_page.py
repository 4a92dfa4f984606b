"""The settings page puts what the merchant saves to work in the running app server: a wallet
number saved on the page is in the very next payment instruction, without a restart."""
from __future__ import annotations

import asyncio
import json
from html.parser import HTMLParser

import httpx

from appserver.auth import Auth, auth_blueprint
from appserver.settings_page import settings_blueprint
from knowledge.profile import DEMO_PROFILE, load_profile
from lifecycle.config.settings import LifecycleSettings
from lifecycle.domain import orders
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


def test_a_wallet_number_saved_on_the_page_is_in_the_next_payment_instruction(tmp_path, sqlite_db):
    clock, sender = Clock(NOON_PKT), RecordingSender()
    settings = LifecycleSettings(data_dir=tmp_path, phone_number_id="1").with_profile(load_profile(DEMO_PROFILE))
    assert settings.accounts["jazzcash"].number != NEW_NUMBER
    lifecycle = Lifecycle(sqlite_db, settings, clock=clock)
    lifecycle.worker = Worker(sqlite_db, lifecycle.settings, sender, handler_registry(), clock=clock, name="test")
    auth = Auth({"owner": ("merchant", PASSWORD)}, "session-secret")
    app = new_app("settings_page")
    app.blueprint(auth_blueprint(auth))
    app.blueprint(settings_blueprint(auth, tmp_path, on_save=lifecycle.use_saved))

    async def save_wallet_on_the_page() -> None:
        async with serve(app) as url, httpx.AsyncClient(base_url=url, headers={"Accept": "text/html"}) as client:
            login = await client.post("/login", data={"username": "owner", "password": PASSWORD, "next": "/"})
            assert login.status_code in (302, 303)
            page = FormFields("/settings/profile")
            page.feed((await client.get("/settings/")).text)
            fields = [(name, NEW_NUMBER if name == "jazzcash_number" else value) for name, value in page.fields]
            assert ("jazzcash_number", NEW_NUMBER) in fields
            form: dict[str, list[str]] = {}
            for name, value in fields:
                form.setdefault(name, []).append(value)
            saved = await client.post("/settings/profile", data=form)
            assert saved.status_code == 303, saved.text

    asyncio.run(save_wallet_on_the_page())
    with sqlite_db.session.begin() as session:
        orders.place(session, cod_order(payment_method="jazzcash"), clock.now(), lifecycle.settings)
    asyncio.run(lifecycle.worker.run_once())
    [instruction] = sender.sent  # a template here: the customer has not written yet
    assert instruction["template"]["name"] == "sauda_payment_instructions"
    assert NEW_NUMBER in json.dumps(instruction), instruction
