"""HMAC-SHA256 signatures with a timestamp, for the shop's events and our merchant webhooks.

``X-Sauda-Signature: sha256=<hex HMAC of "<timestamp>." + raw body>`` and
``X-Sauda-Timestamp: <unix seconds>``: a captured request cannot be replayed after the
allowed skew, and a replay within it is caught by the event id.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Optional

SIGNATURE_HEADER = "X-Sauda-Signature"
TIMESTAMP_HEADER = "X-Sauda-Timestamp"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def check(
    secret: str, body: bytes, signature: Optional[str], timestamp: Optional[str], now: float, max_skew: float
) -> Optional[str]:
    """None if the request is authentic and fresh, else what is wrong with it."""
    if not secret:
        return "events secret not configured"
    if not signature or not timestamp:
        return f"missing {SIGNATURE_HEADER} or {TIMESTAMP_HEADER}"
    try:
        ts = int(timestamp)
    except ValueError:
        return f"{TIMESTAMP_HEADER} must be unix seconds"
    if not hmac.compare_digest(sign(secret, ts, body).encode(), signature.encode()):  # bytes: any header text
        return "invalid signature"
    if abs(now - ts) > max_skew:
        return f"timestamp outside the allowed {int(max_skew)} s (replayed or clock skew)"
    return None
