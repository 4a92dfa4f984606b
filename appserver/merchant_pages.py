"""The merchant's pages: dashboard, catalog, settings and templates."""

from __future__ import annotations

from pathlib import Path

from sanic import Sanic

from appserver.auth import Auth
from appserver.catalog_page import catalog_blueprint
from appserver.dashboard import dashboard_blueprint
from appserver.settings_page import settings_blueprint
from appserver.templates_page import templates_blueprint
from lifecycle.service import Lifecycle


def mount_merchant_pages(app: Sanic, auth: Auth, lifecycle: Lifecycle, data_dir: Path) -> None:
    app.blueprint(dashboard_blueprint(auth, lifecycle.db, lifecycle.now))
    app.blueprint(catalog_blueprint(auth, data_dir))
    app.blueprint(settings_blueprint(auth, data_dir, on_save=lifecycle.use_saved))
    app.blueprint(templates_blueprint(auth))
