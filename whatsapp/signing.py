"""HMAC-SHA256 signatures as Meta puts them in ``X-Hub-Signature-256`` (stdlib only)."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Hub-Signature-256"
# The same signature over what the channel hands to the app server (bot/hooks.py → appserver/channel_events.py).
HOOK_SIGNATURE_HEADER = "X-Sauda-Signature"


def sign(raw_body: bytes, secret: str) -> str:
    """Return the header value Meta would send for this body: ``sha256=<hex>``."""
    digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_is_valid(raw_body: bytes, header_value: str | None, secret: str) -> bool:
    """Check the header against the raw body in constant time; an empty secret or a header that
    is not ASCII (compare_digest refuses those with a TypeError) never verifies."""
    if not secret or not header_value or not header_value.isascii() or not header_value.startswith("sha256="):
        return False
    return hmac.compare_digest(sign(raw_body, secret), header_value)


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison of the webhook verify token."""
    if not expected or given is None or not given.isascii():
        return False
    return hmac.compare_digest(given.encode(), expected.encode())
