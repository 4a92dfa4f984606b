"""The shop's event API over real HTTP against a running app server (no Rasa needed)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import subprocess
import time

import httpx
import pytest
from sqlalchemy import select

from lifecycle.db.engine import Database
from lifecycle.db.models import Order, Touchpoint
from lifecycle.integrations import signing
from tests.stack import APP_PYTHON, ROOT, free_port, logged_in, private_actions

SECRET = secrets.token_hex(16)


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("events")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SAUDA_DATA_DIR": str(data_dir),
        "SAUDA_APP_PORT": str(port),
        "SAUDA_INTERNAL_SECRET": secrets.token_hex(16),
        "SAUDA_EVENTS_SECRET": SECRET,
        "SAUDA_SESSION_SECRET": secrets.token_hex(16),
        "SAUDA_WORKER": "off",
        "SAUDA_USERS": "ali:agent:ali-password-1",
        "SAUDA_DEV_MODE": "1",
        "HF_HUB_OFFLINE": "1",
        **private_actions(),
    }
    env.pop("DATABASE_URL", None)
    log = open(data_dir / "app.log", "wb")
    proc = subprocess.Popen(
        [str(APP_PYTHON), "-m", "appserver"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"app server did not start:\n{(data_dir / 'app.log').read_text()[-3000:]}")
        time.sleep(0.3)
    yield url, Database(f"sqlite:///{data_dir / 'lifecycle.db'}")
    proc.terminate()
    proc.wait(timeout=20)


def post(url: str, event: dict, secret: str = SECRET, timestamp: int | None = None, body: bytes | None = None):
    raw = body if body is not None else json.dumps(event).encode()
    ts = int(time.time()) if timestamp is None else timestamp
    return httpx.post(f"{url}/lifecycle/events", content=raw, headers=signing.headers(secret, ts, raw))


def placed(order_id: str, **data) -> dict:
    return {
        "id": f"evt-{secrets.token_hex(6)}",
        "type": "order.placed",
        "data": {
            "order_id": order_id,
            "phone": "0300-7654321",
            "name": "Bilal",
            "payment_method": "cod",
            "amount": "3200",
            "items": [{"name": "Khussa", "quantity": 1, "price": "3200", "size": "9"}],
            "city": "Multan",
            "address": "House 1, Cantt",
            **data,
        },
    }


NO_HISTORY = {"delivered": 0, "returned": 0, "cancelled": 0, "no_answer": 0, "in_progress": 0, "last_outcome": None}


def test_order_placed_is_applied_once_however_often_it_is_sent(app_server):
    url, db = app_server
    event = placed("SD-2001")
    first, again = post(url, event), post(url, event)
    assert first.status_code == 200 and again.status_code == 200
    assert first.json() == {
        "status": "applied",
        "event_id": event["id"],
        "order_id": "SD-2001",
        "order_status": "pending_confirmation",
        "delivery_history": NO_HISTORY,
        "risk": {"band": "normal", "reasons": [], "advance": None},
    }
    assert again.json() == {**first.json(), "duplicate": True}
    with db.session() as session:
        assert [o.ref for o in session.scalars(select(Order))].count("SD-2001") == 1
        assert session.scalar(select(Touchpoint.kind).where(Touchpoint.key == "cod_confirmation:SD-2001"))


def test_forged_unsigned_and_replayed_events_are_rejected_and_change_nothing(app_server):
    url, db = app_server
    event = placed("SD-2002")
    raw = json.dumps(event).encode()
    forged = post(url, event, secret="not-the-secret")
    old = post(url, event, timestamp=int(time.time()) - 3600)
    unsigned = httpx.post(f"{url}/lifecycle/events", content=raw)
    tampered = httpx.post(
        f"{url}/lifecycle/events",
        content=raw.replace(b"3200", b"1"),
        headers=signing.headers(SECRET, int(time.time()), raw),
    )
    assert [r.status_code for r in (forged, old, unsigned, tampered)] == [401, 401, 401, 401]
    assert "timestamp outside" in old.json()["error"]
    with db.session() as session:
        assert session.scalar(select(Order).where(Order.ref == "SD-2002")) is None


def test_bad_fields_are_named(app_server):
    url, _ = app_server
    event = placed("SD-2003", phone="12345", payment_method="card", amount="-5", items=[])
    answer = post(url, event)
    assert answer.status_code == 422
    assert {f["field"] for f in answer.json()["fields"]} == {
        "data.phone",
        "data.payment_method",
        "data.amount",
        "data.items",
    }
    unknown_type = post(url, {"id": "e-x", "type": "order.teleported", "data": {}})
    assert unknown_type.status_code == 422
    assert post(url, {}, body=b"{not json").status_code == 400


def test_unknown_order_is_a_404_with_the_id_and_can_be_retried_later(app_server):
    url, _ = app_server
    booked = {
        "id": "evt-book-2004",
        "type": "shipment.booked",
        "data": {"order_id": "SD-2004", "courier": "Leopards", "cn": "LE555"},
    }
    missing = post(url, booked)
    assert (missing.status_code, missing.json()) == (404, {"error": "unknown order", "order_id": "SD-2004"})
    assert post(url, placed("SD-2004")).status_code == 200
    impossible = post(url, booked)  # not confirmed yet
    assert impossible.status_code == 409
    assert impossible.json()["error"] == "order SD-2004 is pending_confirmation; it cannot become dispatched"


def test_a_whole_order_through_events(app_server):
    url, db = app_server
    assert post(url, placed("SD-2005", payment_method="jazzcash")).json()["order_status"] == "payment_pending"
    verified = post(
        url,
        {"id": "evt-pv-2005", "type": "payment.verified", "data": {"order_id": "SD-2005", "verified_by": "shop-admin"}},
    )
    assert verified.json()["order_status"] == "confirmed"
    booked = post(
        url,
        {
            "id": "evt-b-2005",
            "type": "shipment.booked",
            "data": {"order_id": "SD-2005", "courier": "PostEx", "cn": "PX9001", "estimated_days": "2-3"},
        },
    )
    token = booked.json()["tracking_token"]
    assert len(base64.urlsafe_b64decode(token + "==")) * 8 >= 128
    scan = {"order_id": "SD-2005", "courier": "postex", "cn": "PX9001"}
    delivered = post(
        url,
        {
            "id": "evt-s1-2005",
            "type": "shipment.scan",
            "data": {**scan, "raw_status": "0005", "state": "delivered", "at": "2026-03-04T10:00:00Z"},
        },
    )
    late = post(
        url,
        {
            "id": "evt-s2-2005",
            "type": "shipment.scan",
            "data": {**scan, "raw_status": "0004", "state": "in_transit", "at": "2026-03-03T10:00:00Z"},
        },
    )
    assert delivered.json()["order_status"] == "delivered"
    assert (late.json()["order_status"], late.json()["shipment_state"]) == ("delivered", "delivered")


def test_merchant_cancellation_event(app_server):
    url, db = app_server
    post(url, placed("SD-2006"))
    answer = post(
        url,
        {
            "id": "evt-c-2006",
            "type": "order.cancelled",
            "data": {"order_id": "SD-2006", "reason": "wrong_item", "note": "out of stock"},
        },
    )
    assert answer.json()["order_status"] == "cancelled"
    with db.session() as session:
        kinds = {t.kind: t.state for t in session.scalars(select(Touchpoint).join(Order).where(Order.ref == "SD-2006"))}
    assert kinds["order_cancelled"] == "scheduled" and kinds["cod_confirmation"] == "cancelled"


def test_shopify_order_webhook_is_accepted_in_shopifys_own_shape_and_signature(app_server):
    url, _ = app_server
    order = {
        "id": 820982911946154508,
        "name": "#9999",
        "phone": None,
        "total_price": "4598.00",
        "financial_status": "pending",
        "payment_gateway_names": ["Cash on Delivery (COD)"],
        "line_items": [
            {"title": "Lawn 3-piece", "quantity": 2, "price": "2299.00", "sku": "LW-3P", "variant_title": "M"}
        ],
        "shipping_address": {
            "first_name": "Sana",
            "address1": "Flat 3, Block B",
            "address2": "Gulshan",
            "city": "Karachi",
            "phone": "+92 321 5550001",
        },
    }
    raw = json.dumps(order).encode()
    signature = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    headers = {"X-Shopify-Hmac-Sha256": signature, "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37"}
    answer = httpx.post(f"{url}/lifecycle/shopify/orders", content=raw, headers=headers)
    assert answer.json() == {
        "status": "applied",
        "event_id": "shopify:b54557e4-bdd9-4b37",
        "order_id": "9999",
        "order_status": "pending_confirmation",
        "delivery_history": NO_HISTORY,
        "risk": {"band": "normal", "reasons": [], "advance": None},
    }
    forged = httpx.post(f"{url}/lifecycle/shopify/orders", content=raw.replace(b"4598", b"1"), headers=headers)
    assert forged.status_code == 401


def test_payment_verification_needs_an_agent_login_and_the_csrf_token(app_server):
    url, _ = app_server
    post(url, placed("SD-2007", payment_method="easypaisa"))
    anonymous = httpx.get(f"{url}/console/payments", headers={"Accept": "application/json"})
    assert anonymous.status_code == 401
    assert httpx.post(f"{url}/console/payments/SD-2007/verify").status_code == 401
    with pytest.raises(AssertionError), logged_in(url, "ali", "wrong-password"):
        pass
    with logged_in(url, "ali", "ali-password-1") as agent:
        csrf = agent.get("/console/payments").json()["csrf"]
        assert agent.post("/console/payments/SD-2007/verify").status_code == 403  # no CSRF token
        ok = agent.post("/console/payments/SD-2007/verify", headers={"X-CSRF-Token": csrf})
        assert ok.json() == {"order_id": "SD-2007", "order_status": "confirmed", "payment_status": "verified"}
        again = agent.post("/console/payments/SD-2007/verify", headers={"X-CSRF-Token": csrf})
        assert again.json() == ok.json()  # a double click changes nothing
        rejected_late = agent.post("/console/payments/SD-2007/reject", headers={"X-CSRF-Token": csrf})
        assert rejected_late.status_code == 409
        unknown = agent.post("/console/payments/SD-0000/verify", headers={"X-CSRF-Token": csrf})
        assert unknown.status_code == 404 and unknown.json()["order_id"] == "SD-0000"
