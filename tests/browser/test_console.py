"""The agent console in headless Chromium (Debian's chromium, never `playwright install`):
log in, see the escalation with its SLA timer, take it, reply (the customer receives it on
the WhatsApp simulator), resolve; approve a payment. App server + simulator, no Rasa."""
from __future__ import annotations

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.engagement_models import AgentReply
from lifecycle.db.engine import Database
from lifecycle.db.models import Escalation
from lifecycle.domain import customers, escalations, orders, payments
from lifecycle.domain.clock import Clock
from lifecycle.flows.engagement import EngagementLoop
from tests.stack import AGENT_PASSWORD, APP_PYTHON, ROOT, Stack, free_port, private_actions

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "results" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PHONE = "+923214567890"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """App server and WhatsApp simulator on a database with one escalation and one payment to verify."""
    data_dir = tmp_path_factory.mktemp("console")
    db = Database(f"sqlite:///{data_dir / 'lifecycle.db'}").migrate()
    now = datetime.now(timezone.utc)
    with db.session.begin() as session:
        order = orders.place(session, orders.NewOrder(
            ref="SD-7001", phone=PHONE, name="Rabia", items=[{"name": "Multani Khussa", "quantity": 1}],
            amount=Decimal("2200"), payment_method="cod", city="Multan", address="Gali 3, Multan"),
            now, LifecycleSettings())
        customer = customers.find(session, PHONE)
        customers.record_inbound(session, customer, now)
        escalations.open_escalation(session, customer, "csat_negative", now, EngagementSettings(), order=order,
                                    note="kapra kharab tha", conversation=[
                                        {"who": "bot", "text": "Aap ka tajurba kaisa raha?", "at": None},
                                        {"who": "customer", "text": "Problem Thi", "at": None}])
        paid = orders.place(session, orders.NewOrder(
            ref="SD-7002", phone="03009998877", items=[{"name": "Lawn", "quantity": 1}], amount=Decimal("3990"),
            payment_method="jazzcash", city="Lahore", address="12 Main Blvd"), now, LifecycleSettings())
        payments.submit(session, paid.payments[0], "01234567890", "TID 01234567890", now)
    sim_port, app_port = free_port(), free_port()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "RASA_TELEMETRY_ENABLED": "false",
           "SAUDA_DATA_DIR": str(data_dir), "SAUDA_APP_PORT": str(app_port), "SAUDA_WORKER": "off",
           "SAUDA_INTERNAL_SECRET": secrets.token_hex(16), "SAUDA_SESSION_SECRET": secrets.token_hex(16),
           "SAUDA_USERS": f"agent:agent:{AGENT_PASSWORD}", "SAUDA_DEV_MODE": "1", "SIM_PORT": str(sim_port),
           "SIM_WEBHOOK_URL": "http://127.0.0.1:9/unused", "WHATSAPP_APP_SECRET": secrets.token_hex(16),
           "WHATSAPP_ACCESS_TOKEN": secrets.token_hex(16), "WHATSAPP_PHONE_NUMBER_ID": "100200300400500",
           "WHATSAPP_GRAPH_BASE_URL": f"http://127.0.0.1:{sim_port}", **private_actions()}
    app_url, sim_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{sim_port}"
    running = Stack(data_dir=data_dir, env=env, rasa_url="", app_url=app_url, sim_url=sim_url,
                    commands={"simulator": [str(APP_PYTHON), "-m", "simulator"],
                              "app": [str(APP_PYTHON), "-m", "appserver"]},
                    health_urls={"simulator": f"{sim_url}/health", "app": f"{app_url}/health"})
    for name in running.commands:
        running.launch(name)
    try:
        for name in running.commands:
            running.wait_healthy(name)
        yield running, db
    finally:
        running.stop()
        db.engine.dispose()


@pytest.fixture(scope="module")
def tab(servers):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    server, _ = servers
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{server.app_url}/console/escalations")
        assert "/login" in page.url
        page.fill("input[name=username]", "agent")
        page.fill("input[name=password]", AGENT_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/escalations")
        SHOTS.mkdir(parents=True, exist_ok=True)
        yield page
        browser.close()


def test_take_reply_and_resolve_an_escalation(servers, tab):
    server, db = servers
    row = tab.locator("#queue tr[data-escalation]")
    assert row.count() == 1
    cells = row.inner_text()
    assert "csat negative" in cells and "SD-7001" in cells and "left" in cells  # the SLA timer runs
    tab.screenshot(path=str(SHOTS / "console_queue.png"), full_page=True)
    tab.click("#queue tr[data-escalation] a >> nth=0")
    assert "Problem Thi" in tab.inner_text("#conversation")
    assert "SD-7001" in tab.inner_text("#order") and "kapra kharab tha" in tab.inner_text("main")
    tab.click("button[name=take]")
    assert "(taken, agent)" in tab.inner_text("h1")
    tab.fill("textarea[name=text]", "Assalam o alaikum Rabia, main Sana hoon. Hum naya khussa bhej rahe hain.")
    tab.click("button[name=send]")
    assert "naya khussa" in tab.inner_text("#replies")
    assert "Answered" in tab.inner_text("#sla")
    transcript = httpx.get(f"{server.sim_url}/sim/customers/{PHONE}/transcript").json()["messages"]
    assert [m["message"]["body"] for m in transcript if m["direction"] == "out"] == [
        "Assalam o alaikum Rabia, main Sana hoon. Hum naya khussa bhej rahe hain."]
    tab.screenshot(path=str(SHOTS / "console_escalation.png"), full_page=True)
    tab.click("button[name=resolve]")
    assert "(resolved, agent)" in tab.inner_text("h1")
    assert tab.locator("textarea[name=text]").count() == 0
    with db.session() as session:
        escalation = session.scalar(select(Escalation))
        assert (escalation.status, escalation.breached_at) == ("resolved", None)
        assert session.scalar(select(AgentReply.agent)) == "agent"


def test_approve_a_payment(servers, tab):
    server, db = servers
    tab.goto(f"{server.app_url}/console/payments")
    assert "01234567890" in tab.inner_text("#payments tr[data-order='SD-7002']")
    tab.click("#payments tr[data-order='SD-7002'] button:has-text('Approve')")
    assert "Nothing to verify." in tab.inner_text("#payments")
    with db.session() as session:
        order = orders.find(session, "SD-7002")
        assert (order.status, order.payments[0].verified_by) == ("confirmed", "agent")


def test_the_queue_marks_a_breach(servers, tab):
    server, db = servers
    with db.session.begin() as session:
        customer = customers.get_or_create(session, "03331112233", datetime.now(timezone.utc))
        escalations.open_escalation(session, customer, "human_handoff", datetime.now(timezone.utc) - timedelta(
            minutes=20), EngagementSettings())
    # one round of the engagement loop, as the worker runs it (the app server here runs no background work)
    loop = EngagementLoop(db, Clock(), EngagementSettings())
    with ThreadPoolExecutor(1) as thread:  # playwright's own event loop runs in this one
        thread.submit(asyncio.run, loop.run_once()).result()
    assert _breached(db)
    tab.goto(f"{server.app_url}/console/escalations")
    breached = tab.locator("#queue tr.open")
    assert "human handoff" in breached.inner_text() and "BREACHED 5 min ago" in breached.inner_text()


def _breached(db) -> bool:
    with db.session() as session:
        return session.scalar(select(Escalation.breached_at).where(Escalation.reason == "human_handoff")) is not None
