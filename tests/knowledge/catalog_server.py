"""Serves only the catalog API (for test_catalog_api.py): ``python -m tests.knowledge.catalog_server``."""
from __future__ import annotations

from sanic import Sanic, response

from appserver.catalog_api import mount_catalog
from appserver.settings import AppSettings

settings = AppSettings.from_env()
app = Sanic("catalog_api_test")
mount_catalog(app, settings)


@app.get("/health")
async def health(request):
    return response.json({"status": "ok"})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=settings.port, single_process=True, access_log=False, motd=False)
