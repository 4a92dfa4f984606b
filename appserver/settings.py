"""App server settings, read once from the environment (see .env.example); an invalid value stops
the start with the variable's name (lifecycle/config/environment.py)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from lifecycle.config.environment import DEFAULT_DATA_DIR, Environment
from lifecycle.config.settings import DEFAULT_APP_PORT


@dataclass(frozen=True)
class AppSettings:
    host: str = "127.0.0.1"
    port: int = DEFAULT_APP_PORT
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    internal_secret: str = ""
    merchant_token: str = ""  # bearer token of the merchant API (catalog upload)
    action_secret: str = ""  # Rasa's bearer token on the private action listener
    actions_host: str = "127.0.0.1"  # loopback or a private interface: never the public one
    actions_port: int = 5056
    max_body: int = 4 * 1024 * 1024  # the public listener (catalog uploads are the largest)
    max_action_body: int = 8 * 1024 * 1024  # Rasa posts the whole tracker with each action call

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "AppSettings":
        read, d = Environment(env), cls()
        return cls(
            host=read.text("SAUDA_APP_HOST", d.host),
            port=read.integer("SAUDA_APP_PORT", d.port, 1, 65535),
            data_dir=read.data_dir(),
            internal_secret=read.text("SAUDA_INTERNAL_SECRET"),
            merchant_token=read.text("SAUDA_MERCHANT_TOKEN"),
            action_secret=read.text("SAUDA_ACTION_SECRET"),
            actions_host=read.text("SAUDA_ACTIONS_HOST", d.actions_host),
            actions_port=read.integer("SAUDA_ACTIONS_PORT", d.actions_port, 1, 65535),
            max_body=read.integer("SAUDA_MAX_BODY", d.max_body, low=1024),
            max_action_body=read.integer("SAUDA_MAX_ACTION_BODY", d.max_action_body, low=1024),
        )
