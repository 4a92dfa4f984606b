"""The agent console (login required): the escalation queue with SLA timers and breaches, one
escalation's conversation and order, reply to the customer on WhatsApp, resolve and hand
back to the bot; and the payments waiting for a person's verification."""

from __future__ import annotations

import asyncio
from typing import Callable, TypeVar
from urllib.parse import quote

from sanic import Blueprint, Request, response
from sqlalchemy.orm import Session

from appserver.auth import Auth, require
from appserver.codes_api import codes_blueprint
from appserver.pages import page
from lifecycle.conversation import agent_reply
from lifecycle.db.engagement_models import EscalationActivity
from lifecycle.db.models import Customer, Order
from lifecycle.domain import customers, dead_letters, escalations, orders, payments, risk
from lifecycle.domain.phones import InvalidPhone
from lifecycle.service import Lifecycle

T = TypeVar("T")


def console_blueprint(lifecycle: Lifecycle, auth: Auth) -> Blueprint:
    bp = Blueprint("console", url_prefix="/console")
    rasa = lifecycle.rasa
    graph = lifecycle.graph_client()

    def back(escalation_id: int, error: str = ""):
        suffix = f"?error={quote(error)}" if error else ""
        return response.redirect(f"/console/escalations/{escalation_id}{suffix}", status=303)

    @bp.get("/escalations")
    @require(auth, "agent")
    async def queue(request: Request):
        rows = await asyncio.to_thread(_read, lifecycle, escalations.queue)
        return response.html(
            page(
                request,
                auth,
                "console_escalations.html",
                "/console/escalations",
                rows=rows,
                now=lifecycle.now(),
                erased=request.args.get("erased", ""),
            )
        )

    @bp.get("/escalations/<escalation_id:int>")
    @require(auth, "agent")
    async def detail(request: Request, escalation_id: int):
        def read():
            with lifecycle.db.session() as session:
                escalation = agent_reply.find(session, escalation_id)
                customer = session.get(Customer, escalation.customer_id)
                order = session.get(Order, escalation.order_id) if escalation.order_id else None
                activity = session.get(EscalationActivity, escalation.id)
                replies = escalations.replies_of(session, escalation)
                row = escalations.QueueRow(escalation, customer, order, activity)
                history = risk.history(session, customer.id)
                decision = risk.decision_for(session, order.id) if order else None
                in_window = customers.in_window(customer, lifecycle.now())
                return row, replies, customer, order, activity, in_window, history, decision

        try:
            row, replies, customer, order, activity, in_window, history, decision = await asyncio.to_thread(read)
        except escalations.EscalationError as exc:
            return response.text(str(exc), status=404)
        live = await rasa.transcript(customer.phone)
        conversation = live if live is not None else (activity.conversation if activity else [])
        return response.html(
            page(
                request,
                auth,
                "console_escalation.html",
                "/console/escalations",
                row=row,
                replies=replies,
                conversation=conversation,
                live=live is not None,
                in_window=in_window,
                now=lifecycle.now(),
                order_items=orders.format_items(order.items) if order else "",
                order_amount=orders.format_amount(order.amount) if order else "",
                history=history,
                decision=decision,
                error=request.args.get("error", ""),
            )
        )

    @bp.post("/escalations/<escalation_id:int>/take")
    @require(auth, "agent")
    async def take(request: Request, escalation_id: int):
        def take_it() -> None:
            with lifecycle.db.session.begin() as session:
                escalations.take(session, agent_reply.find(session, escalation_id), request.ctx.user.name)

        try:
            await asyncio.to_thread(take_it)
        except escalations.EscalationError as exc:
            return back(escalation_id, str(exc))
        return back(escalation_id)

    @bp.post("/escalations/<escalation_id:int>/reply")
    @require(auth, "agent")
    async def reply(request: Request, escalation_id: int):
        try:
            await agent_reply.reply(lifecycle.db, graph, rasa, lifecycle.clock, escalation_id,
                                    request.ctx.user.name, request.form.get("text") or "")
        except escalations.EscalationError as exc:
            return back(escalation_id, str(exc))
        return back(escalation_id)

    @bp.post("/escalations/<escalation_id:int>/resolve")
    @require(auth, "agent")
    async def resolve(request: Request, escalation_id: int):
        def resolve_it() -> str:
            with lifecycle.db.session.begin() as session:
                escalation = agent_reply.find(session, escalation_id)
                escalations.resolve(session, escalation, request.ctx.user.name, lifecycle.now())
                return session.get(Customer, escalation.customer_id).phone

        try:
            phone = await asyncio.to_thread(resolve_it)
        except escalations.EscalationError as exc:
            return back(escalation_id, str(exc))
        if not await rasa.set_paused(phone, False):
            return back(escalation_id, "resolved, but the bot could not be resumed in Rasa: try again")
        return back(escalation_id)

    @bp.post("/customers/erase")
    @require(auth, "merchant")
    async def erase_customer(request: Request):
        """A customer's privacy request: their data anonymised or deleted everywhere Sauda keeps it."""
        try:
            counts = await asyncio.to_thread(lifecycle.erase_customer, request.form.get("phone") or "")
        except InvalidPhone as exc:
            return response.text(str(exc), status=422)
        done = "Customer data erased: " + ", ".join(f"{n} {what}" for what, n in counts.items())
        return response.redirect(f"/console/escalations?erased={quote(done)}", status=303)

    @bp.post("/orders/<ref>/risk-override")
    @require(auth, "merchant")
    async def risk_override(request: Request, ref: str):
        """Let a held or advance-asked order through (the page's button, or JSON with ``X-CSRF-Token``)."""
        def override() -> dict:
            with lifecycle.db.session.begin() as session:
                order = orders.find(session, ref)
                decision = risk.override(session, order, request.ctx.user.name, lifecycle.now())
                return {"order_id": order.ref, "order_status": order.status, "band": decision.band,
                        "overridden_by": decision.overridden_by}

        try:
            answer = await asyncio.to_thread(override)
        except (orders.OrderNotFound, risk.OverrideError) as exc:
            if _wants_json(request):
                return response.json({"error": str(exc)}, status=404 if isinstance(exc, orders.OrderNotFound) else 409)
            return response.redirect(f"/console/escalations?error={quote(str(exc))}", status=303)
        if _wants_json(request):
            return response.json(answer)
        return response.redirect("/console/escalations", status=303)

    @bp.get("/payments")
    @require(auth, "agent")
    async def payments_page(request: Request):
        """Transaction IDs waiting for a person; JSON (with the CSRF token for POSTs) for API clients."""
        def read(session) -> list[tuple]:
            return [
                (o.ref, p.method, orders.format_amount(p.amount), p.transaction_id, p.raw_text, p.submitted_at)
                for o, p in payments.pending_verification(session)
            ]

        waiting = await asyncio.to_thread(_read, lifecycle, read)
        if _wants_json(request):
            keys = ("order_id", "method", "amount", "transaction_id", "customer_wrote", "submitted_at")
            return response.json(
                {"waiting": [dict(zip(keys, row)) for row in waiting], "csrf": auth.csrf_token(request)}, default=str
            )
        return response.html(
            page(
                request,
                auth,
                "console_payments.html",
                "/console/payments",
                waiting=waiting,
                error=request.args.get("error", ""),
            )
        )

    @bp.post("/payments/<ref>/<verb:verify|reject>")
    @require(auth, "agent")
    async def decide(request: Request, ref: str, verb: str):
        """The page's buttons, or an API call (session cookie + ``X-CSRF-Token``) answered in JSON."""
        decide_payment = payments.verify if verb == "verify" else payments.reject

        def decide_it() -> dict:
            with lifecycle.db.session.begin() as session:
                order = orders.find(session, ref)
                payment = decide_payment(session, order, request.ctx.user.name, lifecycle.now())
                return {"order_id": order.ref, "order_status": order.status, "payment_status": payment.status}

        try:
            answer = await asyncio.to_thread(decide_it)
        except (orders.OrderNotFound, orders.TransitionError) as exc:
            if not _wants_json(request):
                return response.redirect(f"/console/payments?error={quote(str(exc))}", status=303)
            if isinstance(exc, orders.OrderNotFound):
                return response.json({"error": "unknown order", "order_id": exc.ref}, status=404)
            return response.json({"error": str(exc)}, status=409)
        if _wants_json(request):
            return response.json(answer)
        return response.redirect("/console/payments", status=303)

    @bp.get("/dead-letters")
    @require(auth, "merchant")
    async def dead_letters_page(request: Request):
        """Channel events that could not be applied, with their reasons; JSON for API clients."""

        def read(session) -> tuple[list[tuple], int]:
            rows = [(d.id, d.kind, d.data, d.reason, d.attempts, d.parked_at) for d in dead_letters.waiting(session)]
            return rows, dead_letters.count_waiting(session)

        rows, waiting = await asyncio.to_thread(_read, lifecycle, read)
        alert = waiting >= lifecycle.settings.dead_letter_alert
        if _wants_json(request):
            keys = ("id", "kind", "data", "reason", "attempts", "parked_at")
            return response.json(
                {
                    "waiting": waiting,
                    "alert": alert,
                    "letters": [dict(zip(keys, r)) for r in rows],
                    "csrf": auth.csrf_token(request),
                },
                default=str,
            )
        return response.html(
            page(
                request,
                auth,
                "console_dead_letters.html",
                "/console/dead-letters",
                rows=rows,
                waiting=waiting,
                alert=alert,
                error=request.args.get("error", ""),
            )
        )

    @bp.post("/dead-letters/<letter_id:int>/retry")
    @require(auth, "merchant")
    async def retry_dead_letter(request: Request, letter_id: int):
        try:
            outcome = await asyncio.to_thread(lifecycle.retry_dead_letter, letter_id)
        except KeyError:
            if _wants_json(request):
                return response.json({"error": f"no parked event {letter_id}"}, status=404)
            return response.redirect(f"/console/dead-letters?error={quote(f'no parked event {letter_id}')}", status=303)
        if _wants_json(request):
            return response.json({"id": letter_id, "outcome": outcome})
        return response.redirect("/console/dead-letters", status=303)

    @bp.listener("after_server_stop")
    async def close_clients(_app, _loop=None) -> None:
        await graph.close()
        await rasa.close()

    return bp


def _read(lifecycle: Lifecycle, query: Callable[[Session], T]) -> T:
    """``query`` in a read-only session (call it in a worker thread)."""
    with lifecycle.db.session() as session:
        return query(session)


def mount_engagement(app, lifecycle: Lifecycle, auth: Auth) -> None:
    """The console and the discount-code API (the engagement loop runs with the background work)."""
    app.blueprint(console_blueprint(lifecycle, auth))
    app.blueprint(codes_blueprint(lifecycle))


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("Accept", "")
