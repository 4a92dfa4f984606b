"""``make serve`` (scripts/serve.sh) starts the production set: Rasa without the REST channel,
the app server without the dev clock, the worker, no simulator; and it refuses a development
environment before starting anything."""
from __future__ import annotations

import secrets
import subprocess

import httpx

from tests.stack import ROOT, Stack, free_port

SECRETS = ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN", "SAUDA_INTERNAL_SECRET",
           "RASA_AUTH_TOKEN", "SAUDA_ACTION_SECRET", "SAUDA_SESSION_SECRET", "SAUDA_EVENTS_SECRET")


def production_env(data_dir, model: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "SAUDA_ENV_FILE": "/nonexistent",
            "SAUDA_DATA_DIR": str(data_dir), "SAUDA_MODEL": model, "SAUDA_APP_PORT": str(free_port()),
            "SAUDA_RASA_PORT": str(free_port()), "WHATSAPP_PHONE_NUMBER_ID": "100200300400500",
            "SAUDA_PUBLIC_URL": "https://shop.example", **{name: secrets.token_hex(32) for name in SECRETS}}


def test_serve_starts_the_production_processes_only(tmp_path, model):
    env = production_env(tmp_path, model)
    app, rasa = f"http://127.0.0.1:{env['SAUDA_APP_PORT']}", f"http://127.0.0.1:{env['SAUDA_RASA_PORT']}"
    running = Stack(data_dir=tmp_path, env=env, rasa_url=rasa, app_url=app, sim_url="",
                    commands={"serve": [str(ROOT / "scripts" / "serve.sh")]},
                    health_urls={"serve": f"{rasa}/webhooks/whatsapp/"})
    running.launch("serve")
    try:
        running.wait_healthy("serve")
        assert httpx.get(f"{app}/health", timeout=5).status_code == 200
        assert httpx.post(f"{rasa}/webhooks/rest/webhook", json={"sender": "x", "message": "hi"},
                          timeout=5).status_code == 404  # no REST channel
        assert httpx.post(f"{app}/lifecycle/dev/clock", content=b"{}", timeout=5).status_code in (401, 404)
        workers = subprocess.run(["pgrep", "-f", "-P", str(running.processes["serve"].pid), "lifecycle worker"],
                                 capture_output=True, text=True).stdout.split()
        assert workers, running.log("serve")[-2000:]
        assert "simulator" not in subprocess.run(["pgrep", "-a", "-P", str(running.processes["serve"].pid)],
                                                 capture_output=True, text=True).stdout
    finally:
        running.stop()


def test_serve_refuses_development_settings_before_starting_anything(tmp_path, model):
    env = {**production_env(tmp_path, model), "SAUDA_DEV_MODE": "1"}
    answer = subprocess.run([str(ROOT / "scripts" / "serve.sh")], env=env, capture_output=True, text=True,
                            timeout=60)
    assert answer.returncode == 1 and "SAUDA_DEV_MODE is a development setting" in answer.stderr
    assert not (tmp_path / "lifecycle.db").exists()
