"""Builds the app server: rasa-sdk's action endpoint with Sauda's blueprints mounted."""
from __future__ import annotations

import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from appserver.channel_events import channel_events_blueprint
from appserver.lifecycle_api import mount_lifecycle
from appserver.settings import AppSettings

logger = logging.getLogger(__name__)


def build_app(settings: AppSettings) -> Sanic:
    if not settings.internal_secret:
        raise SystemExit("SAUDA_INTERNAL_SECRET is not set (see .env.example)")
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=[])
    lifecycle = mount_lifecycle(app)
    app.blueprint(channel_events_blueprint(settings.internal_secret, lifecycle.handle_channel_event))
    return app
