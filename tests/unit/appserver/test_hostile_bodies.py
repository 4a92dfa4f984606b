"""What the audit (bench/bench_audit.py) found answering 500, each now a clear refusal:
nesting past the recursion limit, a non-ASCII signature header, a body not shaped like
Shopify's, a discount code that is not text."""
from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from appserver.bodies import parse_json
from appserver.codes_api import codes_blueprint
from bench.bench_audit import BROKEN_JSON, mutations
from lifecycle.config.settings import LifecycleSettings
from lifecycle.events import shop
from lifecycle.integrations import signing
from lifecycle.service import Lifecycle
from tests.fakes.serving import new_app, serve
from tests.unit.lifecycle.conftest import sqlite_db  # noqa: F401 - fixture


@pytest.mark.parametrize("raw", [b"[" * 100000, b'{"a":' * 5000])
def test_deep_nesting_is_unreadable_json_not_a_crash(raw):
    with pytest.raises(ValueError):
        parse_json(raw)


def test_a_non_ascii_signature_is_an_invalid_one():
    assert signing.check("secret", b"{}", "sha256=é", str(int(time.time())), time.time(), 300) == "invalid signature"


@pytest.mark.parametrize("body", [[], "x", {"shipping_address": 5}, {"line_items": 5}, {"line_items": [None]},
                                  {"shipping_address": {"address1": 5}}])
def test_a_body_not_shaped_like_shopifys_is_refused_with_422(body):
    with pytest.raises(shop.EventError) as refused:
        shop.shopify_order(body, "webhook-1")
    assert refused.value.status == 422


def test_the_codes_api_answers_every_wrong_type_without_failing(sqlite_db):
    lifecycle = Lifecycle(sqlite_db, LifecycleSettings(events_secret="secret"))
    app = new_app("codes")
    app.blueprint(codes_blueprint(lifecycle))
    bodies = BROKEN_JSON + mutations({"code": "SAUDA10", "order_id": "SD-1"})

    async def post_all() -> list[int]:
        async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
            paths = ("/lifecycle/codes/validate", "/lifecycle/codes/redeem")
            return [(await client.post(path, content=body, headers=signing.headers("secret", int(time.time()), body)))
                    .status_code for path in paths for body in bodies]

    statuses = asyncio.run(post_all())
    assert statuses and all(400 <= status < 500 for status in statuses), statuses
