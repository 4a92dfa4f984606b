"""Customer-controlled text (names, cities, product names in orders, addresses, messages,
payment replies, upload file names) on every page that shows it arrives as text, never as
markup; and the dashboard's CSV never hands a spreadsheet a formula. Real HTTP, real database."""
from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest

from appserver.auth import Auth, auth_blueprint
from appserver.catalog_page import catalog_blueprint
from appserver.console import console_blueprint
from appserver.dashboard import dashboard_blueprint
from appserver.tracking_page import Storefront, tracking_blueprint
from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.config.settings import LifecycleSettings
from lifecycle.domain import accounts, customers, escalations, orders, payments
from lifecycle.domain.clock import Clock
from lifecycle.service import Lifecycle
from tests.fakes.serving import new_app, serve
from tests.unit.lifecycle.conftest import NOON_PKT, sqlite_db  # noqa: F401 - fixture

PASSWORD = "a-long-enough-password"
FORMULA = "=HYPERLINK(\"http://evil.example\",\"x\")"


def payload(field: str) -> str:
    return f'"><script>steal("{field}")</script><img src=x onerror=steal("{field}")>'


def shown_as_text(body: str, field: str) -> bool:
    """The field is on the page, escaped (so the test fails if the page stops showing it)."""
    return f"&lt;script&gt;steal(&#34;{field}&#34;)".lower() in body.lower()


def seed(db, now) -> str:
    """Orders, an escalation and a payment full of markup; returns the shipment's tracking token."""
    settings = LifecycleSettings()
    with db.session.begin() as session:
        def place(ref, method="cod", product="product"):
            return orders.place(session, orders.NewOrder(
                ref=ref, phone="03001234567", name=payload("name"), city=payload("city"),
                address=payload("address"), items=[{"name": payload(product), "quantity": 1}, {"name": FORMULA}],
                amount=Decimal("2500"), payment_method=method), now, settings)

        shipped = place("SD-1")
        orders.confirm(session, shipped, "customer", now)
        token = orders.book_shipment(session, shipped, "leopards", "LE1", now).tracking_token
        orders.cancel(session, place("SD-2"), "customer", now, reason="other")
        paid = place("SD-3", method="jazzcash")
        payments.submit(session, paid.payments[0], "01234567890", payload("payment"), now)
        customer = customers.find(session, "03001234567")
        customers.record_inbound(session, customer, now)
        escalations.open_escalation(session, customer, "complain", now, EngagementSettings(), order=shipped,
                                    note=payload("note"),
                                    conversation=[{"who": "customer", "text": payload("message"), "at": None}])
        accounts.add_user(session, "owner", "owner", PASSWORD, now)
    return token


@pytest.fixture
def site(sqlite_db, tmp_path):
    clock = Clock(NOON_PKT)
    token = seed(sqlite_db, clock.now() - timedelta(hours=1))
    lifecycle = Lifecycle(sqlite_db, LifecycleSettings(data_dir=tmp_path, rasa_url=""), clock=clock)
    auth = Auth(sqlite_db, "session-secret", secure_cookie=False)
    app = new_app("injection")
    app.blueprint(auth_blueprint(auth))
    app.blueprint(dashboard_blueprint(auth, sqlite_db, clock.now))
    app.blueprint(console_blueprint(lifecycle, auth))
    app.blueprint(tracking_blueprint(sqlite_db, lambda: Storefront("Noor"), lambda: datetime.now(timezone.utc)))
    app.blueprint(catalog_blueprint(auth, tmp_path))
    return app, token


def fetch_all(app, token: str) -> dict[str, httpx.Response]:
    async def go():
        async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=30,
                                                        headers={"Accept": "text/html"}) as c:
            await c.post("/login", data={"username": "owner", "password": PASSWORD})
            pages = {path: await c.get(path) for path in (
                "/dashboard/", "/dashboard/cancellations", "/console/escalations", "/console/escalations/1",
                "/console/payments", f"/track/{token}")}
            csrf = (await c.get("/console/payments", headers={"Accept": "application/json"})).json()["csrf"]
            pages["catalog upload"] = await c.post("/catalog/manage", data={"csrf": csrf}, files={
                "file": (payload("file") + ".csv", b"title,price\n" + payload("row").encode() + b",not-a-price\n",
                         "text/csv")})
            pages["csv"] = await c.get("/dashboard/csv/cancellations_by_product.csv")
            return pages
    return asyncio.run(go())


PAGES = {
    "/dashboard/": ("city",),
    "/dashboard/cancellations": ("city", "product"),
    "/console/escalations": ("name",),
    "/console/escalations/1": ("name", "note", "message", "product"),
    "/console/payments": ("payment",),
    "/track/": ("product",),
    "catalog upload": ("file",),
}


def test_customer_text_is_never_markup(site):
    app, token = site
    pages = fetch_all(app, token)
    problems = []
    for path, fields in PAGES.items():
        answer = pages[f"/track/{token}" if path == "/track/" else path]
        body = answer.text.lower()
        if answer.status_code >= 400 and not (path == "catalog upload" and answer.status_code == 422):
            problems.append(f"{path}: {answer.status_code}")
        if "<script>steal" in body or "<img src=x" in body:
            problems.append(f"{path}: markup from a customer field is live")
        problems += [f"{path}: {field} not shown" for field in fields if not shown_as_text(body, field)]
    assert not problems, problems


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(site):
    app, token = site
    rows = list(csv.reader(io.StringIO(fetch_all(app, token)["csv"].text)))
    products = [row[0] for row in rows[1:]]
    assert "'" + FORMULA in products and FORMULA not in products
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
