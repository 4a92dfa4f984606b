"""Courier configuration from the environment, and the poller running with a real Sanic server."""

import asyncio
import functools
import json
from datetime import datetime

import httpx
import pytest

from appserver.tracking_page import Storefront, tracking_blueprint
from lifecycle.engine.supervisor import Supervisor
from lifecycle.integrations.couriers import CourierSettings, State, build_clients
from lifecycle.integrations.couriers.background import poll_couriers
from tests.fakes.serving import new_app, serve
from tests.unit.lifecycle.couriers.conftest import MNP


def test_only_couriers_with_credentials_get_a_client(tmp_path):
    generic = tmp_path / "couriers.json"
    generic.write_text(json.dumps([{**MNP, "base_url": "http://mnp.test", "headers": {"X-Api-Key": "$MNP_KEY"}}]))
    settings = CourierSettings.from_env(
        {
            "POSTEX_API_TOKEN": "pt",
            "LEOPARDS_API_KEY": "only-half",
            "SAUDA_GENERIC_COURIERS": str(generic),
            "MNP_KEY": "secret-key",
        }
    )
    clients = build_clients(settings, httpx.AsyncClient())
    assert sorted(clients) == ["mnp", "postex"]  # Leopards needs its password too; TCS has no token
    assert clients["postex"].base_url == "https://api.postex.pk/services/integration/api"
    assert clients["mnp"].config.headers == {"X-Api-Key": "secret-key"}
    assert clients["mnp"].statuses.state_of("Arrival at Destination") is State.IN_TRANSIT
    assert settings.poll_seconds == 900


def test_a_generic_config_naming_a_missing_variable_fails_at_start(tmp_path):
    generic = tmp_path / "couriers.json"
    generic.write_text(json.dumps([{**MNP, "base_url": "http://mnp.test", "headers": {"X-Api-Key": "$MNP_KEY"}}]))
    with pytest.raises(KeyError, match="MNP_KEY"):
        CourierSettings.from_env({"SAUDA_GENERIC_COURIERS": str(generic)})


@pytest.mark.asyncio
async def test_the_poller_follows_couriers_while_it_runs_and_the_tracking_page_follows(couriers, lifecycle):
    token = lifecycle.book("tcs", "779412326902").tracking_token
    couriers.fake.add("tcs", "779412326902", "Out For Delivery", datetime(2026, 11, 21, 9, 30))
    settings = CourierSettings.from_env(
        {"TCS_BASE_URL": couriers.url, "TCS_API_TOKEN": "tt", "SAUDA_COURIER_POLL_SECONDS": "0.05"}
    )
    app = new_app("poller_host")
    app.blueprint(tracking_blueprint(lifecycle.db, lambda: Storefront("Noor Lawn House"), lifecycle.clock.now))
    supervisor = Supervisor(
        {"couriers": functools.partial(poll_couriers, lifecycle.db, lifecycle.settings, lifecycle.clock, settings)}
    )
    async with serve(app) as url:
        supervisor.start()
        for _ in range(100):
            if lifecycle.shipment("tcs", "779412326902").state == "out_for_delivery":
                break
            await asyncio.sleep(0.05)
        page = await couriers.http.get(f"{url}/track/{token}")
        assert "Rider aaj parcel le kar aa raha hai" in page.text
        await supervisor.stop()
    assert lifecycle.shipment("tcs", "779412326902").order.status == "out_for_delivery"
    requests = len(couriers.fake.requests)
    await asyncio.sleep(0.2)
    assert len(couriers.fake.requests) == requests  # stopped with the supervisor
