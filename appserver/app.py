"""Builds the app server: the public app (tracking pages, shop webhooks, channel events, the
logged-in pages) and, on its own private listener, the action endpoint Rasa calls."""
from __future__ import annotations

import asyncio
import logging

from sanic import Request, Sanic, response

from appserver.action_server import build_action_app, refuse_encoded, serve_beside
from appserver.auth import Auth, auth_blueprint
from appserver.catalog_api import mount_catalog
from appserver.channel_events import channel_events_blueprint
from appserver.console import mount_engagement
from appserver.lifecycle_api import mount_lifecycle
from appserver.merchant_pages import mount_merchant_pages
from appserver.settings import AppSettings
from appserver.tracking_page import storefront, tracking_blueprint
from knowledge.profile import profile_path
from lifecycle.flows import sentiment

logger = logging.getLogger(__name__)


def build_app(settings: AppSettings) -> Sanic:
    if not settings.internal_secret:
        raise SystemExit("SAUDA_INTERNAL_SECRET is not set (see .env.example)")
    app = Sanic("sauda")
    app.config.REQUEST_MAX_SIZE = settings.max_body
    app.on_request(refuse_encoded)

    @app.get("/health")
    async def health(_request: Request):
        return response.json({"status": "ok"})

    lifecycle = mount_lifecycle(app)
    app.blueprint(tracking_blueprint(
        lifecycle.db, lambda: storefront(lifecycle.settings.store_name, profile_path(lifecycle.settings.data_dir)),
        lifecycle.now))
    app.blueprint(channel_events_blueprint(settings.internal_secret, lifecycle.take_channel_event))
    mount_catalog(app, settings)
    auth = Auth.from_env(lifecycle.db, lifecycle.settings.dev_mode)
    app.ctx.auth = auth
    app.blueprint(auth_blueprint(auth))
    mount_merchant_pages(app, auth, lifecycle, settings.data_dir)
    mount_engagement(app, lifecycle, auth)
    serve_beside(app, build_action_app(settings.action_secret, settings.max_action_body),
                 settings.actions_host, settings.actions_port)

    @app.after_server_start
    async def train_feedback_classifier(app_, _loop=None):
        # ~2-4 s of numpy, kept in memory: trained now, not on the first customer's CSAT answer
        app_.add_task(asyncio.to_thread(sentiment.model))

    return app
