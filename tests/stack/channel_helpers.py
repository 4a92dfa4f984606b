"""What the channel's integration tests share: relaying Meta bodies, reading hook events,
and driving the real WhatsApp output channel from the Rasa environment."""

from __future__ import annotations

import copy
import json
import secrets
import subprocess
import time
from typing import Callable, Optional

import httpx

from tests.stack import ROOT, Stack

RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"


def new_phone() -> str:
    """A fresh valid Pakistani mobile wa_id (digits), so each test has its own chat."""
    return f"92300{secrets.randbelow(10**7):07d}"


def personalise(body: dict, wa_id: str) -> dict:
    """A recorded Meta body with its own wamids and sender, else unchanged: the recorded
    ones share ids ("wamid.xyzxyz") that dedupe would rightly drop after the first."""
    body = copy.deepcopy(body)
    for entry in body.get("entry", []):
        for change in entry.get("changes", []):
            value = change.get("value", {})
            for contact in value.get("contacts", []):
                contact["wa_id"] = wa_id
            for item in value.get("messages", []) + value.get("statuses", []):
                item["id"] = f"wamid.TEST{secrets.token_hex(12)}"
                if "from" in item:
                    item["from"] = wa_id
                if "recipient_id" in item:
                    item["recipient_id"] = wa_id
            for pref in value.get("user_preferences", []):
                pref["wa_id"] = wa_id
    return body


def relay(stack: Stack, body: dict) -> httpx.Response:
    """Post a raw Meta body through the simulator, which signs it like Meta."""
    response = httpx.post(f"{stack.sim_url}/sim/webhook", json=body, timeout=30)
    response.raise_for_status()
    return response


def hook_events(stack: Stack, kind: str, match: Callable[[dict], bool], timeout: float = 8.0) -> list[dict]:
    """The app server's recent channel events of ``kind`` whose data ``match``; waits for one."""
    deadline = time.monotonic() + timeout
    while True:
        response = httpx.get(
            f"{stack.app_url}/internal/channel-events",
            headers={"Authorization": f"Bearer {stack.env['SAUDA_INTERNAL_SECRET']}"},
        )
        response.raise_for_status()
        found = [e["data"] for e in response.json()["events"] if e["kind"] == kind and match(e["data"])]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def transcript(stack: Stack, wa_id: str) -> list[dict]:
    return httpx.get(f"{stack.sim_url}/sim/customers/{wa_id}/transcript").json()["messages"]


def outbound(stack: Stack, wa_id: str) -> list[dict]:
    return [m for m in transcript(stack, wa_id) if m["direction"] == "out"]


def wait_for_outbound(stack: Stack, wa_id: str, count: int, timeout: float = 15.0) -> list[dict]:
    """Waits until ``count`` messages went out to ``wa_id`` (returns what there is at timeout)."""
    deadline = time.monotonic() + timeout
    while len(sent := outbound(stack, wa_id)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return sent


def user_events(stack: Stack, wa_id: str) -> list[dict]:
    return [e for e in stack.tracker("+" + wa_id)["events"] if e["event"] == "user"]


def drive_output(stack: Stack, wa_id: str, messages: list[dict]) -> list[dict]:
    """Send Rasa response dicts through the real WhatsAppOutput (run in the Rasa env with the
    stack's settings and state); returns the send results."""
    script = (
        "import asyncio, json, sys\n"
        "from dataclasses import asdict\n"
        "from bot.channel import WhatsAppInput\n"
        "spec = json.load(sys.stdin)\n"
        "async def main():\n"
        "    output = WhatsAppInput.from_credentials(None).get_output_channel()\n"
        "    for message in spec['messages']:\n"
        "        await output.send_response(spec['recipient'], message)\n"
        "    await output.client.close()\n"
        "    print(json.dumps([asdict(r) for r in output.results]))\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", script],
        cwd=ROOT,
        env=stack.env,
        check=True,
        input=json.dumps({"recipient": "+" + wa_id, "messages": messages}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def say_and_wait(stack: Stack, wa_id: str, text: Optional[str] = None, **spec) -> list[dict]:
    return stack.say("+" + wa_id, text, **spec)["replies"]
