"""Crafted requests at the channel hand-over (/internal/channel-events) and the private action
listener: unsigned, forged, replayed with another body, malformed at every depth, oversized,
compressed, non-ASCII headers. None is answered 5xx; the refused ones change no row."""
from __future__ import annotations

import gzip
import json
import zlib

import httpx
import pytest

from tests.security.helpers import app_only, rows_fingerprint
from whatsapp.signing import HOOK_SIGNATURE_HEADER, sign


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    stack = app_only(tmp_path_factory.mktemp("crafted"))
    yield stack
    stack.stop()


def malformed_bodies() -> list[bytes]:
    """Bodies that are not ``{"kind": <known>, "data": {...}}``: broken JSON, wrong types at each depth."""
    texts = ["", "{", "[]", "null", "1", '"x"', '{"kind": "status"}', '{"data": {}}', '{"kind": 5, "data": {}}',
             '{"kind": ["status"], "data": {}}', '{"kind": {"a": 1}, "data": {}}', '{"kind": "status", "data": null}',
             '{"kind": "status", "data": []}', '{"kind": "status", "data": "x"}', '{"kind": "nope", "data": {}}',
             '{"kind": "status", "data": {}' + "}" * 3, "{" * 5000 + "}" * 5000, '{"kind": "\\ud800", "data": {}}',
             '\xef\xbb\xbf{"kind": "ping", "data": {}}', '{"kind": "inbound", "data": {"wa_id": {"$gt": ""}}}x',
             "[" * 100_000 + "]" * 100_000, '{"next_action": 1, "tracker": {}}', '{"next_action": "x", "tracker": []}']
    return [t.encode("utf-8", "surrogatepass") for t in texts]


def crafted(app) -> list[tuple[str, str, dict, bytes]]:
    """(name, url, headers, body) of requests that must all be refused."""
    hooks = f"{app.app_url}/internal/channel-events"
    actions = f"http://127.0.0.1:{app.env['SAUDA_ACTIONS_PORT']}/webhook"
    secret = app.env["SAUDA_INTERNAL_SECRET"]
    valid = json.dumps({"kind": "marketing_preference", "data": {"wa_id": "923001234567", "value": "stop"}}).encode()
    json_type = {"Content-Type": "application/json"}
    cases = [
        ("unsigned", hooks, json_type, valid),
        ("forged", hooks, {**json_type, HOOK_SIGNATURE_HEADER: sign(valid, "guess")}, valid),
        ("signature of another body", hooks, {**json_type, HOOK_SIGNATURE_HEADER: sign(b"{}", secret)}, valid),
        ("bare hex signature", hooks, {**json_type, HOOK_SIGNATURE_HEADER: sign(valid, secret)[7:]}, valid),
        ("non-ASCII signature", hooks, {**json_type, HOOK_SIGNATURE_HEADER: "sha256=é".encode()}, valid),
        ("gzip, signed", hooks, {**json_type, "Content-Encoding": "gzip",
                                 HOOK_SIGNATURE_HEADER: sign(gzip.compress(valid), secret)}, gzip.compress(valid)),
        ("5 MB, signed", hooks, json_type, b" " * (5 * 1024 * 1024)),
        ("recent events without the bearer", hooks, {}, b""),
    ]
    cases += [(f"malformed {n}, signed", hooks, {**json_type, HOOK_SIGNATURE_HEADER: sign(body, secret)}, body)
              for n, body in enumerate(malformed_bodies())]
    cases += [(f"malformed {n}, unsigned", hooks, json_type, body) for n, body in enumerate(malformed_bodies())]
    bearer = {**json_type, "Authorization": f"Bearer {app.env['SAUDA_ACTION_SECRET']}"}
    cases += [(f"action malformed {n}", actions, bearer, body) for n, body in enumerate(malformed_bodies())]
    cases += [(f"action unauthenticated malformed {n}", actions, json_type, body)
              for n, body in enumerate(malformed_bodies())]
    cases += [("action deflate bomb", actions, {**bearer, "Content-Encoding": "deflate"},
               zlib.compress(b"{" + b" " * (50 * 1024 * 1024) + b"}", 9))]
    return cases


def test_crafted_requests_are_refused_without_5xx_and_change_nothing(app):
    before = rows_fingerprint(app.data_dir / "lifecycle.db")
    answers = {}
    for name, url, headers, body in crafted(app):
        method = "GET" if name.startswith("recent") else "POST"
        try:
            answers[name] = httpx.request(method, url, headers=headers, content=body, timeout=30).status_code
        except httpx.RemoteProtocolError:  # closed on an oversized body: refused
            answers[name] = 413
    print(f"\n{len(answers)} crafted requests: {sum(400 <= c < 500 for c in answers.values())} refused with 4xx, "
          f"{sum(c >= 500 for c in answers.values())} 5xx, {sum(c < 400 for c in answers.values())} accepted")
    assert {n: c for n, c in answers.items() if not 400 <= c < 500} == {}
    assert rows_fingerprint(app.data_dir / "lifecycle.db") == before
