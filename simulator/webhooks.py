"""Webhook bodies shaped exactly like Meta's (see tests/fixtures/whatsapp)."""

from __future__ import annotations

import itertools
import secrets
import time
from typing import Any, Iterator, Optional

WABA_ID = "1234567890987654321"
_counter = itertools.count(1)


def new_wamid() -> str:
    """A wamid in Meta's style: unique and opaque."""
    return f"wamid.SIM{next(_counter):08d}{secrets.token_hex(8).upper()}"


def _envelope(field: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": field}]}],
    }


def _metadata(display_phone_number: str, phone_number_id: str) -> dict[str, str]:
    return {"display_phone_number": display_phone_number, "phone_number_id": phone_number_id}


def message_webhook(
    wa_id: str,
    message: dict[str, Any],
    *,
    phone_number_id: str,
    display_phone_number: str,
    profile_name: str = "Customer",
    wamid: Optional[str] = None,
    context: Optional[dict] = None,
    timestamp: Optional[float] = None,
) -> dict[str, Any]:
    """One inbound message; ``message`` holds ``type`` and its type-specific object."""
    body: dict[str, Any] = {
        "from": wa_id,
        "id": wamid or new_wamid(),
        "timestamp": str(int(timestamp or time.time())),
        **message,
    }
    if context:
        body["context"] = context
    return _envelope(
        "messages",
        {
            "messaging_product": "whatsapp",
            "metadata": _metadata(display_phone_number, phone_number_id),
            "contacts": [{"profile": {"name": profile_name}, "wa_id": wa_id}],
            "messages": [body],
        },
    )


def text_message(text: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": text}}


def button_reply(button_id: str, title: str) -> dict[str, Any]:
    return {
        "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": button_id, "title": title}},
    }


def list_reply(row_id: str, title: str, description: Optional[str] = None) -> dict[str, Any]:
    reply = {"id": row_id, "title": title}
    if description:
        reply["description"] = description
    return {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": reply}}


def template_button(payload: str, text: str) -> dict[str, Any]:
    return {"type": "button", "button": {"payload": payload, "text": text}}


def location_message(latitude: float, longitude: float, name: str = "", address: str = "") -> dict[str, Any]:
    location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    if name:
        location["name"] = name
    if address:
        location["address"] = address
    return {"type": "location", "location": location}


def media_message(kind: str, media_id: str, mime_type: str, caption: str = "") -> dict[str, Any]:
    """image / video / audio / document / sticker (``voice`` is audio with ``voice: true``)."""
    mtype = "audio" if kind == "voice" else kind
    media: dict[str, Any] = {"mime_type": mime_type, "sha256": secrets.token_hex(16), "id": media_id}
    if kind in ("audio", "voice"):
        media["voice"] = kind == "voice"
    if caption and mtype in ("image", "video", "document"):
        media["caption"] = caption
    return {"type": mtype, mtype: media}


def status_webhook(
    wamid: str,
    status: str,
    recipient: str,
    *,
    phone_number_id: str,
    display_phone_number: str,
    errors: Optional[list[dict]] = None,
    timestamp: Optional[float] = None,
) -> dict[str, Any]:
    st: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(int(timestamp or time.time())),
        "recipient_id": recipient,
    }
    if errors:
        st["errors"] = errors
    else:
        st["conversation"] = {"id": secrets.token_hex(16), "origin": {"type": "service"}}
        st["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
    return _envelope(
        "messages",
        {
            "messaging_product": "whatsapp",
            "metadata": _metadata(display_phone_number, phone_number_id),
            "statuses": [st],
        },
    )


def inbound_messages(body: Any) -> Iterator[tuple[str, str, str, dict, Optional[str]]]:
    """(wa_id, wamid, type, type-specific object, profile name) of each customer message
    in a webhook body, skipping whatever is not shaped like one."""
    if not isinstance(body, dict):
        return
    for entry in body.get("entry") or []:
        for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            names = {
                c.get("wa_id"): (c.get("profile") or {}).get("name")
                for c in value.get("contacts") or []
                if isinstance(c, dict)
            }
            for msg in value.get("messages") or []:
                if isinstance(msg, dict) and {"from", "id", "type"} <= msg.keys():
                    part = msg.get(msg["type"])
                    yield (
                        str(msg["from"]),
                        str(msg["id"]),
                        str(msg["type"]),
                        part if isinstance(part, dict) else {},
                        names.get(msg["from"]),
                    )
