"""Graph API message payloads built from Rasa responses, within WhatsApp's limits.

Pure functions (standard library only) so that they are unit-tested without a server.
"""

from __future__ import annotations

import re
from typing import Any, Optional

TEXT_LIMIT = 4096
BODY_LIMIT = 1024
BUTTON_TITLE_LIMIT = 20
BUTTON_ID_LIMIT = 256
MAX_REPLY_BUTTONS = 3
MAX_LIST_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
LIST_BUTTON_LIMIT = 20

_SENTENCE_END = re.compile(r"(?<=[.!?\u06d4])\s+|\n+")


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split text into chunks of at most ``limit`` characters, preferring sentence ends."""
    text = text.strip()
    chunks: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = max((m.end() for m in _SENTENCE_END.finditer(window) if m.end() <= limit), default=0)
        if cut == 0:  # no sentence end: fall back to the last space, then a hard cut
            cut = window.rfind(" ", 0, limit) + 1 or limit
        chunks.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        chunks.append(text)
    return chunks


def shorten(title: str, limit: int) -> str:
    """Shorten at a word boundary with an ellipsis, keeping at most ``limit`` characters."""
    title = " ".join(str(title).split())
    if len(title) <= limit:
        return title
    head = title[: limit - 1]
    if " " in head and head.rfind(" ") >= limit // 2:
        head = head[: head.rfind(" ")]
    return head.rstrip(" ,.-") + "…"


def unique_titles(titles: list[str], limit: int) -> list[str]:
    """Shorten every title and keep them distinct (WhatsApp rejects duplicates)."""
    result: list[str] = []
    for title in titles:
        short = shorten(title, limit)
        n = 2
        while short in result:
            suffix = f" {n}"
            short = shorten(title, limit - len(suffix)) + suffix
            n += 1
        result.append(short)
    return result


def text_payload(to: str, body: str, preview_url: bool = False) -> dict[str, Any]:
    return {"to": to, "type": "text", "text": {"body": body, "preview_url": preview_url}}


def media_payload(
    to: str, kind: str, link: str, caption: Optional[str] = None, filename: Optional[str] = None
) -> dict[str, Any]:
    """An image / video / document / audio sent by URL (audio takes no caption)."""
    media: dict[str, Any] = {"link": link}
    if caption and kind != "audio":
        media["caption"] = caption[:BODY_LIMIT]
    if filename and kind == "document":
        media["filename"] = filename
    return {"to": to, "type": kind, kind: media}


def image_payload(to: str, link: str, caption: Optional[str] = None) -> dict[str, Any]:
    return media_payload(to, "image", link, caption)


def _button_id(button: dict[str, Any]) -> str:
    return str(button.get("payload") or button.get("title", ""))[:BUTTON_ID_LIMIT]


def _interactive(to: str, kind: str, body: str, action: dict[str, Any]) -> dict[str, Any]:
    return {"to": to, "type": "interactive", "interactive": {"type": kind, "body": {"text": body}, "action": action}}


def reply_buttons_payload(to: str, body: str, buttons: list[dict[str, Any]]) -> dict[str, Any]:
    titles = unique_titles([b.get("title", "") for b in buttons], BUTTON_TITLE_LIMIT)
    replies = [{"type": "reply", "reply": {"id": _button_id(b), "title": t}} for b, t in zip(buttons, titles)]
    return _interactive(to, "button", body, {"buttons": replies})


def location_request_payload(to: str, body: str) -> dict[str, Any]:
    """The text with WhatsApp's "Send location" button; the customer's pin comes back as a location message."""
    return _interactive(to, "location_request_message", body, {"name": "send_location"})


def list_payload(to: str, body: str, buttons: list[dict[str, Any]], label: str) -> dict[str, Any]:
    titles = unique_titles([b.get("title", "") for b in buttons], ROW_TITLE_LIMIT)
    rows = []
    for button, title in zip(buttons, titles):
        row = {"id": _button_id(button), "title": title}
        description = button.get("description") or (button["title"] if title != button.get("title") else "")
        if description:
            row["description"] = shorten(description, ROW_DESCRIPTION_LIMIT)
        rows.append(row)
    return _interactive(to, "list", body, {"button": shorten(label, LIST_BUTTON_LIMIT), "sections": [{"rows": rows}]})


def numbered_text(body: str, buttons: list[dict[str, Any]], footer: str) -> str:
    lines = [body, ""] + [f"{i}. {b.get('title', '')}" for i, b in enumerate(buttons, start=1)]
    return "\n".join(lines + ["", footer])


def payloads_for_buttons(
    to: str, text: str, buttons: list[dict[str, Any]], list_label: str, numbered_footer: str
) -> list[dict[str, Any]]:
    """1–3 options → reply buttons, 4–10 → a list message, more → numbered text.

    A body longer than WhatsApp allows for interactive messages goes first as text.
    """
    if len(buttons) > MAX_LIST_ROWS:
        return [text_payload(to, chunk) for chunk in split_text(numbered_text(text, buttons, numbered_footer))]
    chunks = split_text(text, BODY_LIMIT) or [""]
    leading = [text_payload(to, c) for c in chunks[:-1]]
    body = chunks[-1] or "…"
    if len(buttons) <= MAX_REPLY_BUTTONS:
        return leading + [reply_buttons_payload(to, body, buttons)]
    return leading + [list_payload(to, body, buttons, list_label)]


def template_payload(
    to: str,
    name: str,
    language: str,
    body_params: Optional[list[Any]] = None,
    quick_replies: Optional[list[str]] = None,
) -> dict[str, Any]:
    """A template message: body parameters in order, quick-reply button payloads by index."""
    components: list[dict[str, Any]] = []
    if body_params:
        components.append({"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in body_params]})
    for index, payload in enumerate(quick_replies or []):
        components.append(
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(index),
                "parameters": [{"type": "payload", "payload": payload[:BUTTON_ID_LIMIT]}],
            }
        )
    template: dict[str, Any] = {"name": name, "language": {"code": language}}
    if components:
        template["components"] = components
    return {"to": to, "type": "template", "template": template}
