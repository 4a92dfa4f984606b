"""App server settings, read once from the environment (see .env.example)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AppSettings:
    host: str
    port: int
    data_dir: Path
    internal_secret: str
    merchant_token: str = ""  # bearer token of the merchant API (catalog upload)
    action_secret: str = ""  # Rasa's bearer token on the private action listener
    actions_host: str = "127.0.0.1"  # loopback or a private interface: never the public one
    actions_port: int = 5056
    max_body: int = 4 * 1024 * 1024  # the public listener (catalog uploads are the largest)
    max_action_body: int = 8 * 1024 * 1024  # Rasa posts the whole tracker with each action call

    @classmethod
    def from_env(cls) -> "AppSettings":
        return cls(
            host=os.environ.get("SAUDA_APP_HOST", "127.0.0.1"),
            port=int(os.environ.get("SAUDA_APP_PORT", "5055")),
            data_dir=Path(os.environ.get("SAUDA_DATA_DIR", ".sauda")),
            internal_secret=os.environ.get("SAUDA_INTERNAL_SECRET", ""),
            merchant_token=os.environ.get("SAUDA_MERCHANT_TOKEN", ""),
            action_secret=os.environ.get("SAUDA_ACTION_SECRET", ""),
            actions_host=os.environ.get("SAUDA_ACTIONS_HOST", "127.0.0.1"),
            actions_port=int(os.environ.get("SAUDA_ACTIONS_PORT", "5056")),
            max_body=int(os.environ.get("SAUDA_MAX_BODY", str(cls.max_body))),
            max_action_body=int(os.environ.get("SAUDA_MAX_ACTION_BODY", str(cls.max_action_body))),
        )
