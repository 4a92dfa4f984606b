"""Lifecycle fixtures: a migrated database (SQLite, and the real PostgreSQL in its own schema),
a manual clock, and a sender that records what would go to the Graph API."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from lifecycle.config.settings import LifecycleSettings, PaymentAccount
from lifecycle.db.engine import Database
from lifecycle.domain.clock import Clock
from lifecycle.domain.orders import NewOrder
from lifecycle.engine.scheduler import Worker
from lifecycle.service import handler_registry
from whatsapp.graph_client import SendResult

# Noon in Karachi (07:00 UTC) on a Monday: outside quiet hours.
NOON_PKT = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)


@pytest.fixture
def sqlite_db(tmp_path, migrated_sqlite):
    """A fresh lifecycle database: a copy of the file the real migrations made (tests/conftest.py)."""
    path = tmp_path / "lifecycle.db"
    shutil.copyfile(migrated_sqlite, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.engine.dispose()


@pytest.fixture
def postgres_db(migrated_postgres):
    """The session's migrated PostgreSQL schema, reset to its migrated state (tests/conftest.py)."""
    db = Database(migrated_postgres.url)
    migrated_postgres.reset(db.engine)
    yield db
    db.engine.dispose()


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
