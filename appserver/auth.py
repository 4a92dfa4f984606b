"""Login for the merchant and agent pages: users from the environment, signed session cookies.

``SAUDA_USERS="merchant:merchant:<password>,ayesha:agent:<password>"`` (name:role:password).
Roles: ``merchant`` sees everything, ``agent`` sees the escalation and payment queues.
The session cookie is HttpOnly, SameSite=Lax and signed with ``SAUDA_SESSION_SECRET``;
forms carry a CSRF token bound to the session.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import quote

from sanic import Blueprint, Request, response

from appserver.pages import render

COOKIE = "sauda_session"
SESSION_SECONDS = 12 * 3600
ROLES = ("merchant", "agent")


@dataclass(frozen=True)
class User:
    name: str
    role: str


class Auth:
    def __init__(self, users: dict[str, tuple[str, str]], secret: str, secure_cookie: bool = False) -> None:
        if not secret:
            raise SystemExit("SAUDA_SESSION_SECRET is not set (see .env.example)")
        self._users = users  # name -> (role, password)
        self._secret = secret.encode()
        self.secure_cookie = secure_cookie

    @classmethod
    def from_env(cls) -> "Auth":
        return cls(
            parse_users(os.environ.get("SAUDA_USERS", "")),
            os.environ.get("SAUDA_SESSION_SECRET", ""),
            os.environ.get("SAUDA_SECURE_COOKIES", "") == "1",
        )

    def check_password(self, name: str, password: str) -> Optional[User]:
        role, expected = self._users.get(name, ("", ""))
        # compare even for unknown users so that timing does not reveal who exists
        ok = hmac.compare_digest(password.encode(), (expected or "\0" * 16).encode())
        return User(name, role) if ok and expected else None

    def _sign(self, payload: bytes) -> str:
        return hmac.new(self._secret, payload, hashlib.sha256).hexdigest()

    def issue(self, user: User) -> str:
        payload = base64.urlsafe_b64encode(json.dumps(
            {"u": user.name, "r": user.role, "exp": int(time.time()) + SESSION_SECONDS}).encode())
        return payload.decode() + "." + self._sign(payload)

    def user_from(self, request: Request) -> Optional[User]:
        token = request.cookies.get(COOKIE, "")
        payload, _, signature = token.partition(".")
        if not payload or not hmac.compare_digest(self._sign(payload.encode()), signature):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload))
        except ValueError:
            return None
        if data.get("exp", 0) < time.time() or data.get("u") not in self._users:
            return None
        return User(data["u"], data["r"])

    def csrf_token(self, request: Request) -> str:
        """A token for forms, bound to this session."""
        return self._sign(b"csrf:" + request.cookies.get(COOKIE, "").encode())[:32]

    def csrf_ok(self, request: Request) -> bool:
        given = request.form.get("csrf", "") if request.form else request.headers.get("X-CSRF-Token", "")
        return bool(given) and hmac.compare_digest(given, self.csrf_token(request))


def parse_users(spec: str) -> dict[str, tuple[str, str]]:
    users: dict[str, tuple[str, str]] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, role, password = (item.split(":", 2) + ["", ""])[:3]
        if role not in ROLES or not name or len(password) < 8:
            raise SystemExit(f"SAUDA_USERS: {name or item!r} needs a role in {ROLES} and a password of 8+ characters")
        users[name] = (role, password)
    return users


def require(auth: Auth, *roles: str) -> Callable:
    """Decorator for page handlers: logged in with one of ``roles`` (merchant always passes).

    Browsers are sent to the login page; API clients get 401. POSTs need the CSRF token.
    """

    def decorator(handler):
        @functools.wraps(handler)
        async def wrapped(request: Request, *args, **kwargs):
            user = auth.user_from(request)
            if user is None:
                if "text/html" in request.headers.get("Accept", ""):
                    return response.redirect(f"/login?next={quote(request.path)}")
                return response.json({"error": "login required"}, status=401)
            if user.role not in roles and user.role != "merchant":
                return response.text("forbidden for your role", status=403)
            if request.method == "POST" and not auth.csrf_ok(request):
                return response.text("invalid or missing CSRF token; reload the page", status=403)
            request.ctx.user = user
            return await handler(request, *args, **kwargs)

        return wrapped

    return decorator


def auth_blueprint(auth: Auth) -> Blueprint:
    bp = Blueprint("auth")

    @bp.get("/login")
    async def login_page(request: Request):
        return response.html(render("login.html", next=request.args.get("next", "/"), error=None))

    @bp.post("/login")
    async def login(request: Request):
        form = request.form or {}
        user = auth.check_password(form.get("username", ""), form.get("password", ""))
        target = form.get("next", "/")
        if not target.startswith("/") or target.startswith("//"):
            target = "/"  # never redirect off-site
        if user is None:
            return response.html(render("login.html", next=target, error="Wrong username or password."), status=401)
        resp = response.redirect(target)
        resp.add_cookie(COOKIE, auth.issue(user), httponly=True, samesite="Lax",
                        secure=auth.secure_cookie, max_age=SESSION_SECONDS, path="/")
        return resp

    @bp.get("/")
    async def home(request: Request):
        user = auth.user_from(request)
        if user is None:
            return response.redirect("/login")
        return response.redirect("/dashboard" if user.role == "merchant" else "/console/escalations")

    @bp.post("/logout")
    async def logout(request: Request):
        resp = response.redirect("/login")
        resp.delete_cookie(COOKIE, path="/")
        return resp

    return bp
