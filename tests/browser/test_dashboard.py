"""The merchant's pages in headless Chromium (Debian's chromium, never `playwright install`):
log in, read the overview's numbers and charts, download a CSV, see the cancellation charts,
upload a catalog with a bad row, change a touchpoint setting, export templates. Screenshots
of every page go to results/screenshots/ (and the overview to docs/screenshots/ for the README).

Only the app server runs (the pages need no Rasa), on a data dir with generated demo history.
"""
from __future__ import annotations

import csv
import json
import secrets
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lifecycle.analytics.demo_history import generate
from lifecycle.analytics.metrics import Report
from lifecycle.analytics.period import STORE_ZONE, Period
from lifecycle.db.engine import Database
from tests.stack import APP_PYTHON, MERCHANT_PASSWORD, ROOT, Stack, free_port, private_actions

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "results" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("dashboard")
    db = Database(f"sqlite:///{data_dir / 'lifecycle.db'}").migrate()
    with db.session.begin() as session:
        generate(session, datetime.now(timezone.utc), orders=1500)
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "RASA_TELEMETRY_ENABLED": "false",
           "SAUDA_DATA_DIR": str(data_dir), "SAUDA_APP_PORT": str(port), "SAUDA_WORKER": "off",
           "SAUDA_INTERNAL_SECRET": secrets.token_hex(16), "SAUDA_SESSION_SECRET": secrets.token_hex(16),
           "SAUDA_USERS": f"merchant:merchant:{MERCHANT_PASSWORD}", "SAUDA_DEV_MODE": "1", **private_actions()}
    url = f"http://127.0.0.1:{port}"
    server = Stack(data_dir=data_dir, env=env, rasa_url="", app_url=url, sim_url="",
                   commands={"app": [str(APP_PYTHON), "-m", "appserver"]}, health_urls={"app": f"{url}/health"})
    server.launch("app")
    try:
        server.wait_healthy("app")
        yield server, db
    finally:
        server.stop()
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page(app, browser):
    server, _ = app
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.goto(f"{server.app_url}/dashboard")  # not logged in: sent to the login page
    assert "/login" in tab.url
    tab.fill("input[name=username]", "merchant")
    tab.fill("input[name=password]", MERCHANT_PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/dashboard")
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield tab
    context.close()


def shot(tab, name: str) -> Path:
    path = SHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def test_overview_numbers_charts_and_csv(app, page, tmp_path):
    server, db = app
    page.goto(f"{server.app_url}/dashboard?days=30")
    period = Period.days_ending(datetime.now(STORE_ZONE).date(), 30)
    with db.session() as session:
        report = Report(session, period)
        expected, cities = report.headline(), report["rto_by_city"].rows
    assert page.inner_text("#kpi-orders .value") == f"{expected['orders']:,}"
    assert page.inner_text("#kpi-cod_share .value") == f"{expected['cod_share']:.1%}"
    assert page.inner_text("#kpi-rto_rate .value") == f"{expected['rto_rate']:.1%}"
    assert "RTO rate = returned ÷ dispatched in the period" in page.inner_text("#kpi-rto_rate")
    assert page.locator("svg.chart").count() == 10  # one per breakdown
    assert page.locator("#orders_trend svg polyline.series").count() == 2  # this period and the one before
    overview = shot(page, "overview")
    docs = ROOT / "docs" / "screenshots"
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copy(overview, docs / "overview.png")

    with page.expect_download() as download:
        page.click("#rto_by_city a.csv")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    rows = list(csv.reader(saved.open()))
    assert rows[0] == ["city", "dispatched", "returned", "rto_rate"]
    assert [(r[0], int(r[1]), int(r[2])) for r in rows[1:]] == [(c, d, r) for c, d, r, _ in cities]


def test_cancellation_reasons_page(app, page):
    server, _ = app
    page.goto(f"{server.app_url}/dashboard/cancellations?days=90")
    for key in ("cancellation_reasons", "cancellations_trend", "cancellations_by_product", "cancellations_by_city",
                "cancellations_by_payment_method"):
        assert page.locator(f"#{key} svg.chart").count() == 1, key
        assert page.locator(f"#{key} a.csv").count() == 1, key
    assert page.locator("#cancellations_trend svg rect").count() > 10  # stacked bars
    shot(page, "cancellations")


def test_catalog_upload_shows_the_bad_row(app, page, tmp_path):
    server, _ = app
    page.goto(f"{server.app_url}/catalog/manage")
    assert "products" in page.inner_text("#version")
    bad = tmp_path / "products.csv"
    bad.write_text("product_id,title,price,stock\nkurta-1,Good Kurta,1200,4\nkurta-2,Bad Kurta,abc,2\n")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#upload button[type=submit]")
    problem = page.locator("#import-errors tr.problem")
    assert problem.count() == 1
    assert problem.inner_text().split("\t")[:2] == ["3", "price"]  # spreadsheet row 3, the price column
    assert "abc" in problem.inner_text()
    shot(page, "catalog")


def test_settings_show_their_effect(app, page):
    server, _ = app
    page.goto(f"{server.app_url}/settings")
    assert "stage 2 24 h after" in page.inner_text("#touchpoints .effects")
    page.fill("input[name=cart_stage_2]", "600")
    page.click("#touchpoints button[type=submit]")
    assert "stage 2 10 h after" in page.inner_text("#touchpoints .effects")
    page.fill("input[name=cart_stage_2]", "5")  # before stage 1: refused with the reason
    page.click("#touchpoints button[type=submit]")
    assert "must come one after another" in page.inner_text("#touchpoints .error")
    shot(page, "settings")


def test_templates_page_and_meta_export(app, page, tmp_path):
    server, _ = app
    page.goto(f"{server.app_url}/templates")
    row = page.inner_text("#template-cod_confirmation")
    assert "sauda_cod_confirmation" in row and "UTILITY" in row and "ur, en" in row and "order_ref" in row
    with page.expect_download() as download:
        page.click("#export-all")
    saved = tmp_path / "all.json"
    download.value.save_as(saved)
    exported = json.loads(saved.read_text())
    first = next(t for t in exported if t["name"] == "sauda_cod_confirmation" and t["language"] == "en")
    assert first["category"] == "UTILITY" and first["components"][0]["text"].startswith("Hello {{1}}!")
    assert [b["type"] for b in first["components"][1]["buttons"]] == ["QUICK_REPLY", "QUICK_REPLY"]
    shot(page, "templates")
