"""The public tracking page, ``GET /track/<token>``: where a parcel is, for anyone holding the link.

The token (``Shipment.tracking_token``, 192 random bits) is the only key, so the page shows
what helps a customer and nothing that harms one if the link is shared: store name,
order reference, items, courier, CN and the scan timeline — never a phone number, an
address, a receiver's name or a courier's free-text remarks.
"""

from __future__ import annotations

import asyncio
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

from lifecycle.db.engine import Database
from lifecycle.db.models import Order, Shipment
from lifecycle.domain.orders import format_items
from lifecycle.domain.statuses import ShipmentState
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
class Step:
    english: str
    roman_urdu: str
    at: str  # Pakistan time, for reading
    state: str


@dataclass(frozen=True)
class TrackingView:
    store_name: str
    order_ref: str
    items: list[str]
    courier: str
    cn: str
    current: Step
    timeline: list[Step]  # newest first


def tracking_view(db: Database, token: str, store_name: str, zone: str = "Asia/Karachi") -> Optional[TrackingView]:
    """What the page shows for ``token``; None if no shipment has it."""
    tz = ZoneInfo(zone)
    with db.session() as session:
        shipment = session.scalar(
            select(Shipment)
            .where(Shipment.tracking_token == token)
            .options(selectinload(Shipment.scans), selectinload(Shipment.order).load_only(Order.ref, Order.items))
        )
        if shipment is None:
            return None
        timeline = [_step(s.state, s.raw_status, s.at, tz) for s in reversed(shipment.scans)]
        return TrackingView(
            store_name=store_name,
            order_ref=shipment.order.ref,
            items=[format_items([item]) for item in shipment.order.items],
            courier=display_name(courier_key(shipment.courier)),
            cn=shipment.cn,
            current=_step(shipment.state, "", shipment.state_at, tz),
            timeline=timeline,
        )


def _step(state: str, raw_status: str, at: datetime, tz: ZoneInfo) -> Step:
    english, roman_urdu = STATE_LABELS.get(state, (f"Courier update: {raw_status}", "Courier ki taraf se update"))
    return Step(english, roman_urdu, at.astimezone(tz).strftime("%d %b %Y, %I:%M %p"), state)


HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def tracking_blueprint(db: Database, store_name: Callable[[], str]) -> Blueprint:
    """``GET /track/<token>``, reading shipments from ``db``; ``store_name`` as the merchant last saved it."""
    bp = Blueprint("tracking_page")

    @bp.get("/track/<token>")
    async def track(request: Request, token: str):
        view = None
        if TOKEN.fullmatch(token):
            view = await asyncio.to_thread(tracking_view, db, token, store_name())
        if view is None:
            html = _pages.get_template("track_not_found.html").render(store_name=store_name())
            return response.html(html, status=404, headers=HEADERS)
        return response.html(_pages.get_template("track.html").render(view=view), headers=HEADERS)

    return bp
