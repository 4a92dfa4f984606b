"""Simulator settings from the environment; it shares the WhatsApp secrets with the bot."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SimulatorSettings:
    host: str
    port: int
    webhook_url: str
    app_secret: str
    access_token: str
    phone_number_id: str
    display_phone_number: str
    status_delay: float
    quiet_period: float
    templates_path: Optional[Path]  # approved templates (lifecycle/engine/templates.yml); "" for none

    @classmethod
    def from_env(cls) -> "SimulatorSettings":
        return cls(
            host=os.environ.get("SIM_HOST", "127.0.0.1"),
            port=int(os.environ.get("SIM_PORT", "5077")),
            webhook_url=os.environ.get("SIM_WEBHOOK_URL", "http://127.0.0.1:5005/webhooks/whatsapp/webhook"),
            app_secret=os.environ["WHATSAPP_APP_SECRET"],
            access_token=os.environ["WHATSAPP_ACCESS_TOKEN"],
            phone_number_id=os.environ["WHATSAPP_PHONE_NUMBER_ID"],
            display_phone_number=os.environ.get("SIM_DISPLAY_PHONE_NUMBER", "923000000000"),
            status_delay=float(os.environ.get("SIM_STATUS_DELAY", "0.05")),
            quiet_period=float(os.environ.get("SIM_QUIET_PERIOD", "0.4")),
            templates_path=_templates_path(os.environ.get("SIM_TEMPLATES")),
        )


def _templates_path(value: Optional[str]) -> Optional[Path]:
    if value is None:
        return ROOT / "lifecycle" / "engine" / "templates.yml"
    return Path(value) if value else None
