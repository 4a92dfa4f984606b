"""Starts the real processes (WhatsApp simulator, app server, Rasa server) on free ports.

Used by the integration fixtures in conftest.py and by the benchmarks.
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import httpx

from lifecycle.integrations.rasa_auth import bearer_headers

ROOT = Path(__file__).resolve().parents[2]
RASA_BIN = ROOT / ".venv" / "rasa" / "bin" / "rasa"
RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"
APP_PYTHON = ROOT / ".venv" / "app" / "bin" / "python"


MERCHANT_PASSWORD = secrets.token_urlsafe(12)
AGENT_PASSWORD = secrets.token_urlsafe(12)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def private_actions() -> dict[str, str]:
    """Environment of an app server's private action listener: its own port and secret."""
    return {"SAUDA_ACTIONS_PORT": str(free_port()), "SAUDA_ACTION_SECRET": secrets.token_urlsafe(32)}


def trained_model() -> str:
    """Path of the model for the current training data (trains only if it changed), or
    ``$SAUDA_TEST_MODEL`` when set (iterating on code while someone else's data trains)."""
    if os.environ.get("SAUDA_TEST_MODEL"):
        return str(Path(os.environ["SAUDA_TEST_MODEL"]).resolve())
    out = subprocess.run([str(ROOT / "scripts" / "model.sh")], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return str(ROOT / out.stdout.strip().splitlines()[-1])


@dataclass
class Stack:
    """Three running processes and what a test needs to talk to them."""

    data_dir: Path
    env: dict[str, str]
    rasa_url: str
    app_url: str
    sim_url: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)
    health_urls: dict[str, str] = field(default_factory=dict)

    @property
    def webhook_url(self) -> str:
        return f"{self.rasa_url}/webhooks/whatsapp/webhook"

    def say(self, phone: str, text: Optional[str] = None, **spec) -> dict:
        """Send as a customer through the simulator; returns the simulator's answer."""
        if text is not None:
            spec["text"] = text
        response = httpx.post(f"{self.sim_url}/sim/customers/{phone}/send", json=spec, timeout=60)
        response.raise_for_status()
        return response.json()

    def reply_texts(self, phone: str, text: Optional[str] = None, **spec) -> list[str]:
        """The bodies of the bot's replies (text, or interactive body text)."""
        return [message_text(r) for r in self.say(phone, text, **spec)["replies"]]

    def tracker(self, sender_id: str) -> dict:
        response = httpx.get(
            f"{self.rasa_url}/conversations/{sender_id}/tracker",
            headers=bearer_headers(self.env["RASA_AUTH_TOKEN"]), timeout=10,
        )
        response.raise_for_status()
        return response.json()

    def log(self, name: str) -> str:
        path = self.data_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def launch(self, name: str) -> None:
        """Start one process (appending to its log)."""
        log = open(self.data_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            self.commands[name], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def wait_healthy(self, name: str, timeout: float = 900) -> None:
        """Waits for the health check; generous because Rasa loads slowly on a busy machine."""
        deadline = time.monotonic() + timeout
        while True:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log(name)[-3000:]}")
            try:
                if httpx.get(self.health_urls[name], timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer {self.health_urls[name]}:\n{self.log(name)[-3000:]}")
            time.sleep(0.5)

    def restart(self, name: str) -> None:
        """Stop one process and start it again on the same port and data."""
        proc = self.processes[name]
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self.launch(name)
        self.wait_healthy(name)

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def logged_in(base_url: str, name: str, password: str) -> Iterator[httpx.Client]:
    """An API client holding a console session (the cookie the login form sets)."""
    with httpx.Client(base_url=base_url, headers={"Accept": "application/json"}, timeout=10) as client:
        answer = client.post("/login", data={"username": name, "password": password, "next": "/"})
        assert answer.status_code in (302, 303), f"login as {name} failed: {answer.status_code}"
        yield client


def message_text(record: dict) -> str:
    """The readable text of a recorded outbound message."""
    message = record.get("message") or {}
    if record.get("type") == "text":
        return message.get("body", "")
    if record.get("type") == "interactive":
        return (message.get("body") or {}).get("text", "")
    if record.get("type") == "image":
        return message.get("caption", "")
    return ""


def start_stack(data_dir: Path, model: str, extra_env: Optional[dict[str, str]] = None,
                endpoints: str = "endpoints.yml") -> Stack:
    """Start simulator, app server and Rasa; wait for their health checks."""
    data_dir.mkdir(parents=True, exist_ok=True)
    rasa_port, app_port, sim_port = free_port(), free_port(), free_port()
    actions = private_actions()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "HF_HUB_OFFLINE": "1",
        "SAUDA_DATA_DIR": str(data_dir),
        "SAUDA_APP_PORT": str(app_port),
        "SIM_PORT": str(sim_port),
        "WHATSAPP_VERIFY_TOKEN": secrets.token_urlsafe(16),
        "WHATSAPP_APP_SECRET": secrets.token_hex(32),
        "WHATSAPP_ACCESS_TOKEN": secrets.token_urlsafe(32),
        "WHATSAPP_PHONE_NUMBER_ID": "100200300400500",
        "WHATSAPP_GRAPH_BASE_URL": f"http://127.0.0.1:{sim_port}",
        "SIM_WEBHOOK_URL": f"http://127.0.0.1:{rasa_port}/webhooks/whatsapp/webhook",
        **actions,
        "SAUDA_ACTION_URL": f"http://127.0.0.1:{actions['SAUDA_ACTIONS_PORT']}/webhook",
        "SAUDA_HOOKS_URL": f"http://127.0.0.1:{app_port}/internal/channel-events",
        "SAUDA_INTERNAL_SECRET": secrets.token_hex(32),
        "SAUDA_HOOKS_WAIT_S": "10",  # a test may restart Rasa while the app server is down
        "SAUDA_TRACKER_DB": str(data_dir / "trackers.db"),
        "RASA_AUTH_TOKEN": secrets.token_urlsafe(24),
        "SAUDA_RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "SAUDA_EVENTS_SECRET": secrets.token_hex(32),
        "SAUDA_DEV_MODE": "1",
        "SAUDA_PUBLIC_URL": f"http://127.0.0.1:{app_port}",
        "SAUDA_JAZZCASH_ACCOUNT": "03001112222",
        "SAUDA_EASYPAISA_ACCOUNT": "03453334444",
        "SAUDA_WORKER_POLL_S": "0.2",
        "SAUDA_SESSION_SECRET": secrets.token_hex(32),
        "SAUDA_USERS": f"merchant:merchant:{MERCHANT_PASSWORD},agent:agent:{AGENT_PASSWORD}",
        **(extra_env or {}),
    }
    stack = Stack(
        data_dir=data_dir,
        env=env,
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        app_url=f"http://127.0.0.1:{app_port}",
        sim_url=f"http://127.0.0.1:{sim_port}",
    )
    stack.commands = {
        "simulator": [str(APP_PYTHON), "-m", "simulator"],
        "app": [str(APP_PYTHON), "-m", "appserver"],
        "rasa": [str(RASA_PYTHON), "-m", "bot.serve", "--model", model, "--endpoints", endpoints,
                 "--credentials", "credentials.dev.yml", "-i", "127.0.0.1", "--port", str(rasa_port)],
    }
    stack.health_urls = {
        "simulator": f"{stack.sim_url}/health",
        "app": f"{stack.app_url}/health",
        "rasa": f"{stack.rasa_url}/webhooks/whatsapp/",
    }
    for name in stack.commands:
        stack.launch(name)
    try:
        for name in stack.commands:
            stack.wait_healthy(name)
    except Exception:
        stack.stop()
        raise
    return stack


if __name__ == "__main__":  # manual use: python tests/stack/__init__.py DIR
    s = start_stack(Path(sys.argv[1]), trained_model())
    print(s)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        s.stop()
