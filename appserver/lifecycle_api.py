"""The lifecycle's HTTP side: the shop's signed events, Shopify order webhooks, the dev clock,
and the payment verification page."""
from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import logging
import time

import httpx
from sanic import Blueprint, Request, response

from lifecycle import events, orders, payments, signing
from lifecycle.service import Lifecycle

logger = logging.getLogger(__name__)


def lifecycle_blueprint(lifecycle: Lifecycle) -> Blueprint:
    bp = Blueprint("lifecycle", url_prefix="/lifecycle")
    settings = lifecycle.settings

    def refused(request: Request):
        problem = signing.check(settings.events_secret, request.body, request.headers.get(signing.SIGNATURE_HEADER),
                                request.headers.get(signing.TIMESTAMP_HEADER), time.time(), settings.events_max_skew)
        if problem:
            logger.warning("lifecycle event refused: %s", problem)
            return response.json({"error": problem}, status=401)
        return None

    def apply(raw) -> response.HTTPResponse:
        try:
            event = events.parse(raw)
            with lifecycle.db.session.begin() as session:
                answer = events.apply(session, event, lifecycle.now(), settings)
        except events.EventError as exc:
            return response.json(exc.body, status=exc.status)
        return response.json(answer)

    @bp.post("/events")
    async def receive_event(request: Request):
        """One event ``{"id", "type", "data"}`` from the shop's backend (see lifecycle/events.py)."""
        if (bad := refused(request)) is not None:
            return bad
        try:
            raw = json.loads(request.body)
        except ValueError as exc:
            return response.json({"error": f"body is not JSON: {exc}"}, status=400)
        return apply(raw)

    @bp.post("/shopify/orders")
    async def shopify_order(request: Request):
        """Shopify's ``orders/create`` webhook, signed the Shopify way (base64 HMAC of the body)."""
        secret = settings.shopify_secret or settings.events_secret
        expected = base64.b64encode(hmac.new(secret.encode(), request.body, hashlib.sha256).digest()).decode()
        given = request.headers.get("X-Shopify-Hmac-Sha256") or ""
        if not secret or not hmac.compare_digest(expected, given):
            return response.json({"error": "invalid signature"}, status=401)
        webhook_id = request.headers.get("X-Shopify-Webhook-Id")
        if not webhook_id:
            return response.json({"error": "missing X-Shopify-Webhook-Id"}, status=400)
        try:
            body = json.loads(request.body)
        except ValueError as exc:
            return response.json({"error": f"body is not JSON: {exc}"}, status=400)
        return apply(events.shopify_order(body, webhook_id))

    @bp.post("/dev/clock")
    async def move_clock(request: Request):
        """Development and tests only: move the lifecycle clock (and the simulator's) forward."""
        if not settings.dev_mode:
            return response.json({"error": "not in dev mode (SAUDA_DEV_MODE)"}, status=404)
        if (bad := refused(request)) is not None:
            return bad
        try:
            seconds = float(json.loads(request.body)["seconds"])
            now = lifecycle.clock.advance(seconds)
        except (ValueError, KeyError, TypeError) as exc:
            return response.json({"error": f"expected {{\"seconds\": <non-negative number>}}: {exc}"}, status=400)
        simulator = "not told"
        try:
            async with httpx.AsyncClient(timeout=3) as client:
                r = await client.post(f"{settings.graph_base_url.rstrip('/')}/sim/clock", json={"advance_seconds": seconds})
            simulator = "moved" if r.status_code < 300 else f"answered {r.status_code}"
        except httpx.HTTPError:
            pass
        return response.json({"now": now.isoformat(), "simulator": simulator})

    def admin(request: Request):
        """HTTP basic auth against SAUDA_ADMIN_PASSWORD; the user name is recorded as the verifier."""
        header = request.headers.get("Authorization", "")
        if settings.admin_password and header.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                user, password = "", ""
            if user and hmac.compare_digest(password.encode(), settings.admin_password.encode()):
                return user
        return None

    def challenge():
        return response.text("login required", status=401, headers={"WWW-Authenticate": 'Basic realm="Sauda"'})

    def csrf_token(user: str) -> str:
        return hmac.new(settings.admin_password.encode(), f"csrf:{user}".encode(), hashlib.sha256).hexdigest()

    @bp.get("/payments")
    async def payments_page(request: Request):
        """Transaction IDs waiting for a person: check the wallet, then approve or reject."""
        user = admin(request)
        if user is None:
            return challenge()
        with lifecycle.db.session() as session:
            waiting = payments.pending_verification(session)
            rows = "".join(
                f"<tr><td>{html.escape(o.ref)}</td><td>{html.escape(p.method)}</td>"
                f"<td>{orders.format_amount(o.amount)}</td><td>{html.escape(p.transaction_id or '')}</td>"
                f"<td>{html.escape(p.raw_text or '')}</td><td>{p.submitted_at:%Y-%m-%d %H:%M}</td><td>"
                + "".join(f"<form method=post action='/lifecycle/payments/{html.escape(o.ref)}/{verb}' "
                          f"style=display:inline><input type=hidden name=csrf value='{csrf_token(user)}'>"
                          f"<button>{verb}</button></form>" for verb in ("verify", "reject"))
                + "</td></tr>" for o, p in waiting)
        page = ("<!doctype html><meta charset=utf-8><title>Payments to verify</title>"
                "<h1>Payments to verify</h1><table border=1 cellpadding=4><tr><th>Order</th><th>Wallet</th>"
                f"<th>Amount (Rs.)</th><th>Transaction ID</th><th>Customer wrote</th><th>Received</th><th></th></tr>"
                f"{rows or '<tr><td colspan=7>Nothing to verify.</td></tr>'}</table>")
        return response.html(page)

    @bp.post("/payments/<ref>/<verb:verify|reject>")
    async def decide_payment(request: Request, ref: str, verb: str):
        """Approve or reject a transaction ID (the page's buttons, or an API call with basic auth)."""
        user = admin(request)
        if user is None:
            return challenge()
        form_token = (request.form or {}).get("csrf") if request.form else None
        if form_token is not None and not hmac.compare_digest(form_token, csrf_token(user)):
            return response.json({"error": "bad form token"}, status=403)
        try:
            with lifecycle.db.session.begin() as session:
                order = orders.find(session, ref)
                decide = payments.verify if verb == "verify" else payments.reject
                payment = decide(session, order, user, lifecycle.now())
                answer = {"order_id": order.ref, "order_status": order.status, "payment_status": payment.status}
        except orders.OrderNotFound as exc:
            return response.json({"error": "unknown order", "order_id": exc.ref}, status=404)
        except orders.TransitionError as exc:
            return response.json({"error": str(exc)}, status=409)
        if form_token is not None:
            return response.redirect("/lifecycle/payments", status=303)
        return response.json(answer)

    return bp


def mount_lifecycle(app) -> Lifecycle:
    """Build the lifecycle from the environment, mount its routes and run its worker with the server."""
    from lifecycle.service import set_runtime

    lifecycle = Lifecycle.from_env()
    set_runtime(lifecycle)
    app.blueprint(lifecycle_blueprint(lifecycle))
    if lifecycle.settings.worker_enabled:
        async def start_worker(_app, _loop=None) -> None:
            lifecycle.start_worker()

        async def stop_worker(_app, _loop=None) -> None:
            await lifecycle.stop_worker()

        app.after_server_start(start_worker)
        app.before_server_stop(stop_worker)
    return lifecycle
