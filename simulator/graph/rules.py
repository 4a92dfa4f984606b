"""The checks Meta's Graph API makes on ``POST /messages``, and its error shape."""

from __future__ import annotations

import secrets
from typing import Any, Optional

LIMITS = {
    "text": 4096,
    "body": 1024,
    "button_title": 20,
    "button_id": 256,
    "buttons": 3,
    "rows": 10,
    "row_title": 24,
    "row_description": 72,
    "list_button": 20,
}


def graph_error(code: int, message: str, details: str = "", http_status: int = 400) -> tuple[int, dict]:
    """Meta's error envelope (``{"error": {...}}``) with an HTTP status."""
    return http_status, {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details or message},
            "fbtrace_id": secrets.token_hex(10),
        }
    }


def validate_send(body: Any) -> Optional[str]:
    """Return why Meta would reject this send (``None`` when it is valid)."""
    if not isinstance(body, dict):
        return "body must be a JSON object"
    if body.get("messaging_product") != "whatsapp":
        return "messaging_product must be 'whatsapp'"
    to = str(body.get("to", ""))
    if not to.lstrip("+").isdigit():
        return "to: a phone number is required"
    mtype = body.get("type", "text")
    check = _CHECKS.get(mtype)
    if check is None:
        return f"type: unsupported message type {mtype!r}"
    return check(body.get(mtype))


def _text(obj: Any) -> Optional[str]:
    if not isinstance(obj, dict) or not str(obj.get("body", "")).strip():
        return "text.body is required"
    if len(obj["body"]) > LIMITS["text"]:
        return f"text.body is longer than {LIMITS['text']} characters"
    return None


def _media(kind: str):
    def check(obj: Any) -> Optional[str]:
        if not isinstance(obj, dict) or not (obj.get("link") or obj.get("id")):
            return f"{kind}.link or {kind}.id is required"
        if "caption" in obj and kind in ("audio", "sticker"):
            return f"{kind} does not take a caption"
        if len(obj.get("caption", "")) > LIMITS["body"]:
            return f"{kind}.caption is longer than {LIMITS['body']} characters"
        return None

    return check


def _unique_nonempty(values: list, limit: int, what: str) -> Optional[str]:
    for value in values:
        if not value:
            return f"{what} is required"
        if len(value) > limit:
            return f"{what} {value!r} is longer than {limit} characters"
    if len(set(values)) != len(values):
        return f"{what}s must be unique"
    return None


def _interactive(obj: Any) -> Optional[str]:
    if not isinstance(obj, dict):
        return "interactive object is required"
    body = (obj.get("body") or {}).get("text", "")
    if not body:
        return "interactive.body.text is required"
    if len(body) > LIMITS["body"]:
        return f"interactive.body.text is longer than {LIMITS['body']} characters"
    action = obj.get("action") or {}
    if obj.get("type") == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= LIMITS["buttons"]:
            return f"interactive buttons: 1 to {LIMITS['buttons']} required, got {len(buttons)}"
        replies = [b.get("reply") or {} for b in buttons]
        return _unique_nonempty(
            [r.get("title", "") for r in replies], LIMITS["button_title"], "button title"
        ) or _unique_nonempty([r.get("id", "") for r in replies], LIMITS["button_id"], "button id")
    if obj.get("type") == "list":
        label = action.get("button", "")
        if not label or len(label) > LIMITS["list_button"]:
            return f"list button label is required and at most {LIMITS['list_button']} characters"
        rows = [row for section in action.get("sections") or [] for row in section.get("rows") or []]
        if not 1 <= len(rows) <= LIMITS["rows"]:
            return f"list rows: 1 to {LIMITS['rows']} required, got {len(rows)}"
        for row in rows:
            if len(row.get("description", "")) > LIMITS["row_description"]:
                return f"row description is longer than {LIMITS['row_description']} characters"
        return _unique_nonempty(
            [r.get("title", "") for r in rows], LIMITS["row_title"], "row title"
        ) or _unique_nonempty([r.get("id", "") for r in rows], LIMITS["button_id"], "row id")
    if obj.get("type") == "location_request_message":
        return None if action.get("name") == "send_location" else 'location request action.name must be "send_location"'
    return f"interactive.type {obj.get('type')!r} is not supported here"


def _template(obj: Any) -> Optional[str]:
    if not isinstance(obj, dict) or not obj.get("name"):
        return "template.name is required"
    if not (obj.get("language") or {}).get("code"):
        return "template.language.code is required"
    for component in obj.get("components") or []:
        if component.get("type") not in ("header", "body", "button"):
            return f"template component type {component.get('type')!r} is not valid"
        if component.get("type") == "button" and component.get("sub_type") not in ("quick_reply", "url"):
            return "template button sub_type must be quick_reply or url"
    return None


_CHECKS = {
    "text": _text,
    "interactive": _interactive,
    "template": _template,
    **{kind: _media(kind) for kind in ("image", "video", "audio", "document", "sticker")},
}
