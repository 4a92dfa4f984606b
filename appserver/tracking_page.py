"""The public tracking page, ``GET /track/<token>``: where a parcel is, for anyone holding the link.

The token (``Shipment.tracking_token``, 192 random bits) is the only key, so the page shows
what helps a customer and nothing that harms one if the link is shared: store name,
order reference, items, courier, CN, the scan timeline with the cities the scans name, and
an offline map of those cities and the destination city — never a phone number, an
address, a receiver's name or a courier's free-text remarks. After a failed delivery
attempt the page offers the same choices as the WhatsApp message (``POST .../delivery``).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, Request, response
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from appserver.pakistan_map import HEIGHT, OUTLINE_PATH, WIDTH, Pin, pins
from knowledge.profile import ProfileInvalid, load_profile
from lifecycle.db.engine import Database
from lifecycle.db.models import Order, Shipment
from lifecycle.domain import recovery
from lifecycle.domain.cities import find_city
from lifecycle.domain.orders import format_items
from lifecycle.domain.statuses import DeliveryChoice, ShipmentState
from lifecycle.integrations.couriers.names import courier_key, display_name

# 22 URL-safe characters carry 132 bits; anything shorter cannot be a token of ours.
TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")

STATE_LABELS = {  # (English, Roman Urdu)
    ShipmentState.BOOKED: ("Booked", "Parcel book ho gaya hai"),
    ShipmentState.PICKED: ("Picked up", "Courier ne parcel le liya hai"),
    ShipmentState.IN_TRANSIT: ("In transit", "Parcel raste mein hai"),
    ShipmentState.OUT_FOR_DELIVERY: ("Out for delivery", "Rider aaj parcel le kar aa raha hai"),
    ShipmentState.DELIVERED: ("Delivered", "Parcel mil gaya"),
    ShipmentState.ATTEMPTED: ("Delivery attempted", "Rider aap tak nahi pohanch saka, dobara koshish hogi"),
    ShipmentState.RETURNING: ("Returning", "Parcel store ko wapas ja raha hai"),
    ShipmentState.RETURNED: ("Returned", "Parcel store ko wapas mil gaya"),
    ShipmentState.CANCELLED: ("Cancelled", "Shipment cancel ho gayi"),
}

_pages = Environment(
    loader=FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Storefront:
    """The store as its tracking page shows it: name, colour and logo (a data: URI: nothing fetched)."""

    name: str
    colour: str = "#128c7e"
    logo: Optional[str] = None


LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
LOGO_MAX_BYTES = 200_000


def storefront(name: str, profile: Path) -> Storefront:
    """``name`` with the colour and logo of the store profile at ``profile`` (read again when it changes)."""
    try:
        changed = profile.stat().st_mtime_ns
    except OSError:
        return Storefront(name)
    return _storefront(name, profile, changed)


@functools.lru_cache(maxsize=8)
def _storefront(name: str, profile: Path, _changed: int) -> Storefront:
    try:
        brand = load_profile(profile).brand
    except ProfileInvalid:
        return Storefront(name)
    logo = None
    if brand.logo:
        path = profile.parent / brand.logo  # a bare file name (the profile's rule): it stays beside the profile
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        if 0 < len(data) <= LOGO_MAX_BYTES:
            logo = f"data:{LOGO_TYPES[path.suffix.lower()]};base64,{base64.b64encode(data).decode()}"
    return Storefront(name, brand.colour, logo)


@dataclass(frozen=True)
class Step:
    english: str
    roman_urdu: str
    at: str  # Pakistan time, for reading
    state: str
    city: Optional[str] = None  # a known city the scan names; the courier's other words are not shown


@dataclass(frozen=True)
class TrackingView:
    store: Storefront
    order_ref: str
    items: list[str]
    courier: str
    cn: str
    current: Step
    timeline: list[Step]  # newest first
    pins: list[Pin]  # the map: origin, scan cities, destination
    ask_choice: bool  # a failed attempt waits for the customer's choice
    map_width: float = WIDTH
    map_height: float = HEIGHT
    map_outline: str = OUTLINE_PATH


def tracking_view(db: Database, token: str, store: Storefront, zone: str = "Asia/Karachi") -> Optional[TrackingView]:
    """What the page shows for ``token``; None if no shipment has it."""
    tz = ZoneInfo(zone)
    with db.session() as session:
        shipment = session.scalar(
            select(Shipment)
            .where(Shipment.tracking_token == token)
            .options(selectinload(Shipment.scans),
                     selectinload(Shipment.order).load_only(Order.ref, Order.items, Order.city))
        )
        if shipment is None:
            return None
        timeline = [_step(s.state, s.raw_status, s.at, tz, find_city(s.location) or find_city(s.raw_status))
                    for s in reversed(shipment.scans)]
        travelled = [step.city for step in reversed(timeline) if step.city]
        waiting = recovery.awaiting(session, shipment.order_id)
        return TrackingView(
            store=store,
            order_ref=shipment.order.ref,
            items=[format_items([item]) for item in shipment.order.items],
            courier=display_name(courier_key(shipment.courier)),
            cn=shipment.cn,
            current=_step(shipment.state, "", shipment.state_at, tz),
            timeline=timeline,
            pins=pins(travelled[0] if travelled else None, travelled[1:], find_city(shipment.order.city)),
            ask_choice=shipment.state == ShipmentState.ATTEMPTED and waiting is not None
            and waiting.shipment_id == shipment.id,
        )


def _step(state: str, raw_status: str, at: datetime, tz: ZoneInfo, city: Optional[str] = None) -> Step:
    english, roman_urdu = STATE_LABELS.get(state, (f"Courier update: {raw_status}", "Courier ki taraf se update"))
    return Step(english, roman_urdu, at.astimezone(tz).strftime("%d %b %Y, %I:%M %p"), state, city)


def answer_choice(db: Database, token: str, choice: str, detail: str, now: datetime) -> bool:
    """The page's failed-delivery choice for the shipment with ``token``; False if not taken."""
    if choice not in set(DeliveryChoice):
        return False
    with db.session.begin() as session:
        shipment = session.scalar(select(Shipment).where(Shipment.tracking_token == token))
        return shipment is not None and recovery.answer_from_page(
            session, shipment, DeliveryChoice(choice), detail[:300], now)


HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def tracking_blueprint(db: Database, store: Callable[[], Storefront], now: Callable[[], datetime]) -> Blueprint:
    """``GET /track/<token>``, reading shipments from ``db``; ``store`` as the merchant last saved it;
    ``POST /track/<token>/delivery`` for the failed-delivery choice."""
    bp = Blueprint("tracking_page")

    @bp.post("/track/<token>/delivery")
    async def delivery_choice(request: Request, token: str):
        form = request.form or {}
        taken = TOKEN.fullmatch(token) is not None and await asyncio.to_thread(
            answer_choice, db, token, form.get("choice", ""), form.get("detail", ""), now())
        return response.redirect(f"/track/{token}?{'answered' if taken else 'not_taken'}=1", status=303,
                                 headers=HEADERS)

    @bp.get("/track/<token>")
    async def track(request: Request, token: str):
        view = None
        if TOKEN.fullmatch(token):
            view = await asyncio.to_thread(tracking_view, db, token, store())
        if view is None:
            html = _pages.get_template("track_not_found.html").render(store=store())
            return response.html(html, status=404, headers=HEADERS)
        html = _pages.get_template("track.html").render(view=view, token=token, answered="answered" in request.args,
                                                         not_taken="not_taken" in request.args)
        return response.html(html, headers=HEADERS)

    return bp
