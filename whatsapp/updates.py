"""Typed WhatsApp Cloud API webhook updates, parsed once from the raw JSON.

Standard library only: the Rasa channel (rasa env) and the simulator (app env) both
import it. Nothing else in the code base digs through ``entry[0]["changes"][0]``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Callable, Iterator, Optional, Union

from whatsapp.errors import SendOutcome, outcome_for

# Message types we cannot read; the customer is told what we can read instead.
MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")
UNREADABLE_TYPES = MEDIA_TYPES + ("contacts", "unsupported")
# Updates that never deserve a reply.
SILENT_TYPES = ("reaction", "edit", "edited", "revoke", "deleted", "system", "ephemeral")


class MessageStatus(StrEnum):
    """What Meta reports about a message sent to a customer."""

    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    PLAYED = "played"
    FAILED = "failed"


class MalformedUpdate(ValueError):
    """The webhook body is not a WhatsApp update we can read; the message says where."""


@dataclass(frozen=True)
class InboundMessage:
    """One customer message, whatever its type."""

    wamid: str
    sender: str  # wa_id, digits only, as Meta sends it
    timestamp: int
    type: str
    phone_number_id: str
    profile_name: Optional[str] = None
    text: Optional[str] = None  # text body, or the caption of a media message
    payload: Optional[str] = None  # id/payload of a tapped button or list row
    title: Optional[str] = None  # title of the tapped button or row
    location: Optional[dict[str, Any]] = None
    media: Optional[dict[str, Any]] = None  # {"type", "id", "mime_type", "caption", "filename"}
    order: Optional[dict[str, Any]] = None  # catalog order: catalog_id, product_items, text
    referral: Optional[dict[str, Any]] = None
    context: Optional[dict[str, Any]] = None  # reply-to / forwarded flags
    contacts: Optional[list[Any]] = None
    reaction: Optional[dict[str, Any]] = None
    system: Optional[dict[str, Any]] = None  # number or identity change notice
    errors: tuple[dict[str, Any], ...] = ()

    @property
    def is_silent(self) -> bool:
        return self.type in SILENT_TYPES

    @property
    def is_unreadable(self) -> bool:
        return self.type in UNREADABLE_TYPES or (self.type == "interactive" and not self.payload)


@dataclass(frozen=True)
class StatusUpdate:
    """Delivery status of a message we sent (sent / delivered / read / failed / played)."""

    wamid: str
    status: str
    recipient: str
    timestamp: int
    errors: tuple[dict[str, Any], ...] = ()
    biz_opaque_callback_data: Optional[str] = None
    conversation: Optional[dict[str, Any]] = None
    pricing: Optional[dict[str, Any]] = None

    @property
    def error_codes(self) -> tuple[int, ...]:
        return tuple(int(e.get("code", 0)) for e in self.errors)

    @property
    def outcome(self) -> str:
        """The status itself, or for a failure what it means (``outside_window``, ...)."""
        if self.status != MessageStatus.FAILED:
            return self.status
        return outcome_for(self.error_codes[0]) if self.error_codes else SendOutcome.ERROR


@dataclass(frozen=True)
class MarketingPreference:
    """The customer stopped or resumed marketing messages inside WhatsApp."""

    wa_id: str
    value: str  # "stop" | "resume" | "signup"
    detail: str
    timestamp: int
    category: str = "marketing_messages"

    @property
    def opted_out(self) -> bool:
        return self.value == "stop"


@dataclass(frozen=True)
class OtherUpdate:
    """A field we only log (template status, category and account updates)."""

    field: str
    value: dict[str, Any] = dataclasses.field(default_factory=dict)


Update = Union[InboundMessage, StatusUpdate, MarketingPreference, OtherUpdate]


@dataclass
class ParsedWebhook:
    """The updates read from one webhook body, and what could not be read (with where)."""

    updates: list[Update] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_webhook(body: Any) -> ParsedWebhook:
    """Parse a decoded webhook body; a bad item is reported and skipped, the rest kept."""
    result = ParsedWebhook()
    if not isinstance(body, dict):
        result.problems.append("body: expected a JSON object")
        return result
    if body.get("object") != "whatsapp_business_account":
        result.problems.append(f"object: expected 'whatsapp_business_account', got {body.get('object')!r}")
        return result
    entries = body.get("entry")
    if not isinstance(entries, list):
        result.problems.append("entry: expected a list")
        return result
    for i, entry in enumerate(entries):
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            result.problems.append(f"entry[{i}].changes: expected a list")
            continue
        for j, change in enumerate(changes):
            where = f"entry[{i}].changes[{j}]"
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                result.problems.append(f"{where}.value: expected an object")
                continue
            try:
                items = list(_parse_change(change.get("field", ""), change["value"], where))
            except (TypeError, ValueError, AttributeError) as exc:
                # a field of the wrong type around the messages (metadata, contacts, the lists
                # themselves): the change is unreadable, the other changes are kept
                result.problems.append(f"{where}.value: {exc}")
                continue
            for item in items:
                if isinstance(item, MalformedUpdate):
                    result.problems.append(str(item))
                else:
                    result.updates.append(item)
    return result


def _guarded(parse: Callable[..., Any], *args: Any) -> Any:
    try:
        return parse(*args)
    except MalformedUpdate as exc:
        return exc
    except (TypeError, ValueError, AttributeError) as exc:
        return MalformedUpdate(f"{args[-1]}: {exc}")


def _parse_change(field_name: str, value: dict[str, Any], where: str) -> Iterator[Update | MalformedUpdate]:
    if field_name == "user_preferences":
        for k, pref in enumerate(value.get("user_preferences") or []):
            yield _guarded(_parse_preference, pref, f"{where}.value.user_preferences[{k}]")
        return
    if field_name != "messages":
        yield OtherUpdate(field=field_name, value=value)
        return
    phone_number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
    names = {
        c.get("wa_id"): (c.get("profile") or {}).get("name") for c in value.get("contacts") or [] if isinstance(c, dict)
    }
    for k, msg in enumerate(value.get("messages") or []):
        yield _guarded(_parse_message, msg, phone_number_id, names, f"{where}.value.messages[{k}]")
    for k, st in enumerate(value.get("statuses") or []):
        yield _guarded(_parse_status, st, f"{where}.value.statuses[{k}]")


def _parse_preference(pref: Any, where: str) -> MarketingPreference:
    _require(pref, ("wa_id", "value"), where)
    return MarketingPreference(
        wa_id=str(pref["wa_id"]),
        value=str(pref["value"]),
        detail=str(pref.get("detail", "")),
        timestamp=int(pref.get("timestamp", 0)),
        category=str(pref.get("category", "marketing_messages")),
    )


def _parse_status(st: Any, where: str) -> StatusUpdate:
    _require(st, ("id", "status"), where)
    return StatusUpdate(
        wamid=str(st["id"]),
        status=str(st["status"]),
        recipient=str(st.get("recipient_id", "")),
        timestamp=int(st.get("timestamp", 0)),
        errors=tuple(st.get("errors") or ()),
        biz_opaque_callback_data=st.get("biz_opaque_callback_data"),
        conversation=st.get("conversation"),
        pricing=st.get("pricing"),
    )


def _require(obj: Any, keys: tuple[str, ...], where: str) -> None:
    if not isinstance(obj, dict):
        raise MalformedUpdate(f"{where}: expected an object")
    missing = [k for k in keys if k not in obj]
    if missing:
        raise MalformedUpdate(f"{where}: missing {', '.join(missing)}")


def _parse_message(msg: Any, phone_number_id: str, names: dict[str, Optional[str]], where: str) -> InboundMessage:
    _require(msg, ("from", "id", "type"), where)
    mtype = str(msg["type"])
    sender = str(msg["from"])
    fields: dict[str, Any] = {}
    if mtype == "text":
        fields["text"] = (msg.get("text") or {}).get("body", "")
    elif mtype == "interactive":
        inter = msg.get("interactive") or {}
        reply = inter.get(inter.get("type", ""), {}) if isinstance(inter, dict) else {}
        if reply:
            fields["payload"] = reply.get("id")
            fields["title"] = reply.get("title")
    elif mtype == "button":
        button = msg.get("button") or {}
        fields["payload"] = button.get("payload")
        fields["title"] = button.get("text")
    elif mtype == "location":
        fields["location"] = dict(msg.get("location") or {})
    elif mtype in MEDIA_TYPES:
        media = dict(msg.get(mtype) or {})
        media["type"] = mtype
        if mtype == "audio" and media.get("voice"):
            media["type"] = "voice"
        fields["media"] = media
        fields["text"] = media.get("caption")
    elif mtype == "order":
        fields["order"] = dict(msg.get("order") or {})
        fields["text"] = fields["order"].get("text") or None
    elif mtype == "contacts":
        fields["contacts"] = list(msg.get("contacts") or [])
    elif mtype == "reaction":
        fields["reaction"] = dict(msg.get("reaction") or {})
    elif mtype == "system":
        fields["system"] = dict(msg.get("system") or {})
    return InboundMessage(
        wamid=str(msg["id"]),
        sender=sender,
        timestamp=int(msg.get("timestamp", 0) or 0),
        type=mtype,
        phone_number_id=phone_number_id,
        profile_name=names.get(sender),
        referral=msg.get("referral"),
        context=msg.get("context"),
        errors=tuple(msg.get("errors") or ()),
        **fields,
    )
