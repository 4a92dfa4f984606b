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

    @classmethod
    def from_env(cls) -> "AppSettings":
        return cls(
            host=os.environ.get("SAUDA_APP_HOST", "127.0.0.1"),
            port=int(os.environ.get("SAUDA_APP_PORT", "5055")),
            data_dir=Path(os.environ.get("SAUDA_DATA_DIR", ".sauda")),
            internal_secret=os.environ.get("SAUDA_INTERNAL_SECRET", ""),
            merchant_token=os.environ.get("SAUDA_MERCHANT_TOKEN", ""),
        )
