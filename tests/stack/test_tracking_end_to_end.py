"""The real app server process: the shop books a shipment, the courier poller follows the fake TCS
over HTTP, and the public page shows the parcel's progress without the customer's details."""
import asyncio
import json
import secrets
import time
from datetime import datetime

import httpx
import pytest

from lifecycle.integrations import signing
from tests.fakes.courier_server import FakeCouriers
from tests.fakes.serving import serve
from tests.stack import APP_PYTHON, ROOT, Stack, free_port, private_actions

pytestmark = pytest.mark.asyncio

CN = "779412326902"


@pytest.fixture
def fake():
    return FakeCouriers()


async def start_app(tmp_path, courier_url: str) -> Stack:
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "SAUDA_DATA_DIR": str(tmp_path),
           "SAUDA_APP_PORT": str(port), "SAUDA_INTERNAL_SECRET": secrets.token_hex(16),
           "SAUDA_SESSION_SECRET": secrets.token_hex(16), "SAUDA_EVENTS_SECRET": secrets.token_hex(16),
           "SAUDA_WORKER": "inprocess", "SAUDA_STORE_NAME": "Noor Lawn House",
           "TCS_BASE_URL": courier_url, "TCS_API_TOKEN": "tt", "SAUDA_COURIER_POLL_SECONDS": "0.2", **private_actions()}
    stack = Stack(data_dir=tmp_path, env=env, rasa_url="", app_url=f"http://127.0.0.1:{port}", sim_url="")
    stack.commands = {"app": [str(APP_PYTHON), "-m", "appserver"]}
    stack.health_urls = {"app": f"{stack.app_url}/health"}
    stack.launch("app")
    await asyncio.to_thread(stack.wait_healthy, "app")
    return stack


async def send_event(http: httpx.AsyncClient, stack: Stack, type_: str, data: dict) -> dict:
    body = json.dumps({"id": secrets.token_hex(8), "type": type_, "data": data}).encode()
    r = await http.post(f"{stack.app_url}/lifecycle/events", content=body,
                        headers=signing.headers(stack.env["SAUDA_EVENTS_SECRET"], int(time.time()), body))
    assert r.status_code == 200, r.text
    return r.json()


async def test_shop_books_courier_scans_page_follows(tmp_path, fake):
    async with serve(fake.app()) as courier_url, httpx.AsyncClient(timeout=10) as http:
        stack = await start_app(tmp_path, courier_url)
        try:
            await send_event(http, stack, "order.placed", {
                "order_id": "SD-2001", "phone": "+92 300 1234567", "name": "Ayesha Khan", "paid": True,
                "items": [{"name": "Lawn 3-piece", "quantity": 2, "size": "M"}], "amount": "5000",
                "payment_method": "jazzcash", "city": "Faisalabad", "address": "House 12, Street 4, Gulberg III"})
            booked = await send_event(http, stack, "shipment.booked",
                                      {"order_id": "SD-2001", "courier": "TCS", "cn": CN})
            page_url = f"{stack.app_url}/track/{booked['tracking_token']}"
            first = await http.get(page_url)
            assert first.status_code == 200 and "No courier scans yet" in first.text

            fake.add("tcs", CN, "Booked", datetime(2026, 11, 19, 12, 0))
            fake.add("tcs", CN, "Out For Delivery", datetime(2026, 11, 21, 9, 30))
            for _ in range(100):
                page = await http.get(page_url)
                if "Rider aaj parcel le kar aa raha hai" in page.text:
                    break
                await asyncio.sleep(0.1)
            else:
                pytest.fail(f"the page never showed the scan:\n{stack.log('app')[-2000:]}")
            assert "Noor Lawn House" in page.text and "2 x Lawn 3-piece (M)" in page.text and CN in page.text
            for private in ("3001234567", "House 12", "Gulberg", "Ayesha"):
                assert private not in page.text
            # the destination city, on the map only (issue 16)
            assert page.text.count("Faisalabad") == 1 and ">Faisalabad</text>" in page.text
            assert (await http.get(f"{stack.app_url}/track/{'x' * 32}")).status_code == 404
        finally:
            stack.stop()
