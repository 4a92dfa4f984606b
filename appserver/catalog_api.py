"""Merchant catalog API: upload a catalog file (Shopify export, CSV or JSON) and see the
live version. Every route needs ``Authorization: Bearer <SAUDA_MERCHANT_TOKEN>``; with no
token configured the routes refuse every request."""

from __future__ import annotations

import asyncio
import hmac
import logging

from sanic import Blueprint, Request, Sanic, response

from appserver.settings import AppSettings
from knowledge.catalog import diff
from knowledge.importers import import_bytes
from knowledge.live import knowledge_base
from knowledge.problems import ImportRefused

logger = logging.getLogger(__name__)


def _authorized(request: Request, token: str) -> bool:
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def catalog_blueprint(settings: AppSettings) -> Blueprint:
    bp = Blueprint("catalog", url_prefix="/catalog")
    kb = knowledge_base(settings.data_dir)

    @bp.on_request
    async def require_token(request: Request):
        if not settings.merchant_token:
            return response.json({"error": "catalog API disabled: set SAUDA_MERCHANT_TOKEN"}, status=404)
        if not _authorized(request, settings.merchant_token):
            return response.json({"error": "unauthorized"}, status=401)

    @bp.post("/import")
    async def upload(request: Request):
        """Body: the file itself (``?filename=products.csv``) or multipart field ``file``.
        ``?dry_run=1`` validates and shows the changes without publishing."""
        upload = request.files.get("file") if request.files else None
        data, name = (upload.body, upload.name) if upload else (request.body, request.args.get("filename", "upload"))
        try:
            result = await asyncio.to_thread(import_bytes, data, name)
        except ImportRefused as refused:
            return response.json({"imported": False, "problems": [p.as_dict() for p in refused.problems]}, status=422)
        body = {
            "format": result.format,
            "products": len(result.catalog),
            "skipped": result.skipped,
            "warnings": [p.as_dict() for p in result.warnings],
        }
        if request.args.get("dry_run") in ("1", "true"):
            live = await asyncio.to_thread(kb.search)
            changes = diff(live.catalog if live else None, result.catalog)
            return response.json({"imported": False, "dry_run": True, **body, "changes": changes.__dict__})
        published = await asyncio.to_thread(kb.store.publish, result.catalog, name)
        await asyncio.to_thread(kb.search)  # load it here now rather than on the next question
        logger.info("catalog %s imported as %s: %s", name, published.version, published.changes.summary())
        return response.json(
            {
                "imported": True,
                **body,
                "version": published.version,
                "index": published.index_kind,
                "changes": published.changes.__dict__,
            }
        )

    @bp.get("/")
    async def current(request: Request):
        live = await asyncio.to_thread(kb.search)
        return response.json({"version": kb.store.current_version(), "products": len(live.catalog) if live else 0})

    return bp


def mount_catalog(app: Sanic, settings: AppSettings) -> None:
    """Adds the catalog API and loads the catalog (the demo store if none) before serving."""
    app.blueprint(catalog_blueprint(settings))

    @app.before_server_start
    async def load_catalog(app_, _loop=None):
        await asyncio.to_thread(knowledge_base(settings.data_dir).ensure_catalog)
