"""Builds the app server: rasa-sdk's action endpoint with Sauda's blueprints mounted."""
from __future__ import annotations

import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from appserver.channel_events import channel_events_blueprint
from appserver.settings import AppSettings

logger = logging.getLogger(__name__)


def log_channel_event(kind: str, data: dict) -> None:
    logger.info("channel event %s: %s", kind, data.get("wamid") or data.get("wa_id"))


def build_app(settings: AppSettings) -> Sanic:
    if not settings.internal_secret:
        raise SystemExit("SAUDA_INTERNAL_SECRET is not set (see .env.example)")
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=[])
    app.blueprint(channel_events_blueprint(settings.internal_secret, log_channel_event))
    return app
