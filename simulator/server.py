"""A WhatsApp Cloud API stand-in for development and tests.

Graph side: ``POST /{version}/{phone_number_id}/messages`` validated as Meta does
(limits, approved templates, the 24-hour window), recorded per customer, answered with a
``wamid`` and followed by signed ``sent``/``delivered``/``read`` (or ``failed``) webhooks.
Customer side: ``POST /sim/customers/{phone}/send`` posts a signed webhook to the bot as
that customer and returns the bot's replies; ``GET .../transcript`` reads the chat;
``POST /sim/webhook`` signs and relays any raw Meta body. Control: ``/sim/faults``,
``/sim/clock``. ``GET /chat`` is a WhatsApp-like web chat over the same API.
"""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any, Optional

import httpx
import phonenumbers
from sanic import Request, Sanic, response

from whatsapp.signing import SIGNATURE_HEADER, sign
from simulator.customer import webhooks as payloads
from simulator.graph.rules import graph_error, validate_send
from simulator.settings import SimulatorSettings
from simulator.state import ChatRecord, Fault, SimulatorState
from simulator.graph.templates import TemplateRegistry

logger = logging.getLogger(__name__)
WEB_DIR = Path(__file__).resolve().parent / "customer" / "web"
OUTSIDE_WINDOW = Fault(code=131047, via_webhook=True)
ERROR_TITLES = {
    131047: "Re-engagement message",
    131026: "Message undeliverable",
    131050: "User has stopped marketing messages",
    131049: "Marketing message not delivered to maintain ecosystem health",
    130429: "Rate limit hit",
    131056: "Pair rate limit hit",
}


def wa_id_from(phone: str) -> str:
    """Any way a Pakistani customer writes their number -> Meta's wa_id (digits)."""
    try:
        parsed = phonenumbers.parse(phone, "PK")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"phone {phone!r}: {exc}") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"phone {phone!r} is not a valid number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def _error_object(code: int) -> dict[str, Any]:
    title = ERROR_TITLES.get(code, f"error {code}")
    return {"code": code, "title": title, "message": title, "error_data": {"details": title}}


def build_app(settings: SimulatorSettings) -> Sanic:
    app = Sanic("whatsapp_simulator")
    state = SimulatorState()
    templates = TemplateRegistry.load(settings.templates_path)
    app.ctx.state = state
    app.static("/chat/assets", str(WEB_DIR), name="chat_assets")

    @app.before_server_start
    async def open_client(app_, _loop=None):
        app_.ctx.http = httpx.AsyncClient(timeout=10.0)

    @app.after_server_stop
    async def close_client(app_, _loop=None):
        await app_.ctx.http.aclose()

    async def post_webhook(body: Any) -> httpx.Response:
        raw = json.dumps(body).encode()
        return await app.ctx.http.post(
            settings.webhook_url,
            content=raw,
            headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(raw, settings.app_secret)},
        )

    async def send_statuses(record: ChatRecord, to: str, fault: Optional[Fault]) -> None:
        steps = [("failed", fault)] if fault else [("sent", None), ("delivered", None), ("read", None)]
        for status, failing in steps:
            await asyncio.sleep(settings.status_delay)
            errors = [_error_object(failing.code or failing.http_status)] if failing else None
            async with state.changed:
                record.status, record.errors = status, errors or []
                state.changed.notify_all()
            try:
                await post_webhook(payloads.status_webhook(
                    record.wamid, status, to, phone_number_id=settings.phone_number_id,
                    display_phone_number=settings.display_phone_number, errors=errors,
                    timestamp=state.now(),
                ))
            except httpx.HTTPError as exc:
                logger.warning("status webhook for %s failed: %r", record.wamid, exc)
                return

    def graph_error_response(code: int, message: str, details: str = "", http_status: int = 400):
        status, body = graph_error(code, message, details, http_status)
        return response.json(body, status=status)

    @app.get("/health")
    async def health(request: Request):
        return response.json({
            "status": "ok", "customers": len(state.transcripts), "sends_accepted": state.sends_accepted,
            "sends_rejected": state.sends_rejected, "templates": len(templates.templates),
        })

    @app.post("/<version>/<phone_number_id>/messages")
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
        record = ChatRecord("out", payloads.new_wamid(), mtype, body.get(mtype) or {}, state.now(), "accepted")
        if mtype == "template":
            record.rendered = templates.render(body["template"])
        await state.add_outbound(to, record)
        request.app.add_task(send_statuses(record, to, fault if fault.via_webhook else None))
        return response.json({
            "messaging_product": "whatsapp",
            "contacts": [{"input": body["to"], "wa_id": to}],
            "messages": [{"id": record.wamid}],
        })

    @app.post("/sim/customers/<phone>/send")
    async def customer_send(request: Request, phone: str):
        """The customer sends something; waits for the bot's replies unless ``wait`` is 0."""
        try:
            wa_id = wa_id_from(phone)
            spec = request.json or {}
            message = _message_from_spec(spec)
        except (ValueError, KeyError, TypeError) as exc:
            return response.json({"error": str(exc)}, status=400)
        wamid = spec.get("wamid") or payloads.new_wamid()
        name = spec.get("name") or state.names.get(wa_id) or "Customer"
        record = ChatRecord("in", wamid, message["type"], message[message["type"]], state.now())
        body = payloads.message_webhook(
            wa_id, message, phone_number_id=settings.phone_number_id,
            display_phone_number=settings.display_phone_number,
            profile_name=name, wamid=wamid, timestamp=record.at,
        )
        chat = state.chat(wa_id)
        state.record_inbound(wa_id, record, name)
        start = len(chat)
        sent_at = state.now()
        try:
            bot_response = await post_webhook(body)
        except httpx.HTTPError as exc:
            record.status = "failed"
            return response.json({"error": f"bot webhook unreachable: {exc!r}"}, status=502)
        acked_at = state.now()
        record.status = "delivered" if bot_response.status_code < 300 else "failed"
        replies = await _collect_replies(
            state, chat, start, float(spec.get("wait", 8.0)), float(spec.get("quiet", settings.quiet_period)),
            spec.get("expect"),
        )
        return response.json({
            "wamid": wamid,
            "webhook_status": bot_response.status_code,
            "ack_ms": round((acked_at - sent_at) * 1000, 2),
            "first_reply_ms": round((replies[0].at - sent_at) * 1000, 2) if replies else None,
            "replies": [asdict(r) for r in replies],
        })

    @app.post("/sim/webhook")
    async def relay(request: Request):
        """Sign and post a raw Meta webhook body (e.g. a recorded fixture) to the bot; the
        customer messages in it count for transcripts and the 24-hour window."""
        try:
            body = json.loads(request.body)
        except ValueError as exc:
            return response.json({"error": f"body is not JSON: {exc}"}, status=400)
        for wa_id, wamid, mtype, part, name in payloads.inbound_messages(body):
            state.record_inbound(wa_id, ChatRecord("in", wamid, mtype, part, state.now(), "delivered"), name)
        try:
            bot_response = await post_webhook(body)
        except httpx.HTTPError as exc:
            return response.json({"error": f"bot webhook unreachable: {exc!r}"}, status=502)
        try:
            bot_body = bot_response.json()
        except ValueError:
            bot_body = bot_response.text
        return response.json({"webhook_status": bot_response.status_code, "webhook_response": bot_body})

    @app.get("/sim/customers/<phone>/transcript")
    async def transcript(request: Request, phone: str):
        try:
            wa_id = wa_id_from(phone)
        except ValueError as exc:
            return response.json({"error": str(exc)}, status=400)
        return response.json({
            "wa_id": wa_id, "name": state.names.get(wa_id, ""), "now": state.now(),
            "messages": [asdict(r) for r in state.chat(wa_id)],
        })

    @app.get("/sim/customers")
    async def customers(request: Request):
        """Everyone with a chat, most recent first, for the web chat's picker."""
        chats = sorted(state.transcripts.items(), key=lambda item: -(item[1][-1].at if item[1] else 0))
        return response.json({"customers": [
            {"wa_id": wa_id, "name": state.names.get(wa_id, ""),
             "last": _preview(chat[-1]) if chat else "", "at": chat[-1].at if chat else None}
            for wa_id, chat in chats
        ]})

    @app.post("/sim/faults")
    async def add_faults(request: Request):
        """The next ``count`` sends fail: ``{"http_status": 429}``, ``{"code": 131047,
        "via_webhook": true}``, ``{"code": 131026, "http_status": 400}``, or slow down
        with ``{"delay": 2, "http_status": 200}`` (answered, late)."""
        spec = request.json or {}
        fault = Fault(http_status=int(spec.get("http_status", 500)), code=spec.get("code"),
                      via_webhook=bool(spec.get("via_webhook", False)), delay=float(spec.get("delay", 0.0)))
        state.faults.extend([fault] * int(spec.get("count", 1)))
        return response.json({"pending_faults": len(state.faults)})

    @app.delete("/sim/faults")
    async def clear_faults(request: Request):
        state.faults.clear()
        return response.json({"pending_faults": 0})

    @app.get("/sim/clock")
    async def clock(request: Request):
        return response.json({"now": state.now(), "offset_seconds": state.clock_offset})

    @app.post("/sim/clock")
    async def advance_clock(request: Request):
        """Move the simulator's clock forward (the 24-hour window, status timestamps)."""
        try:
            seconds = float((request.json or {})["advance_seconds"])
        except (KeyError, TypeError, ValueError):
            return response.json({"error": "expected {\"advance_seconds\": N}"}, status=400)
        state.clock_offset += seconds
        return response.json({"now": state.now(), "offset_seconds": state.clock_offset})

    @app.get("/chat")
    async def chat_page(request: Request):
        return await response.file(WEB_DIR / "index.html")

    return app


def _message_from_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The customer's action in the simulator API -> a WhatsApp message object."""
    if "text" in spec:
        return payloads.text_message(str(spec["text"]))
    if "button" in spec:
        return payloads.button_reply(spec["button"]["id"], spec["button"].get("title", ""))
    if "list" in spec:
        return payloads.list_reply(spec["list"]["id"], spec["list"].get("title", ""), spec["list"].get("description"))
    if "template_button" in spec:
        return payloads.template_button(spec["template_button"]["payload"], spec["template_button"].get("text", ""))
    if "location" in spec:
        loc = spec["location"]
        return payloads.location_message(float(loc["latitude"]), float(loc["longitude"]),
                                          loc.get("name", ""), loc.get("address", ""))
    if "media" in spec:
        media = spec["media"]
        return payloads.media_message(media.get("kind", "image"), media.get("id") or payloads.new_wamid()[-12:],
                                      media.get("mime_type", "image/jpeg"), media.get("caption", ""))
    raise ValueError("expected one of text, button, list, template_button, location, media")


def _preview(record: ChatRecord) -> str:
    """One line for the customer picker."""
    message = record.message
    body = (record.rendered or {}).get("text") or message.get("body")
    if isinstance(body, dict):  # interactive
        body = body.get("text")
    return str(body or message.get("title") or message.get("caption") or record.type)[:80]


async def _collect_replies(
    state: SimulatorState, chat: list[ChatRecord], start: int, wait: float, quiet: float, expect: Optional[int]
) -> list[ChatRecord]:
    """Wait for the bot's replies: ``expect`` of them, or ``quiet`` seconds without a new
    one after the first (status changes also wake the wait, but do not count)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    seen, last_new = 0, loop.time()
    while True:
        replies = [r for r in chat[start:] if r.direction == "out"]
        now = loop.time()
        if len(replies) != seen:
            seen, last_new = len(replies), now
        if expect is not None and seen >= int(expect):
            return replies
        if now >= deadline or (replies and expect is None and now - last_new >= quiet):
            return replies
        timeout = deadline - now
        if replies and expect is None:
            timeout = min(timeout, last_new + quiet - now)
        async with state.changed:
            try:
                await asyncio.wait_for(state.changed.wait(), timeout)
            except asyncio.TimeoutError:
                pass
