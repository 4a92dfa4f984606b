"""Driving the running stack for engagement scenarios: the shop's events and the dev clock
(from the lifecycle end-to-end helpers), the agent's login, and the lifecycle database."""

from __future__ import annotations

import json
import re
import secrets
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from lifecycle.db.engine import Database
from lifecycle.integrations import signing
from tests.stack import AGENT_PASSWORD
from tests.stack.test_lifecycle_end_to_end import advance, event, outbound, seen, wait_out  # noqa: F401

KARACHI = ZoneInfo("Asia/Karachi")


def now(stack) -> datetime:
    """The lifecycle's clock (moving it by 0 s answers with the time)."""
    raw = json.dumps({"seconds": 0}).encode()
    answer = httpx.post(
        f"{stack.app_url}/lifecycle/dev/clock",
        content=raw,
        headers=signing.headers(stack.env["SAUDA_EVENTS_SECRET"], int(time.time()), raw),
    )
    return datetime.fromisoformat(answer.json()["now"])


def to_next_noon(stack) -> None:
    """Move the clock to the next 12:00 in Karachi, so marketing sends are outside quiet hours."""
    local = now(stack).astimezone(KARACHI)
    noon = local.replace(hour=12, minute=0, second=0, microsecond=0)
    if noon <= local:
        noon += timedelta(days=1)
    advance(stack, (noon - local).total_seconds())


@contextmanager
def lifecycle_db(stack):
    db = Database(f"sqlite:///{stack.data_dir / 'lifecycle.db'}")
    try:
        with db.session() as session:
            yield session
    finally:
        db.engine.dispose()


def signed_post(stack, path: str, body: dict) -> httpx.Response:
    raw = json.dumps(body).encode()
    return httpx.post(
        f"{stack.app_url}{path}",
        content=raw,
        headers=signing.headers(stack.env["SAUDA_EVENTS_SECRET"], int(time.time()), raw),
    )


def wait_for(condition, timeout: float = 15, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


class Agent:
    """A logged-in agent using the console over HTTP (the browser test clicks the same forms)."""

    def __init__(self, stack) -> None:
        self.client = httpx.Client(base_url=stack.app_url, headers={"Accept": "text/html"}, timeout=30)
        answer = self.client.post(
            "/login", data={"username": "agent", "password": AGENT_PASSWORD, "next": "/console/escalations"}
        )
        assert answer.status_code in (302, 303), answer.text

    def page(self, path: str) -> str:
        answer = self.client.get(path)
        assert answer.status_code == 200, answer.text
        return answer.text

    def submit(self, page_path: str, action: str, **fields) -> httpx.Response:
        csrf = re.search(r'name="csrf" value="([^"]+)"', self.page(page_path)).group(1)
        return self.client.post(action, data={"csrf": csrf, **fields})


def new_phone() -> str:
    return f"+92300{secrets.randbelow(10**7):07d}"
