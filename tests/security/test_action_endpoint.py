"""The action endpoint answers only Rasa: on its own private listener, with the shared secret,
uncompressed and bounded bodies. Refused calls change no row."""
from __future__ import annotations

import gzip
import json
import zlib

import httpx
import pytest

from tests.security.helpers import app_only, rows_fingerprint

PHONE = "+923001234567"


def action_call(action: str, sender: str = PHONE) -> dict:
    """The body Rasa posts to run ``action`` for ``sender``."""
    tracker = {"sender_id": sender, "slots": {}, "latest_message": {"text": "STOP", "intent": {"name": "opt_out"},
               "entities": []}, "events": [], "paused": False, "followup_action": None,
               "active_loop": {}, "latest_action_name": "action_listen", "latest_event_time": None}
    return {"next_action": action, "sender_id": sender, "tracker": tracker, "domain": {"responses": {}, "slots": {}},
            "version": "3.6.21"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    stack = app_only(tmp_path_factory.mktemp("actions"))
    yield stack
    stack.stop()


def private_url(app) -> str:
    return f"http://127.0.0.1:{app.env['SAUDA_ACTIONS_PORT']}"


def opted_out(app) -> bool:
    import sqlite3
    with sqlite3.connect(app.data_dir / "lifecycle.db") as db:
        row = db.execute("SELECT opted_out_at FROM customers WHERE phone = ?", (PHONE,)).fetchone()
    return bool(row and row[0])


def test_refused_action_calls_change_nothing_and_none_answers_5xx(app):
    body = json.dumps(action_call("action_opt_out")).encode()
    secret = app.env["SAUDA_ACTION_SECRET"]
    good = {"Content-Type": "application/json", "Authorization": f"Bearer {secret}"}
    attempts = {
        "public listener": (f"{app.app_url}/webhook", {"Content-Type": "application/json"}, body),
        "public listener with the secret": (f"{app.app_url}/webhook", good, body),
        "no Authorization": (f"{private_url(app)}/webhook", {"Content-Type": "application/json"}, body),
        "wrong secret": (f"{private_url(app)}/webhook", {**good, "Authorization": "Bearer " + "x" * len(secret)}, body),
        "secret as ?token=": (f"{private_url(app)}/webhook?token={secret}", {"Content-Type": "application/json"}, body),
        "non-ASCII Authorization": (f"{private_url(app)}/webhook", {**good, "Authorization": "Bearer é".encode()}, body),
        "deflate": (f"{private_url(app)}/webhook", {**good, "Content-Encoding": "deflate"}, zlib.compress(body)),
        "gzip": (f"{private_url(app)}/webhook", {**good, "Content-Encoding": "gzip"}, gzip.compress(body)),
        "9 MB": (f"{private_url(app)}/webhook", good, b" " * (9 * 1024 * 1024) + body),
        "public 5 MB": (f"{app.app_url}/internal/channel-events", {"Content-Type": "application/json"},
                        b" " * (5 * 1024 * 1024)),
    }
    before = rows_fingerprint(app.data_dir / "lifecycle.db")
    answers = {}
    for name, (url, headers, content) in attempts.items():
        try:
            answers[name] = httpx.post(url, headers=headers, content=content, timeout=30).status_code
        except httpx.RemoteProtocolError:  # the server may close on an oversized body: refused too
            answers[name] = "closed"
    assert rows_fingerprint(app.data_dir / "lifecycle.db") == before
    accepted = {name: code for name, code in answers.items() if code == "closed" or not 400 <= code < 500}
    assert accepted == {k: v for k, v in accepted.items() if v == "closed"}, answers
    assert answers["no Authorization"] == answers["wrong secret"] == 401
    assert answers["deflate"] == answers["gzip"] == 415
    assert not opted_out(app)

    # the same call with the secret does act: the checks above could have seen a change
    taken = httpx.post(f"{private_url(app)}/webhook", headers=good, content=body, timeout=30)
    assert taken.status_code == 200, taken.text
    assert opted_out(app)
