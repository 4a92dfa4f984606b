"""The lifecycle's HTTP side: the shop's signed events, Shopify order webhooks and the dev
clock. People verify payments in the console (appserver/console.py), behind the login."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging

import httpx
from sanic import Blueprint, Request, response

from appserver.auth import shop_signature_problem
from appserver.bodies import parse_json
from lifecycle.events import shop as events
from lifecycle.service import Lifecycle

logger = logging.getLogger(__name__)


def lifecycle_blueprint(lifecycle: Lifecycle) -> Blueprint:
    bp = Blueprint("lifecycle", url_prefix="/lifecycle")
    settings = lifecycle.settings

    def refused(request: Request):
        problem = shop_signature_problem(request, settings.events_secret, settings.events_max_skew)
        if problem:
            logger.warning("lifecycle event refused: %s", problem)
            return response.json({"error": problem}, status=401)
        return None

    def apply_event(event) -> dict:
        with lifecycle.db.session.begin() as session:
            return events.apply(session, event, lifecycle.now(), lifecycle.settings)  # current timings

    async def apply(raw) -> response.HTTPResponse:
        try:
            answer = await asyncio.to_thread(apply_event, events.parse(raw))  # the database off the event loop
        except events.EventError as exc:
            return response.json(exc.body, status=exc.status)
        return response.json(answer)

    @bp.post("/events")
    async def receive_event(request: Request):
        """One event ``{"id", "type", "data"}`` from the shop's backend (see lifecycle/events/shop.py)."""
        if (bad := refused(request)) is not None:
            return bad
        try:
            raw = parse_json(request.body)
        except ValueError as exc:
            return response.json({"error": f"body is not JSON: {exc}"}, status=400)
        return await apply(raw)

    @bp.post("/shopify/orders")
    async def shopify_order(request: Request):
        """Shopify's ``orders/create`` webhook, signed the Shopify way (base64 HMAC of the body)."""
        secret = settings.shopify_secret or settings.events_secret
        expected = base64.b64encode(hmac.new(secret.encode(), request.body, hashlib.sha256).digest()).decode()
        given = request.headers.get("X-Shopify-Hmac-Sha256") or ""
        if not secret or not hmac.compare_digest(expected.encode(), given.encode()):
            return response.json({"error": "invalid signature"}, status=401)
        webhook_id = request.headers.get("X-Shopify-Webhook-Id")
        if not webhook_id:
            return response.json({"error": "missing X-Shopify-Webhook-Id"}, status=400)
        try:
            body = parse_json(request.body)
        except ValueError as exc:
            return response.json({"error": f"body is not JSON: {exc}"}, status=400)
        try:
            event = events.shopify_order(body, webhook_id)
        except events.EventError as exc:
            return response.json(exc.body, status=exc.status)
        return await apply(event)

    @bp.post("/dev/clock")
    async def move_clock(request: Request):
        """Development and tests only: move the lifecycle clock (and the simulator's) forward."""
        if not settings.dev_mode:
            return response.json({"error": "not in dev mode (SAUDA_DEV_MODE)"}, status=404)
        if (bad := refused(request)) is not None:
            return bad
        try:
            seconds = float(parse_json(request.body)["seconds"])
            now = lifecycle.clock.advance(seconds)
        except (ValueError, KeyError, TypeError) as exc:
            return response.json({"error": f'expected {{"seconds": <non-negative number>}}: {exc}'}, status=400)
        simulator = "not told"
        try:
            async with httpx.AsyncClient(timeout=3) as client:
                r = await client.post(
                    f"{settings.graph_base_url.rstrip('/')}/sim/clock", json={"advance_seconds": seconds}
                )
            simulator = "moved" if r.status_code < 300 else f"answered {r.status_code}"
        except httpx.HTTPError:
            pass
        return response.json({"now": now.isoformat(), "simulator": simulator})

    return bp


def mount_lifecycle(app) -> Lifecycle:
    """Build the lifecycle from the environment, mount its routes and, with SAUDA_WORKER=inprocess,
    run its background work with the server."""
    from lifecycle.service import set_runtime

    lifecycle = Lifecycle.from_env()
    set_runtime(lifecycle)
    app.blueprint(lifecycle_blueprint(lifecycle))
    if lifecycle.settings.worker_enabled:

        async def start_background(_app, _loop=None) -> None:
            lifecycle.start_background()

        async def stop_background(_app, _loop=None) -> None:
            await lifecycle.stop_background()

        app.after_server_start(start_background)
        app.before_server_stop(stop_background)
    return lifecycle
