"""Receives what the WhatsApp channel hands over (statuses, opt-outs, inbound activity)."""
from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from typing import Any, Callable

from sanic import Blueprint, Request, response

from whatsapp.signing import HOOK_SIGNATURE_HEADER, signature_is_valid

logger = logging.getLogger(__name__)

LIFECYCLE_KINDS = ("status", "marketing_preference", "inbound")
# The channel's start-up check: answered 200 only when its secret matches ours.
PING = "ping"
# Template approval/category changes are kept in the recent-events feed and logged; the
# lifecycle can subscribe by moving the kind into LIFECYCLE_KINDS.
KINDS = LIFECYCLE_KINDS + ("template_update",)


def channel_events_blueprint(secret: str, handle: Callable[[str, dict], Any]) -> Blueprint:
    """``POST /internal/channel-events``: signed by the channel with SAUDA_INTERNAL_SECRET."""
    bp = Blueprint("channel_events", url_prefix="/internal")
    recent: deque = deque(maxlen=2000)

    @bp.post("/channel-events")
    async def receive(request: Request):
        if not signature_is_valid(request.body, request.headers.get(HOOK_SIGNATURE_HEADER), secret):
            return response.json({"error": "invalid signature"}, status=401)
        try:
            event = json.loads(request.body)
            kind, data = event["kind"], event["data"]
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            return response.json({"error": f"expected {{kind, data}}: {str(exc)[:200]}"}, status=400)
        if kind == PING:
            return response.json({"status": "ok"})
        if kind not in KINDS or not isinstance(data, dict):
            return response.json({"error": f"kind: expected one of {KINDS}, got {kind!r}"}, status=400)
        recent.append(event)
        if kind not in LIFECYCLE_KINDS:
            logger.warning("template update: %s", data)
            return response.json({"status": "ok"})
        outcome = await asyncio.to_thread(handle, kind, data)  # the database off the event loop
        return response.json({"status": "ok", "outcome": outcome})

    @bp.get("/channel-events")
    async def recent_events(request: Request):
        """The last events received (for operators and tests); same secret as a bearer token."""
        if request.headers.get("Authorization") != f"Bearer {secret}" or not secret:
            return response.json({"error": "unauthorized"}, status=401)
        return response.json({"events": list(recent)})

    return bp
