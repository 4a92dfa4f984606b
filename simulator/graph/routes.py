"""``POST /{version}/{phone_number_id}/messages``: validated as Meta does (limits, approved
templates, the 24-hour window), recorded per customer, answered with a ``wamid`` and followed
by signed ``sent``/``delivered``/``read`` (or ``failed``) webhooks."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Optional

import httpx
from sanic import Blueprint, Request, response

from simulator import webhooks
from simulator.graph.rules import graph_error, validate_send
from simulator.graph.templates import TemplateRegistry
from simulator.settings import SimulatorSettings
from simulator.state import ChatRecord, Fault, SimulatorState
from whatsapp.errors import MetaError

logger = logging.getLogger(__name__)
OUTSIDE_WINDOW = Fault(code=MetaError.OUTSIDE_WINDOW, via_webhook=True)
ERROR_TITLES = {
    MetaError.OUTSIDE_WINDOW: "Re-engagement message",
    MetaError.UNDELIVERABLE: "Message undeliverable",
    MetaError.MARKETING_OPTED_OUT: "User has stopped marketing messages",
    MetaError.MARKETING_LIMITED: "Marketing message not delivered to maintain ecosystem health",
    MetaError.RATE_LIMITED: "Rate limit hit",
    MetaError.TOO_MANY_TO_USER: "Pair rate limit hit",
}


def _error_object(code: int) -> dict[str, Any]:
    title = ERROR_TITLES.get(code, f"error {code}")
    return {"code": code, "title": title, "message": title, "error_data": {"details": title}}


def graph_blueprint(
    settings: SimulatorSettings,
    state: SimulatorState,
    templates: TemplateRegistry,
    post_webhook: Callable[[Any], Awaitable[httpx.Response]],
) -> Blueprint:
    bp = Blueprint("graph_api")

    async def send_statuses(record: ChatRecord, to: str, fault: Optional[Fault]) -> None:
        steps = [("failed", fault)] if fault else [("sent", None), ("delivered", None), ("read", None)]
        for status, failing in steps:
            await asyncio.sleep(settings.status_delay)
            errors = [_error_object(failing.code or failing.http_status)] if failing else None
            async with state.changed:
                record.status, record.errors = status, errors or []
                state.changed.notify_all()
            try:
                await post_webhook(
                    webhooks.status_webhook(
                        record.wamid,
                        status,
                        to,
                        phone_number_id=settings.phone_number_id,
                        display_phone_number=settings.display_phone_number,
                        errors=errors,
                        timestamp=state.now(),
                    )
                )
            except httpx.HTTPError as exc:
                logger.warning("status webhook for %s failed: %r", record.wamid, exc)
                return

    def graph_error_response(code: int, message: str, details: str = "", http_status: int = 400):
        status, body = graph_error(code, message, details, http_status)
        return response.json(body, status=status)

    @bp.post("/<version>/<phone_number_id>/messages")
    async def graph_send(request: Request, version: str, phone_number_id: str):
        if request.headers.get("Authorization") != f"Bearer {settings.access_token}":
            return graph_error_response(190, "Invalid OAuth access token.", http_status=401)
        if phone_number_id != settings.phone_number_id:
            return graph_error_response(100, f"Unknown phone number id {phone_number_id}")
        try:
            body = json.loads(request.body)
        except ValueError:
            return graph_error_response(100, "Invalid JSON body")
        mtype = body.get("type", "text") if isinstance(body, dict) else None
        problem = validate_send(body)
        template_problem = templates.check(body["template"]) if not problem and mtype == "template" else None
        if problem or template_problem:
            state.sends_rejected += 1
            if template_problem:
                return graph_error_response(template_problem[0], "Template check failed", template_problem[1])
            return graph_error_response(100, "(#100) Invalid parameter", problem)
        fault = state.next_fault() or Fault(http_status=200)
        await asyncio.sleep(fault.delay)
        if fault.fails_now:
            code = fault.code or fault.http_status
            state.sends_rejected += 1
            return graph_error_response(code, f"simulated failure {code}", http_status=fault.http_status)
        to = str(body["to"]).lstrip("+")
        if not fault.via_webhook and mtype != "template" and not state.window_open(to):
            fault = OUTSIDE_WINDOW  # Meta accepts the send and fails it later by webhook
        record = ChatRecord("out", webhooks.new_wamid(), mtype, body.get(mtype) or {}, state.now(), "accepted")
        if mtype == "template":
            record.rendered = templates.render(body["template"])
        await state.add_outbound(to, record)
        request.app.add_task(send_statuses(record, to, fault if fault.via_webhook else None))
        return response.json(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": to}],
                "messages": [{"id": record.wamid}],
            }
        )

    return bp
