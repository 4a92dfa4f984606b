"""Catalog page for the merchant: upload a catalog file and see the importer's row-level
problems, the live version, what the last import changed, and products out of stock.
A thin layer over knowledge/ (import_bytes, the versioned store, diff)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Optional

from sanic import Blueprint, Request, response

from appserver.auth import Auth, require
from appserver.pages import page
from knowledge.catalog import Catalog, CatalogDiff, diff
from knowledge.importers import import_bytes
from knowledge.live import knowledge_base
from knowledge.problems import ImportRefused


def out_of_stock(catalog: Catalog) -> list[dict[str, Any]]:
    """Products with no variant in stock, and products with some variants sold out."""
    rows = []
    for product in catalog.products.values():
        gone = [v for v in product.variants if not v.in_stock]
        if gone:
            rows.append(
                {
                    "title": product.title,
                    "all": len(gone) == len(product.variants),
                    "variants": ", ".join(" / ".join(v.options.values()) or v.sku for v in gone),
                }
            )
    return sorted(rows, key=lambda r: (not r["all"], r["title"]))


def catalog_blueprint(auth: Auth, data_dir: Path) -> Blueprint:
    bp = Blueprint("catalog_page", url_prefix="/catalog/manage")
    kb = knowledge_base(data_dir)

    def state() -> dict[str, Any]:
        """The live version, its products out of stock, and what it changed from the one before."""
        store = kb.store
        live, version = kb.search(), store.current_version()
        catalog = live.catalog if live else Catalog()
        kept = (
            sorted(p.name for p in store.versions.iterdir() if not p.name.startswith("."))
            if store.versions.exists()
            else []
        )
        before = kept[kept.index(version) - 1] if version in kept and kept.index(version) > 0 else None
        previous = store.load(before) if before else None
        return {
            "version": version,
            "products": len(catalog),
            "out_of_stock": out_of_stock(catalog),
            "changes": diff(previous.catalog if previous else None, catalog) if live else None,
        }

    def upload(data: bytes, name: str) -> dict[str, Any]:
        try:
            result = import_bytes(data, name)
        except ImportRefused as refused:
            return {"refused": refused.problems, "file": name}
        published = kb.store.publish(result.catalog, source=name)
        kb.search()
        return {
            "published": published.version,
            "file": name,
            "warnings": result.warnings,
            "skipped": result.skipped,
            "upload_changes": published.changes,
        }

    def render(request: Request, status: int = 200, outcome: Optional[dict] = None):
        return response.html(
            page(
                request, auth, "catalog.html", "/catalog/manage", outcome=outcome or {}, change_count=_count, **state()
            ),
            status=status,
        )

    @bp.get("/")
    @require(auth, "merchant")
    async def catalog_page(request: Request):
        return await asyncio.to_thread(render, request)

    @bp.post("/")
    @require(auth, "merchant")
    async def catalog_upload(request: Request):
        file = request.files.get("file") if request.files else None
        if file is None or not file.body:
            return await asyncio.to_thread(render, request, 400, {"missing": True})
        outcome = await asyncio.to_thread(upload, file.body, file.name or "upload")
        return await asyncio.to_thread(render, request, 422 if "refused" in outcome else 200, outcome)

    return bp


def _count(changes: Optional[CatalogDiff]) -> int:
    return len(changes.added) + len(changes.removed) + len(changes.changed) if changes else 0
