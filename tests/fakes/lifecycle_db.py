"""A migrated lifecycle database with a manual clock, where tests place orders and book shipments."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.engine import Database
from lifecycle.db.models import Shipment
from lifecycle.domain import orders
from lifecycle.domain.clock import Clock

PHONE = "0300-1234567"
ADDRESS = "House 12, Street 4, Gulberg III"
CITY = "Faisalabad"
ITEMS = [
    {"name": "Lawn 3-piece", "quantity": 2, "price": 2500, "size": "M", "colour": "white"},
    {"name": "Khussa", "quantity": 1, "price": 1800},
]


class Lifecycle:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.settings = LifecycleSettings()
        self.clock = Clock(datetime(2026, 11, 19, 5, 0, tzinfo=timezone.utc))

    def book(self, courier: str, cn: str, ref: str = "SD-1001", items: list | None = None) -> Shipment:
        now = self.clock.now()
        with self.db.session() as session, session.begin():
            order = orders.place(
                session,
                orders.NewOrder(
                    ref=ref,
                    phone=PHONE,
                    items=items or ITEMS,
                    amount=Decimal("6800"),
                    payment_method="cod",
                    city=CITY,
                    address=ADDRESS,
                    name="Ayesha Khan",
                ),
                now,
                self.settings,
            )
            orders.confirm(session, order, "customer", now)
            return orders.book_shipment(session, order, courier, cn, now)

    def shipment(self, courier: str, cn: str) -> Shipment:
        with self.db.session() as session:
            return session.scalar(
                select(Shipment)
                .where(Shipment.courier == courier, Shipment.cn == cn)
                .options(selectinload(Shipment.scans), selectinload(Shipment.order))
            )
