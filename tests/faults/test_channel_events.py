"""Channel events that cannot be applied are parked with their reason and hold up nothing;
any country's number is a customer; a channel with the wrong secret does not start."""
from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import time

import pytest

from bot.hooks import HookForwarder, LifecycleHooks, hook_body
from bot.state import open_state
from tests.security.helpers import MERCHANT, app_only
from tests.stack import ROOT, logged_in

RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"
OTHERS = ["971501234567", "447911123456", "14155550123", "923001234567", "923451234567"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    stack = app_only(tmp_path_factory.mktemp("events"), SAUDA_DEAD_LETTER_ALERT="2")
    yield stack
    stack.stop()


def customers(app) -> dict[str, tuple]:
    with sqlite3.connect(app.data_dir / "lifecycle.db") as db:
        return {phone: (inbound, opted_out) for phone, inbound, opted_out in
                db.execute("SELECT phone, last_inbound_at, opted_out_at FROM customers")}


def inbound(wa_id: str, n: int) -> bytes:
    return hook_body("inbound", {"wa_id": wa_id, "wamid": f"wamid.F{wa_id}{n}", "type": "text", "text": "salam"})


def test_a_poisoned_event_is_parked_and_every_later_event_is_applied_within_5_s(app, tmp_path):
    poisoned = [hook_body("inbound", {"wa_id": "not-a-number", "wamid": "wamid.P1", "type": "text"}),
                hook_body("status", {"wamid": "wamid.P2"})]  # no status field
    later = [inbound(wa_id, n) for n in range(4) for wa_id in OTHERS]
    later.append(hook_body("marketing_preference", {"wa_id": OTHERS[0], "value": "stop"}))
    state = open_state(f"sqlite:///{tmp_path}/channel.db")
    hooks = LifecycleHooks(f"{app.app_url}/internal/channel-events", app.env["SAUDA_INTERNAL_SECRET"])

    async def forward() -> float:
        await state.queue_hooks(poisoned + later)
        started = time.monotonic()
        forwarder = HookForwarder(hooks, state)
        forwarder.start()
        while await state.queued_hooks():
            assert time.monotonic() - started < 5, "events still queued after 5 s"
            await asyncio.sleep(0.05)
        return time.monotonic() - started

    took = asyncio.run(forward())
    seen = customers(app)
    assert all(seen.get("+" + wa_id, (None,))[0] for wa_id in OTHERS), seen
    assert seen["+" + OTHERS[0]][1] is not None  # the STOP after the poison took effect
    print(f"\n{len(later)} events after 2 poisoned ones applied in {took:.2f} s")

    with logged_in(app.app_url, *MERCHANT) as merchant:
        page = merchant.get("/console/dead-letters").json()
        assert page["waiting"] == 2 and page["alert"] is True
        reasons = {letter["kind"]: letter["reason"] for letter in page["letters"]}
        assert "InvalidPhone" in reasons["inbound"] and "KeyError" in reasons["status"]
        letter = next(letter for letter in page["letters"] if letter["kind"] == "inbound")
        again = merchant.post(f"/console/dead-letters/{letter['id']}/retry", headers={"X-CSRF-Token": page["csrf"]})
        assert again.json()["outcome"] == "parked"
        assert merchant.get("/console/dead-letters").json()["letters"][0]["attempts"] == 2
        html = merchant.get("/console/dead-letters", headers={"Accept": "text/html"}).text
        assert 'id="dead-letter-alert"' in html


def channel_start(app, secret: str, tmp_path) -> subprocess.CompletedProcess:
    """Construct the WhatsApp channel in the Rasa environment the way ``rasa run`` does."""
    env = {**app.env, "SAUDA_INTERNAL_SECRET": secret, "WHATSAPP_VERIFY_TOKEN": "v", "WHATSAPP_APP_SECRET": "a",
           "WHATSAPP_ACCESS_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "1", "SAUDA_HOOKS_WAIT_S": "5",
           "SAUDA_HOOKS_URL": f"{app.app_url}/internal/channel-events",
           "WHATSAPP_STATE_URL": f"sqlite:///{tmp_path}/channel.db"}
    return subprocess.run([str(RASA_PYTHON), "-c", "from bot.channel import WhatsAppInput; "
                           "WhatsAppInput.from_credentials(None); print('started')"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_channel_refuses_to_start_with_a_wrong_or_missing_internal_secret(app, tmp_path):
    wrong = channel_start(app, "not-the-app-servers-secret", tmp_path)
    assert wrong.returncode != 0 and "started" not in wrong.stdout
    assert "answered 401" in wrong.stderr
    missing = channel_start(app, "", tmp_path)
    assert missing.returncode != 0 and "SAUDA_INTERNAL_SECRET" in missing.stderr
    right = channel_start(app, app.env["SAUDA_INTERNAL_SECRET"], tmp_path)
    assert right.returncode == 0 and "started" in right.stdout, right.stderr[-2000:]
