"""The merchant catalog upload over real HTTP: token required, problems returned, the live
catalog switched, the demo store loaded at start."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import time

import httpx
import pytest

from tests.knowledge.test_importers import GOOD_SHOPIFY, shopify
from tests.stack import APP_PYTHON, ROOT, free_port

TOKEN = secrets.token_urlsafe(16)


def serve(data_dir, token: str):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "SAUDA_DATA_DIR": str(data_dir),
           "SAUDA_APP_PORT": str(port), "SAUDA_MERCHANT_TOKEN": token}
    log = open(data_dir / "server.log", "wb")
    process = subprocess.Popen([str(APP_PYTHON), "-m", "tests.knowledge.catalog_server"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((data_dir / "server.log").read_text())
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("catalog server did not start")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("catalog-api")
    process, url = serve(data_dir, TOKEN)
    yield url
    process.terminate()
    process.wait(timeout=20)


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_the_demo_store_is_live_at_start(server):
    r = httpx.get(f"{server}/catalog/", headers=AUTH)
    assert r.status_code == 200 and r.json()["products"] == 50


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_upload_without_the_token_is_refused(server, headers):
    r = httpx.post(f"{server}/catalog/import?filename=p.csv", content=GOOD_SHOPIFY, headers=headers)
    assert r.status_code == 401
    assert httpx.get(f"{server}/catalog/", headers=AUTH).json()["products"] == 50


def test_a_bad_file_returns_every_problem_and_keeps_the_catalog(server):
    before = httpx.get(f"{server}/catalog/", headers=AUTH).json()
    bad = shopify("a,,,,,,TRUE,Title,Default Title,,,,,A-1,-1,abc,,,active")
    r = httpx.post(f"{server}/catalog/import?filename=bad.csv", content=bad, headers=AUTH)
    assert r.status_code == 422
    found = {(p["row"], p["column"]) for p in r.json()["problems"]}
    assert found == {(2, "Title"), (2, "Variant Price"), (2, "Variant Inventory Qty")}
    assert httpx.get(f"{server}/catalog/", headers=AUTH).json() == before


def test_dry_run_shows_changes_without_publishing(server):
    before = httpx.get(f"{server}/catalog/", headers=AUTH).json()
    r = httpx.post(f"{server}/catalog/import?filename=p.csv&dry_run=1", content=GOOD_SHOPIFY, headers=AUTH)
    assert r.status_code == 200 and r.json()["imported"] is False
    assert sorted(r.json()["changes"]["added"]) == ["dupatta", "kurta"]
    assert len(r.json()["changes"]["removed"]) == 50
    assert httpx.get(f"{server}/catalog/", headers=AUTH).json() == before


def test_multipart_upload_publishes_and_reports_changes(server):
    r = httpx.post(f"{server}/catalog/import", headers=AUTH,
                   files={"file": ("products_export.csv", GOOD_SHOPIFY, "text/csv")})
    body = r.json()
    assert r.status_code == 200 and body["imported"] is True, body
    assert body["format"] == "shopify" and body["products"] == 2
    assert sorted(body["skipped"]) == ["draft-suit", "old-suit"]
    assert sorted(body["changes"]["added"]) == ["dupatta", "kurta"]
    live = httpx.get(f"{server}/catalog/", headers=AUTH).json()
    assert live == {"version": body["version"], "products": 2}


def test_without_a_configured_token_the_api_is_closed(tmp_path):
    process, url = serve(tmp_path, "")
    try:
        r = httpx.post(f"{url}/catalog/import?filename=p.json", content=json.dumps({"products": []}))
        assert r.status_code == 404 and "SAUDA_MERCHANT_TOKEN" in r.json()["error"]
    finally:
        process.terminate()
        process.wait(timeout=20)
