"""How Sauda authenticates to Rasa's HTTP API: a short-lived HS256 JWT signed with
RASA_AUTH_TOKEN in the ``Authorization`` header (Rasa runs with ``--jwt-secret``), because
Rasa's plain token only travels as ``?token=`` and URLs end up in logs."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

LIFETIME_S = 300


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def bearer_headers(secret: str, now: float | None = None) -> dict[str, str]:
    """``{"Authorization": "Bearer <jwt>"}`` with the admin role sanic-jwt checks, or ``{}``."""
    if not secret:
        return {}
    issued = int(now if now is not None else time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = _b64(json.dumps({"user": {"username": "sauda", "role": "admin"},
                              "iat": issued, "exp": issued + LIFETIME_S}).encode())
    signature = _b64(hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest())
    return {"Authorization": f"Bearer {header}.{claims}.{signature}"}
