"""Builds the app server: rasa-sdk's action endpoint with Sauda's blueprints mounted."""
from __future__ import annotations

import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from appserver.auth import Auth, auth_blueprint
from appserver.catalog_api import mount_catalog
from appserver.channel_events import channel_events_blueprint
from appserver.console import mount_engagement
from appserver.lifecycle_api import mount_lifecycle
from appserver.merchant_pages import mount_merchant_pages
from appserver.settings import AppSettings
from appserver.tracking_page import tracking_blueprint

logger = logging.getLogger(__name__)


def build_app(settings: AppSettings) -> Sanic:
    if not settings.internal_secret:
        raise SystemExit("SAUDA_INTERNAL_SECRET is not set (see .env.example)")
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=[])
    lifecycle = mount_lifecycle(app)
    app.blueprint(tracking_blueprint(lifecycle.db, lambda: lifecycle.settings.store_name))
    app.blueprint(channel_events_blueprint(settings.internal_secret, lifecycle.handle_channel_event))
    mount_catalog(app, settings)
    auth = Auth.from_env()
    app.ctx.auth = auth
    app.blueprint(auth_blueprint(auth))
    mount_merchant_pages(app, auth, lifecycle, settings.data_dir)
    mount_engagement(app, lifecycle, auth)
    return app
