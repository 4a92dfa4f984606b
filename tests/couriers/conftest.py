"""The fake courier server, served over real HTTP, and clients pointed at it."""
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lifecycle import orders
from lifecycle.clock import Clock
from lifecycle.db import Database
from lifecycle.models import Shipment
from lifecycle.settings import LifecycleSettings

from lifecycle.couriers.generic import GenericClient, GenericConfig
from lifecycle.couriers.leopards import LeopardsClient
from lifecycle.couriers.postex import PostExClient
from lifecycle.couriers.tcs import TcsClient
from tests.fakes.courier_server import FakeCouriers
from tests.fakes.serving import serve

MNP = {"name": "mnp", "track_path": "/generic/mnp/track/{cn}", "events": "data.history",
       "status_field": "status", "time_field": "date", "time_format": "%d-%m-%Y %H:%M", "detail_field": "remarks",
       "statuses": {"Booked": "booked", "Arrival at Destination": "in_transit", "Delivered": "delivered"}}


@dataclass
class Couriers:
    fake: FakeCouriers
    url: str
    http: httpx.AsyncClient

    def leopards(self, key="lk", password="lp") -> LeopardsClient:
        return LeopardsClient(f"{self.url}/api", self.http, key, password)

    def postex(self, token="pt") -> PostExClient:
        return PostExClient(f"{self.url}/services/integration/api", self.http, token)

    def tcs(self, token="tt") -> TcsClient:
        return TcsClient(self.url, self.http, token)

    def mnp(self, key="gk") -> GenericClient:
        return GenericClient(GenericConfig.from_dict({**MNP, "base_url": self.url, "headers": {"X-Api-Key": key}}),
                             self.http)

    def clients(self) -> dict:
        return {c.name: c for c in (self.leopards(), self.postex(), self.tcs(), self.mnp())}


@pytest_asyncio.fixture
async def couriers():
    fake = FakeCouriers()
    async with serve(fake.app()) as url, httpx.AsyncClient(timeout=5) as http:
        yield Couriers(fake, url, http)


@pytest.fixture
def lifecycle(tmp_path):
    """A migrated SQLite lifecycle database with a manual clock, and a way to book shipments in it."""
    return Lifecycle(tmp_path)


class Lifecycle:
    def __init__(self, tmp_path) -> None:
        self.db = Database(f"sqlite:///{tmp_path / 'lifecycle.db'}").migrate()
        self.settings = LifecycleSettings()
        self.clock = Clock(datetime(2026, 11, 19, 5, 0, tzinfo=timezone.utc))

    def book(self, courier: str, cn: str, ref: str = "SD-1001") -> None:
        now = self.clock.now()
        with self.db.session() as session, session.begin():
            order = orders.place(session, orders.NewOrder(
                ref=ref, phone="0300-1234567", items=[{"name": "Lawn 3-piece", "quantity": 1, "price": 2500}],
                amount=Decimal("2500"), payment_method="cod", city="Lahore", address="House 12, Gulberg"),
                now, self.settings)
            orders.confirm(session, order, "customer", now)
            orders.book_shipment(session, order, courier, cn, now)

    def shipment(self, courier: str, cn: str) -> Shipment:
        with self.db.session() as session:
            return session.scalar(select(Shipment).where(Shipment.courier == courier, Shipment.cn == cn)
                                  .options(selectinload(Shipment.scans), selectinload(Shipment.order)))
