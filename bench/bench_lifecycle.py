"""Lifecycle throughput: due touchpoints dispatched per second (SQLite, PostgreSQL) to a no-op
sender, and N orders (default 100,000) through their whole lifecycle.

``SAUDA_BENCH_DISPATCH`` (default 20,000) and ``SAUDA_BENCH_ORDERS`` (default 100,000) set
the sizes; ``SAUDA_TEST_PG_URL`` the PostgreSQL server (a scratch schema is used and dropped).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import create_engine, select, text

from bench.table import Table
from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.engine import Database
from lifecycle.db.models import Order
from lifecycle.domain import orders
from lifecycle.domain.clock import Clock
from lifecycle.domain.statuses import ShipmentState
from lifecycle.engine.scheduler import Worker
from lifecycle.service import handler_registry
from whatsapp.graph_client import SendResult

PG_URL = os.environ.get("SAUDA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOON_PKT = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)
SETTINGS = LifecycleSettings(public_url="https://shop.example", worker_batch=1000)


class NoopSender:
    """Accepts every send at once (measures the engine, not the network)."""

    def __init__(self) -> None:
        self.count = 0

    async def send(self, payload: dict) -> SendResult:
        self.count += 1
        return SendResult("sent", wamid=f"wamid.bench.{self.count}", status_code=200)


@contextmanager
def database(kind: str) -> Iterator[Optional[Database]]:
    """A fresh migrated database: a temp SQLite file, or a scratch PostgreSQL schema (None if unreachable)."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}").migrate()
            yield db
            db.engine.dispose()
        return
    schema = f"bench_lifecycle_{secrets.token_hex(4)}"
    try:
        admin = create_engine(PG_URL)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - reported in the table, not hidden
        print(f"PostgreSQL unreachable at {PG_URL}: {exc!r}")
        yield None
        return
    db = Database(f"{PG_URL}?options=-csearch_path%3D{schema}").migrate()
    try:
        yield db
    finally:
        db.engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def place(db: Database, first: int, count: int, now: datetime, per_transaction: int = 200) -> None:
    for start in range(first, first + count, per_transaction):
        _place_chunk(db, start, min(per_transaction, first + count - start), now)


def _place_chunk(db: Database, first: int, count: int, now: datetime) -> None:
    with db.session.begin() as session:
        for n in range(first, first + count):
            orders.place(
                session,
                orders.NewOrder(
                    ref=f"B-{n:07d}",
                    phone=f"+92300{1000000 + n:07d}",
                    name="Bench",
                    items=[{"name": "Lawn 3-piece", "quantity": 1, "price": "2500"}],
                    amount=Decimal("2500"),
                    payment_method="cod",
                    city="Lahore",
                    address="1 Bench Road",
                ),
                now,
                SETTINGS,
            )


def drain(worker: Worker) -> int:
    total = 0
    while n := asyncio.run(worker.run_once()):
        total += n
    return total


def dispatch_rate(db: Database, count: int) -> tuple[int, float]:
    place(db, 0, count, NOON_PKT)
    worker = Worker(db, SETTINGS, NoopSender(), handler_registry(), clock=Clock(NOON_PKT), name="bench")
    started = time.perf_counter()
    sent = drain(worker)
    return sent, time.perf_counter() - started


def whole_lifecycle(db: Database, count: int, chunk: int = 500) -> tuple[int, float]:
    """Placed → confirmation sent → confirmed → booked → dispatch sent → picked / in transit /
    out for delivery (alert sent) → delivered (message sent, CSAT scheduled)."""
    clock = Clock(NOON_PKT)
    sender = NoopSender()
    worker = Worker(db, SETTINGS, sender, handler_registry(), clock=clock, name="bench")
    started = time.perf_counter()
    for first in range(0, count, chunk):
        size = min(chunk, count - first)
        now = clock.now()
        place(db, first, size, now)
        drain(worker)
        refs = [f"B-{n:07d}" for n in range(first, first + size)]
        with db.session.begin() as session:
            for order in session.scalars(select(Order).where(Order.ref.in_(refs))):
                orders.confirm(session, order, "customer", now)
                orders.book_shipment(session, order, "leopards", f"LE{order.id:09d}", now, "2-3")
        drain(worker)
        with db.session.begin() as session:
            for order in session.scalars(select(Order).where(Order.ref.in_(refs))):
                shipment = order.shipments[0]
                for hours, raw, state in (
                    (2, "Shipment Picked", ShipmentState.PICKED),
                    (20, "In Transit", ShipmentState.IN_TRANSIT),
                    (40, "Assign to Courier", ShipmentState.OUT_FOR_DELIVERY),
                ):
                    orders.record_scan(session, shipment, raw, state, now + timedelta(hours=hours), now, SETTINGS)
        drain(worker)
        with db.session.begin() as session:
            for order in session.scalars(select(Order).where(Order.ref.in_(refs))):
                orders.record_scan(
                    session, order.shipments[0], "Delivered", "delivered", now + timedelta(hours=44), now, SETTINGS
                )
        drain(worker)
    return sender.count, time.perf_counter() - started


def run() -> list[Table]:
    """Both tables; ``SAUDA_BENCH_DISPATCH=0`` or ``SAUDA_BENCH_ORDERS=0`` skips one."""
    dispatch_n = int(os.environ.get("SAUDA_BENCH_DISPATCH", 20_000))
    orders_n = int(os.environ.get("SAUDA_BENCH_ORDERS", 100_000))
    rate = Table(
        f"Due touchpoints dispatched to a no-op sender ({dispatch_n:,} COD confirmations, batches of "
        f"{SETTINGS.worker_batch}, one worker)",
        ["database", "touchpoints", "seconds", "per second"],
    )
    lifecycle = Table(
        f"{orders_n:,} COD orders through their whole lifecycle (4 messages each)",
        ["database", "orders", "messages sent", "seconds", "orders per second"],
    )
    for kind in ("sqlite", "postgresql"):
        with database(kind) as db:
            if db is None:
                rate.add(kind, "unreachable", "-", "-")
                continue
            if dispatch_n:
                sent, seconds = dispatch_rate(db, dispatch_n)
                rate.add(kind, sent, round(seconds, 2), round(sent / seconds))
        if not orders_n:
            continue
        with database(kind) as db:
            if db is None:
                lifecycle.add(kind, "unreachable", "-", "-", "-")
                continue
            sent, seconds = whole_lifecycle(db, orders_n)
            lifecycle.add(kind, orders_n, sent, round(seconds, 1), round(orders_n / seconds))
    return [table for table in (rate, lifecycle) if table.rows]
