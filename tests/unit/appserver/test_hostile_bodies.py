"""What the audit (bench/bench_audit.py) found answering 500, each now a clear refusal:
nesting past the recursion limit, a non-ASCII signature header, a body not shaped like
Shopify's."""
from __future__ import annotations

import time

import pytest

from appserver.bodies import parse_json
from lifecycle.events import shop
from lifecycle.integrations import signing


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
