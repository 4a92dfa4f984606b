"""The public tracking page over real HTTP, reading the real lifecycle database."""

import re
from datetime import datetime, timezone

import httpx
import pytest
import pytest_asyncio

from appserver.tracking_page import TOKEN, Storefront, storefront, tracking_blueprint
from lifecycle.db.models import new_tracking_token
from lifecycle.integrations.couriers import Scan, State
from lifecycle.integrations.couriers.recording import ScanRecorder
from tests.fakes.lifecycle_db import ADDRESS, CITY, Lifecycle
from tests.fakes.serving import new_app, serve
from tests.unit.lifecycle.conftest import sqlite_db  # noqa: F401  (fixture)

pytestmark = pytest.mark.asyncio

STORE = "Noor Lawn House"
CN = "LE7512345678"


@pytest_asyncio.fixture
async def site(sqlite_db):
    lifecycle = Lifecycle(sqlite_db)
    app = new_app("tracking_page_test")
    app.blueprint(tracking_blueprint(lifecycle.db, lambda: Storefront(STORE), lifecycle.clock.now))
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=5) as http:
        yield lifecycle, http


def scan(raw, state, at, detail=""):
    return Scan("leopards", CN, raw, state, at, detail)


def record(lifecycle, *scans):
    recorder = ScanRecorder(lifecycle.db, lifecycle.settings, lifecycle.clock)
    for s in scans:
        assert recorder.record(s)


def text(html: str) -> str:
    """The page's visible words, tags stripped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


async def test_page_shows_store_items_courier_cn_and_timeline_newest_first(site):
    lifecycle, http = site
    token = lifecycle.book("leopards", CN).tracking_token
    record(
        lifecycle,
        scan("Consignment Booked", State.BOOKED, datetime(2026, 11, 19, 6, 0, tzinfo=timezone.utc)),
        scan("Arrived at Station", State.IN_TRANSIT, datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)),
        scan("Assign to Courier", State.OUT_FOR_DELIVERY, datetime(2026, 11, 21, 4, 15, tzinfo=timezone.utc)),
    )
    r = await http.get(f"/track/{token}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = text(r.text)
    for expected in (STORE, "SD-1001", "2 x Lawn 3-piece (M, white)", "1 x Khussa", "Leopards Courier", CN):
        assert expected in page
    # the current state on top, in English and Roman Urdu, at 04:15 UTC shown in Pakistan time
    assert "SD-1001 Out for delivery Rider aaj parcel le kar aa raha hai 21 Nov 2026, 09:15 AM" in page
    steps = re.findall(r"<li class=\"state-(\w+)\">", r.text)
    assert steps == ["out_for_delivery", "in_transit", "booked"]
    assert "In transit · Parcel raste mein hai 20 Nov 2026, 08:00 AM" in page


async def test_page_never_shows_phone_address_receiver_or_courier_remarks(site):
    lifecycle, http = site
    token = lifecycle.book("leopards", CN).tracking_token
    record(
        lifecycle,
        scan(
            "Pending",
            State.ATTEMPTED,
            datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc),
            "Consignee not available, called 03001234567 at House 12",
        ),
    )
    html = (await http.get(f"/track/{token}")).text
    digits = re.sub(r"\D", "", html)
    assert "3001234567" not in digits
    for private in (ADDRESS, "House 12", "Gulberg", "Ayesha", "Consignee not available"):
        assert private not in html
    assert "<text" in html and CITY in html  # the destination city, on the map only (issue 16)
    assert "Delivery attempted" in html


async def test_an_unknown_courier_status_shows_its_raw_words(site):
    lifecycle, http = site
    token = lifecycle.book("leopards", CN).tracking_token
    record(lifecycle, scan("Hold at Station", None, datetime(2026, 11, 20, 5, 0, tzinfo=timezone.utc)))
    page = text((await http.get(f"/track/{token}")).text)
    assert "Courier update: Hold at Station" in page
    assert "Booked Parcel book ho gaya hai" in page  # current state unchanged by the unknown scan


async def test_before_any_scan_the_page_says_so(site):
    lifecycle, http = site
    token = lifecycle.book("tcs", "779412326902").tracking_token
    page = text((await http.get(f"/track/{token}")).text)
    assert "No courier scans yet" in page and "TCS" in page and "779412326902" in page


async def test_item_names_are_escaped(site):
    lifecycle, http = site
    token = lifecycle.book("tcs", "1", items=[{"name": "<script>alert(1)</script>", "quantity": 1}]).tracking_token
    html = (await http.get(f"/track/{token}")).text
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "token",
    [
        new_tracking_token(),  # well-formed, but no shipment has it
        "abc",  # too short to be ours
        "A" * 21,
        "x" * 200,
        "%27%20OR%20%271%27=%271aaaaaaaaaaaaaaaaa",
    ],
)
async def test_unknown_or_malformed_token_is_a_friendly_404(site, token):
    lifecycle, http = site
    lifecycle.book("leopards", CN)
    r = await http.get(f"/track/{token}")
    assert r.status_code == 404
    assert "We could not find this tracking link" in r.text and "Yeh tracking link nahi mila" in r.text
    assert STORE in r.text and CN not in r.text


async def test_the_page_is_private_cache_wise_and_self_contained(site):
    lifecycle, http = site
    r = await http.get(f"/track/{lifecycle.book('leopards', CN).tracking_token}")
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in r.headers["x-robots-tag"]
    assert 'name="viewport"' in r.text
    assert not re.search(r"(src|href)=\"?(https?:)?//", r.text)  # nothing fetched from elsewhere: works offline


async def test_tokens_carry_at_least_128_random_bits():
    tokens = {new_tracking_token() for _ in range(2000)}
    assert len(tokens) == 2000
    for token in tokens:
        assert TOKEN.fullmatch(token)
        assert len(token) * 6 >= 128  # base64url: 6 bits a character
    alphabet = set("".join(tokens))
    assert len(alphabet) == 64  # the whole URL-safe alphabet in use: not hex, not a counter


async def test_every_internal_state_has_an_english_and_roman_urdu_label():
    from appserver.tracking_page import STATE_LABELS

    assert set(STATE_LABELS) == {s.value for s in State}
    assert all(english and roman_urdu for english, roman_urdu in STATE_LABELS.values())


async def test_scan_cities_on_the_timeline_and_the_offline_map(site):
    lifecycle, http = site
    token = lifecycle.book("leopards", CN).tracking_token
    record(
        lifecycle,
        scan("Consignment Booked", State.BOOKED, datetime(2026, 11, 19, 6, 0, tzinfo=timezone.utc), "LHR Hub"),
        scan("Arrived at Station", State.IN_TRANSIT, datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc),
             "Islamabad facility, rider 03001234567"),
    )
    html = (await http.get(f"/track/{token}")).text
    page = text(html)
    assert "In transit · Parcel raste mein hai · Islamabad" in page
    assert "Booked · Parcel book ho gaya hai · Lahore" in page
    assert "3001234567" not in re.sub(r"\D", "", html) and "facility" not in html
    pins = re.findall(r'<circle class="pin pin-(\w+)" cx="([\d.]+)" cy="([\d.]+)"', html)
    # equirectangular, 20 units a degree from 60.5 E / 37.4 N: Lahore 74.34 E 31.55 N → (276.8, 117.0)
    assert pins == [("origin", "276.8", "117.0"), ("scan", "251.0", "74.4"), ("destination", "251.6", "119.6")]
    assert not re.search(r"(src|href)=\"?(https?:)?//", html)


async def test_a_failed_attempt_offers_the_whatsapp_choices_on_the_page(site):
    from sqlalchemy import select

    from lifecycle.db.delivery_models import DeliveryRecovery

    lifecycle, http = site
    token = lifecycle.book("leopards", CN).tracking_token
    record(lifecycle, scan("Undelivered", State.ATTEMPTED, datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)))
    assert "Kal dobara bhejein" in (await http.get(f"/track/{token}")).text
    refused = await http.post(f"/track/{token}/delivery", data={"choice": "reschedule", "detail": " "})
    assert refused.headers["location"] == f"/track/{token}?not_taken=1"
    taken = await http.post(f"/track/{token}/delivery", data={"choice": "reschedule", "detail": "Kal shaam 6 baje"})
    assert (taken.status_code, taken.headers["location"]) == (303, f"/track/{token}?answered=1")
    after = text((await http.get(taken.headers["location"])).text)
    assert "Thank you, we have noted your choice." in after and "Kal dobara bhejein" not in after
    with lifecycle.db.session() as session:
        assert [(r.choice, r.detail) for r in session.scalars(select(DeliveryRecovery))] == [
            ("reschedule", "Kal shaam 6 baje")]
    again = await http.post(f"/track/{token}/delivery", data={"choice": "cancel"})
    assert again.headers["location"] == f"/track/{token}?not_taken=1"  # answered once


async def test_the_store_colour_and_logo_from_the_profile_inline(sqlite_db, tmp_path):
    from knowledge.profile import DEMO_PROFILE

    profile = tmp_path / "profile.yml"
    profile.write_text(DEMO_PROFILE.read_text(encoding="utf-8") + "\nbrand:\n  colour: '#aa3355'\n  logo: logo.svg\n",
                       encoding="utf-8")
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    lifecycle = Lifecycle(sqlite_db)
    token = lifecycle.book("tcs", "1").tracking_token
    app = new_app("tracking_brand_test")
    app.blueprint(tracking_blueprint(lifecycle.db, lambda: storefront(STORE, profile), lifecycle.clock.now))
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=5) as http:
        html = (await http.get(f"/track/{token}")).text
    assert "--accent: #aa3355;" in html
    assert 'src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="' in html
    assert storefront(STORE, tmp_path / "missing.yml") == Storefront(STORE)  # no profile: the default look
