"""Order confirmed / cancelled reach the merchant's URL as signed webhooks (real HTTP), retried
while the merchant is down."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from lifecycle.db.models import Order, Touchpoint
from lifecycle.domain import orders
from lifecycle.engine.scheduler import Worker
from lifecycle.integrations import signing
from lifecycle.service import handler_registry
from tests.unit.lifecycle.conftest import cod_order


@pytest.fixture
def merchant():
    """A merchant endpoint that answers 503 while ``down`` and records what it receives."""
    received, state = [], {"down": False}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if state["down"]:
                self.send_response(503)
            else:
                received.append((dict(self.headers), body))
                self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sauda", received, state
    server.shutdown()


def test_confirmation_is_posted_signed_and_retried_while_the_merchant_is_down(db, clock, settings, sender, merchant):
    url, received, state = merchant
    settings = replace(settings, merchant_webhook_url=url, merchant_webhook_secret="merchant-secret")
    worker = Worker(db, settings, sender, handler_registry(), clock=clock, name="w")
    with db.session.begin() as session:
        order = orders.place(session, cod_order(), clock.now(), settings)
        orders.confirm(session, order, "customer", clock.now())
    state["down"] = True
    asyncio.run(worker.run_once())
    assert received == []
    state["down"] = False
    clock.advance(60)
    asyncio.run(worker.run_once())
    [(headers, body)] = received
    assert (
        signing.check(
            "merchant-secret",
            body,
            headers[signing.SIGNATURE_HEADER],
            headers[signing.TIMESTAMP_HEADER],
            time.time(),
            300,
        )
        is None
    )
    assert (
        signing.check(
            "another-secret",
            body,
            headers[signing.SIGNATURE_HEADER],
            headers[signing.TIMESTAMP_HEADER],
            time.time(),
            300,
        )
        == "invalid signature"
    )
    payload = json.loads(body)
    assert (payload["event"], payload["order_id"], payload["status"], payload["id"]) == (
        "order.confirmed",
        "SD-1001",
        "confirmed",
        "order.confirmed:SD-1001",
    )
    with db.session() as session:
        assert session.scalar(select(Touchpoint.state).where(Touchpoint.kind == "merchant_webhook")) == "done"
