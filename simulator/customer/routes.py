"""The customer side: ``POST /sim/customers/{phone}/send`` posts a signed webhook to the bot as
that customer and returns the bot's replies; ``GET .../transcript`` reads the chat;
``POST /sim/webhook`` signs and relays any raw Meta body; ``GET /chat`` is a WhatsApp-like
web chat over the same API."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

import httpx
import phonenumbers
from sanic import Blueprint, Request, response

from simulator import webhooks
from simulator.settings import SimulatorSettings
from simulator.state import ChatRecord, SimulatorState
from whatsapp.updates import MessageStatus

WEB_DIR = Path(__file__).resolve().parent / "web"


def wa_id_from(phone: str) -> str:
    """Any way a Pakistani customer writes their number -> Meta's wa_id (digits)."""
    try:
        parsed = phonenumbers.parse(phone, "PK")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"phone {phone!r}: {exc}") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"phone {phone!r} is not a valid number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def customer_blueprint(
    settings: SimulatorSettings, state: SimulatorState, post_webhook: Callable[[Any], Awaitable[httpx.Response]]
) -> Blueprint:
    bp = Blueprint("customer")
    bp.static("/chat/assets", str(WEB_DIR), name="chat_assets")

    @bp.post("/sim/customers/<phone>/send")
    async def customer_send(request: Request, phone: str):
        """The customer sends something; waits for the bot's replies unless ``wait`` is 0."""
        try:
            wa_id = wa_id_from(phone)
            spec = request.json or {}
            message = _message_from_spec(spec)
        except (ValueError, KeyError, TypeError) as exc:
            return response.json({"error": str(exc)}, status=400)
        wamid = spec.get("wamid") or webhooks.new_wamid()
        name = spec.get("name") or state.names.get(wa_id) or "Customer"
        record = ChatRecord("in", wamid, message["type"], message[message["type"]], state.now())
        body = webhooks.message_webhook(
            wa_id,
            message,
            phone_number_id=settings.phone_number_id,
            display_phone_number=settings.display_phone_number,
            profile_name=name,
            wamid=wamid,
            timestamp=record.at,
        )
        chat = state.chat(wa_id)
        state.record_inbound(wa_id, record, name)
        start = len(chat)
        sent_at = state.now()
        try:
            bot_response = await post_webhook(body)
        except httpx.HTTPError as exc:
            record.status = MessageStatus.FAILED
            return response.json({"error": f"bot webhook unreachable: {exc!r}"}, status=502)
        acked_at = state.now()
        record.status = MessageStatus.DELIVERED if bot_response.status_code < 300 else MessageStatus.FAILED
        replies = await _collect_replies(
            state,
            chat,
            start,
            float(spec.get("wait", 8.0)),
            float(spec.get("quiet", settings.quiet_period)),
            spec.get("expect"),
        )
        return response.json(
            {
                "wamid": wamid,
                "webhook_status": bot_response.status_code,
                "ack_ms": round((acked_at - sent_at) * 1000, 2),
                "first_reply_ms": round((replies[0].at - sent_at) * 1000, 2) if replies else None,
                "replies": [asdict(r) for r in replies],
            }
        )

    @bp.post("/sim/webhook")
    async def relay(request: Request):
        """Sign and post a raw Meta webhook body (e.g. a recorded fixture) to the bot; the
        customer messages in it count for transcripts and the 24-hour window."""
        try:
            body = json.loads(request.body)
        except ValueError as exc:
            return response.json({"error": f"body is not JSON: {exc}"}, status=400)
        for wa_id, wamid, mtype, part, name in webhooks.inbound_messages(body):
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

    @bp.get("/sim/customers/<phone>/transcript")
    async def transcript(request: Request, phone: str):
        try:
            wa_id = wa_id_from(phone)
        except ValueError as exc:
            return response.json({"error": str(exc)}, status=400)
        return response.json(
            {
                "wa_id": wa_id,
                "name": state.names.get(wa_id, ""),
                "now": state.now(),
                "messages": [asdict(r) for r in state.chat(wa_id)],
            }
        )

    @bp.get("/sim/customers")
    async def customers(request: Request):
        """Everyone with a chat, most recent first, for the web chat's picker."""
        chats = sorted(state.transcripts.items(), key=lambda item: -(item[1][-1].at if item[1] else 0))
        return response.json(
            {
                "customers": [
                    {
                        "wa_id": wa_id,
                        "name": state.names.get(wa_id, ""),
                        "last": _preview(chat[-1]) if chat else "",
                        "at": chat[-1].at if chat else None,
                    }
                    for wa_id, chat in chats
                ]
            }
        )

    @bp.get("/chat")
    async def chat_page(request: Request):
        return await response.file(WEB_DIR / "index.html")

    return bp


def _message_from_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The customer's action in the simulator API -> a WhatsApp message object."""
    if "text" in spec:
        return webhooks.text_message(str(spec["text"]))
    if "button" in spec:
        return webhooks.button_reply(spec["button"]["id"], spec["button"].get("title", ""))
    if "list" in spec:
        return webhooks.list_reply(spec["list"]["id"], spec["list"].get("title", ""), spec["list"].get("description"))
    if "template_button" in spec:
        return webhooks.template_button(spec["template_button"]["payload"], spec["template_button"].get("text", ""))
    if "location" in spec:
        loc = spec["location"]
        return webhooks.location_message(
            float(loc["latitude"]), float(loc["longitude"]), loc.get("name", ""), loc.get("address", "")
        )
    if "media" in spec:
        media = spec["media"]
        return webhooks.media_message(
            media.get("kind", "image"),
            media.get("id") or webhooks.new_wamid()[-12:],
            media.get("mime_type", "image/jpeg"),
            media.get("caption", ""),
        )
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
