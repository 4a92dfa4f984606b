"""Refuses a production start (``make serve``) with a missing, short, published or development
secret, or with development switches on. Exit 0 and no output when everything is in place;
otherwise exit 1 with one line per problem. Reads the environment only (stdlib)."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRETS = ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN", "SAUDA_INTERNAL_SECRET",
           "RASA_AUTH_TOKEN", "SAUDA_ACTION_SECRET", "SAUDA_SESSION_SECRET", "SAUDA_EVENTS_SECRET")
REQUIRED = ("WHATSAPP_PHONE_NUMBER_ID", "SAUDA_PUBLIC_URL")
DEVELOPMENT_ONLY = ("SAUDA_DEV_MODE", "SAUDA_USERS", "SIM_WEBHOOK_URL")
MIN_SECRET = 24


def example_values() -> set[str]:
    """Every value .env.example shows: published, so never a secret."""
    values = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^[A-Z0-9_]+=(\S+)", line)
        if match:
            values.add(match.group(1))
    return values


def development_values(env: dict[str, str]) -> set[str]:
    """The secrets `make run` generated (.sauda/dev-secrets.env) are for development only."""
    path = Path(env.get("SAUDA_DATA_DIR", ".sauda")) / "dev-secrets.env"
    if not path.exists():
        return set()
    return {line.partition("=")[2].strip() for line in path.read_text().splitlines() if "=" in line}


def problems(env: dict[str, str]) -> list[str]:
    found = []
    published, development = example_values(), development_values(env)
    for name in SECRETS:
        value = env.get(name, "")
        if not value:
            found.append(f"{name} is not set")
        elif len(value) < MIN_SECRET:
            found.append(f"{name} is shorter than {MIN_SECRET} characters")
        elif value in published:
            found.append(f"{name} is the example value from .env.example")
        elif value in development:
            found.append(f"{name} is a development secret from dev-secrets.env")
    found += [f"{name} is not set" for name in REQUIRED if not env.get(name)]
    found += [f"{name} is a development setting: unset it" for name in DEVELOPMENT_ONLY if env.get(name)]
    if env.get("WHATSAPP_GRAPH_BASE_URL", "https://graph.facebook.com").startswith("http://"):
        found.append("WHATSAPP_GRAPH_BASE_URL is plain HTTP (the simulator?): use https://graph.facebook.com")
    return found


def main() -> int:
    found = problems(dict(os.environ))
    for problem in found:
        print(f"refusing to start: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
