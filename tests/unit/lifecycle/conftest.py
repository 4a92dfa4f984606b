"""Lifecycle fixtures: a migrated database (SQLite, and the real PostgreSQL in its own schema),
a manual clock, and a sender that records what would go to the Graph API."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text

from lifecycle.config.settings import LifecycleSettings, PaymentAccount
from lifecycle.db.engine import Database
from lifecycle.domain.clock import Clock
from lifecycle.domain.orders import NewOrder
from lifecycle.engine.scheduler import Worker
from lifecycle.service import handler_registry
from whatsapp.graph_client import SendResult

PG_URL = os.environ.get("SAUDA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Noon in Karachi (07:00 UTC) on a Monday: outside quiet hours.
NOON_PKT = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)


def _postgres_problem() -> str | None:
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means: skip, visibly
        return f"PostgreSQL at {PG_URL} unreachable: {type(exc).__name__}: {str(exc)[:120]}"
    return None


@pytest.fixture
def sqlite_db(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'lifecycle.db'}").migrate()
    yield db
    db.engine.dispose()


@pytest.fixture
def postgres_db():
    problem = _postgres_problem()
    if problem:
        pytest.skip(problem)
    schema = f"lifecycle_test_{secrets.token_hex(4)}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(f"{PG_URL}?options=-csearch_path%3D{schema}").migrate()
    yield db
    db.engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db(request):
    """The same test on SQLite and on the real PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_db")


@pytest.fixture
def clock():
    return Clock(NOON_PKT)


@pytest.fixture
def settings():
    return LifecycleSettings(
        events_secret="events-secret",
        public_url="https://shop.example",
        phone_number_id="1",
        merchant_webhook_url="",
        accounts={
            "jazzcash": PaymentAccount("03001112222", "Sauda Demo"),
            "easypaisa": PaymentAccount("03453334444", "Sauda Demo"),
        },
    )


@dataclass
class RecordingSender:
    """Stands in for the Graph API at the network boundary: records payloads, answers with wamids,
    or with the failures queued in ``failures``."""

    sent: list = field(default_factory=list)
    failures: list = field(default_factory=list)

    async def send(self, payload: dict) -> SendResult:
        if self.failures:
            return self.failures.pop(0)
        self.sent.append(payload)
        return SendResult("sent", wamid=f"wamid.test{len(self.sent)}", status_code=200)

    def bodies(self) -> list[str]:
        out = []
        for p in self.sent:
            if p["type"] == "text":
                out.append(p["text"]["body"])
            elif p["type"] == "interactive":
                out.append(p["interactive"]["body"]["text"])
            else:
                out.append(p["template"]["name"])
        return out


@pytest.fixture
def sender():
    return RecordingSender()


@pytest.fixture
def worker(db, settings, sender, clock):
    return Worker(db, settings, sender, handler_registry(), clock=clock, name="test-worker")


def cod_order(ref: str = "SD-1001", phone: str = "0300-1234567", **changes) -> NewOrder:
    order = NewOrder(
        ref=ref,
        phone=phone,
        name="Ayesha",
        items=[{"name": "Lawn 3-piece", "quantity": 1, "price": "2500", "size": "M"}],
        amount=Decimal("2500"),
        payment_method="cod",
        city="Lahore",
        address="12 Main Blvd, Gulberg",
    )
    return replace(order, **changes)
