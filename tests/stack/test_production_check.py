"""``make serve`` refuses to start with a missing, short, published or development secret or
a development switch (scripts/production_check.py, run as the launcher runs it)."""
from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = [sys.executable, str(ROOT / "scripts" / "production_check.py")]
SECRETS = ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN", "SAUDA_INTERNAL_SECRET",
           "RASA_AUTH_TOKEN", "SAUDA_ACTION_SECRET", "SAUDA_SESSION_SECRET", "SAUDA_EVENTS_SECRET")


def good_env(tmp_path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "SAUDA_DATA_DIR": str(tmp_path), "WHATSAPP_PHONE_NUMBER_ID": "100200300400500",
            "SAUDA_PUBLIC_URL": "https://shop.example", **{name: secrets.token_hex(32) for name in SECRETS}}


def check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(CHECK, env=env, capture_output=True, text=True, timeout=30)


def test_a_complete_production_environment_passes(tmp_path):
    answer = check(good_env(tmp_path))
    assert answer.returncode == 0 and answer.stderr == ""


@pytest.mark.parametrize("change, reason", [
    ({"SAUDA_INTERNAL_SECRET": ""}, "SAUDA_INTERNAL_SECRET is not set"),
    ({"RASA_AUTH_TOKEN": "short"}, "RASA_AUTH_TOKEN is shorter"),
    ({"WHATSAPP_VERIFY_TOKEN": "choose-a-long-random-string"}, "example value"),
    ({"SAUDA_DEV_MODE": "1"}, "SAUDA_DEV_MODE is a development setting"),
    ({"SAUDA_USERS": "a:owner:password123"}, "SAUDA_USERS is a development setting"),
    ({"WHATSAPP_GRAPH_BASE_URL": "http://127.0.0.1:5077"}, "plain HTTP"),
])
def test_each_problem_refuses_the_start(tmp_path, change, reason):
    answer = check({**good_env(tmp_path), **change})
    assert answer.returncode == 1 and reason in answer.stderr


def test_make_runs_generated_secrets_are_refused(tmp_path):
    env = good_env(tmp_path)
    (tmp_path / "dev-secrets.env").write_text(f"SAUDA_EVENTS_SECRET={env['SAUDA_EVENTS_SECRET']}\n")
    answer = check(env)
    assert answer.returncode == 1 and "SAUDA_EVENTS_SECRET is a development secret" in answer.stderr
