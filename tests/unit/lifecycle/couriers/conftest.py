"""The fake courier server, served over real HTTP, and clients pointed at it."""

from dataclasses import dataclass

import httpx
import pytest
import pytest_asyncio

from lifecycle.integrations.couriers.generic import GenericClient, GenericConfig
from lifecycle.integrations.couriers.leopards import LeopardsClient
from lifecycle.integrations.couriers.postex import PostExClient
from lifecycle.integrations.couriers.tcs import TcsClient
from tests.fakes.courier_server import FakeCouriers
from tests.fakes.lifecycle_db import Lifecycle
from tests.fakes.serving import serve
from tests.unit.lifecycle.conftest import postgres_db, sqlite_db  # noqa: F401  (fixtures, shared with the lifecycle tests)

MNP = {
    "name": "mnp",
    "track_path": "/generic/mnp/track/{cn}",
    "events": "data.history",
    "status_field": "status",
    "time_field": "date",
    "time_format": "%d-%m-%Y %H:%M",
    "detail_field": "remarks",
    "statuses": {"Booked": "booked", "Arrival at Destination": "in_transit", "Delivered": "delivered"},
}


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
        return GenericClient(
            GenericConfig.from_dict({**MNP, "base_url": self.url, "headers": {"X-Api-Key": key}}), self.http
        )

    def clients(self) -> dict:
        return {c.name: c for c in (self.leopards(), self.postex(), self.tcs(), self.mnp())}


@pytest_asyncio.fixture
async def couriers():
    fake = FakeCouriers()
    async with serve(fake.app()) as url, httpx.AsyncClient(timeout=5) as http:
        yield Couriers(fake, url, http)


@pytest.fixture(params=["sqlite", "postgres"])
def lifecycle(request):
    """Orders and shipments in a migrated database: SQLite, and the real PostgreSQL (skipped, visibly, without one)."""
    return Lifecycle(request.getfixturevalue(f"{request.param}_db"))
