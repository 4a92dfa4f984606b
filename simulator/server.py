"""A WhatsApp Cloud API stand-in for development and tests.

Graph side: ``POST /{version}/{phone_number_id}/messages`` validated as Meta does,
recorded per customer, answered with a ``wamid``, followed by signed status webhooks.
Customer side: ``POST /sim/customers/{phone}/send`` posts a signed webhook to the bot
as that customer and returns the bot's replies; ``GET .../transcript`` reads the chat.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

import httpx
import phonenumbers
from sanic import Request, Sanic, response

from bot.signing import SIGNATURE_HEADER, sign
from simulator import payloads
from simulator.graph_rules import graph_error, validate_send
from simulator.settings import SimulatorSettings

logger = logging.getLogger(__name__)


@dataclass
class ChatRecord:
    direction: str  # "in" (customer -> business) or "out" (business -> customer)
    wamid: str
    type: str
    message: dict
    at: float
    status: str = ""
    errors: list = field(default_factory=list)


@dataclass
class Fault:
    """The next send fails: synchronously with an HTTP error, or later by status webhook."""

    http_status: int = 500
    code: Optional[int] = None
    via_webhook: bool = False
    delay: float = 0.0


class SimulatorState:
    def __init__(self) -> None:
        self.transcripts: dict[str, list[ChatRecord]] = {}
        self.faults: deque[Fault] = deque()
        self.changed = asyncio.Condition()
        self.sends_accepted = 0
        self.sends_rejected = 0

    def chat(self, wa_id: str) -> list[ChatRecord]:
        return self.transcripts.setdefault(wa_id, [])

    def find(self, wamid: str) -> Optional[ChatRecord]:
        for chat in self.transcripts.values():
            for record in chat:
                if record.wamid == wamid:
                    return record
        return None


def wa_id_from(phone: str) -> str:
    """Any way a Pakistani customer writes their number -> Meta's wa_id (digits)."""
    try:
        parsed = phonenumbers.parse(phone, "PK")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"phone {phone!r}: {exc}") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"phone {phone!r} is not a valid number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def build_app(settings: SimulatorSettings) -> Sanic:
    app = Sanic("whatsapp_simulator")
    state = SimulatorState()
    app.ctx.state = state

    @app.before_server_start
    async def open_client(app_, _loop=None):
        app_.ctx.http = httpx.AsyncClient(timeout=10.0)

    @app.after_server_stop
    async def close_client(app_, _loop=None):
        await app_.ctx.http.aclose()

    async def post_webhook(body: dict) -> httpx.Response:
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
            errors = [{"code": failing.code, "title": f"error {failing.code}", "message": f"error {failing.code}"}] \
                if failing else None
            record.status, record.errors = status, errors or []
            try:
                await post_webhook(payloads.status_webhook(
                    record.wamid, status, to, phone_number_id=settings.phone_number_id,
                    display_phone_number=settings.display_phone_number, errors=errors,
                ))
            except httpx.HTTPError as exc:
                logger.warning("status webhook for %s failed: %r", record.wamid, exc)
                return

    @app.get("/health")
    async def health(request: Request):
        return response.json({"status": "ok", "customers": len(state.transcripts)})

    @app.post("/<version>/<phone_number_id>/messages")
    async def graph_send(request: Request, version: str, phone_number_id: str):
        if request.headers.get("Authorization") != f"Bearer {settings.access_token}":
            status, body = graph_error(190, "Invalid OAuth access token.", http_status=401)
            return response.json(body, status=status)
        if phone_number_id != settings.phone_number_id:
            status, body = graph_error(100, f"Unknown phone number id {phone_number_id}")
            return response.json(body, status=status)
        try:
            body = json.loads(request.body)
        except ValueError:
            status, err = graph_error(100, "Invalid JSON body")
            return response.json(err, status=status)
        problem = validate_send(body)
        if problem:
            state.sends_rejected += 1
            status, err = graph_error(100, "(#100) Invalid parameter", problem)
            return response.json(err, status=status)
        fault = state.faults.popleft() if state.faults else None
        if fault and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault and not fault.via_webhook:
            status, err = graph_error(fault.code or fault.http_status, f"simulated failure {fault.code or ''}".strip(),
                                      http_status=fault.http_status)
            return response.json(err, status=status)
        to = str(body["to"]).lstrip("+")
        mtype = body.get("type", "text")
        record = ChatRecord("out", payloads.new_wamid(), mtype, body.get(mtype) or {}, time.time(), "accepted")
        async with state.changed:
            state.chat(to).append(record)
            state.sends_accepted += 1
            state.changed.notify_all()
        request.app.add_task(send_statuses(record, to, fault))
        return response.json({
            "messaging_product": "whatsapp",
            "contacts": [{"input": body["to"], "wa_id": to}],
            "messages": [{"id": record.wamid}],
        })

    @app.post("/sim/customers/<phone>/send")
    async def customer_send(request: Request, phone: str):
        try:
            wa_id = wa_id_from(phone)
            spec = request.json or {}
            message = _message_from_spec(spec)
        except (ValueError, KeyError, TypeError) as exc:
            return response.json({"error": str(exc)}, status=400)
        wait = float(spec.get("wait", 8.0))
        quiet = float(spec.get("quiet", settings.quiet_period))
        expect = spec.get("expect")
        wamid = spec.get("wamid") or payloads.new_wamid()
        body = payloads.message_webhook(
            wa_id, message, phone_number_id=settings.phone_number_id,
            display_phone_number=settings.display_phone_number,
            profile_name=spec.get("name", "Customer"), wamid=wamid,
        )
        chat = state.chat(wa_id)
        chat.append(ChatRecord("in", wamid, message["type"], message[message["type"]], time.time()))
        start = len(chat)
        sent_at = time.time()
        try:
            bot_response = await post_webhook(body)
        except httpx.HTTPError as exc:
            return response.json({"error": f"bot webhook unreachable: {exc!r}"}, status=502)
        acked_at = time.time()
        replies = await _collect_replies(state, chat, start, wait, quiet, expect)
        return response.json({
            "wamid": wamid,
            "webhook_status": bot_response.status_code,
            "ack_ms": round((acked_at - sent_at) * 1000, 2),
            "first_reply_ms": round((replies[0].at - sent_at) * 1000, 2) if replies else None,
            "replies": [asdict(r) for r in replies],
        })

    @app.get("/sim/customers/<phone>/transcript")
    async def transcript(request: Request, phone: str):
        try:
            wa_id = wa_id_from(phone)
        except ValueError as exc:
            return response.json({"error": str(exc)}, status=400)
        return response.json({"wa_id": wa_id, "messages": [asdict(r) for r in state.chat(wa_id)]})

    @app.get("/sim/customers")
    async def customers(request: Request):
        return response.json({"customers": sorted(state.transcripts)})

    @app.post("/sim/faults")
    async def add_faults(request: Request):
        spec = request.json or {}
        count = int(spec.get("count", 1))
        fault = Fault(
            http_status=int(spec.get("http_status", 500)),
            code=spec.get("code"),
            via_webhook=bool(spec.get("via_webhook", False)),
            delay=float(spec.get("delay", 0.0)),
        )
        state.faults.extend([fault] * count)
        return response.json({"pending_faults": len(state.faults)})

    @app.delete("/sim/faults")
    async def clear_faults(request: Request):
        state.faults.clear()
        return response.json({"pending_faults": 0})

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


async def _collect_replies(
    state: SimulatorState, chat: list[ChatRecord], start: int, wait: float, quiet: float, expect: Optional[int]
) -> list[ChatRecord]:
    """Wait for the bot's replies: ``expect`` of them, or a quiet spell after the first."""
    deadline = time.monotonic() + wait
    while True:
        replies = [r for r in chat[start:] if r.direction == "out"]
        if expect is not None and len(replies) >= int(expect):
            return replies
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return replies
        timeout = min(remaining, quiet) if replies and expect is None else remaining
        async with state.changed:
            try:
                await asyncio.wait_for(state.changed.wait(), timeout)
            except asyncio.TimeoutError:
                if replies and expect is None:
                    return replies
