"""Login for the merchant and agent pages: accounts and server-side sessions in the lifecycle
database (lifecycle/domain/accounts.py), managed with ``python -m appserver users``.

Roles: ``agent`` sees the escalation and payment queues, ``merchant`` every page, ``owner``
also changes the wallet accounts that payment instructions send customers to. The cookie
holds only a random session token: HttpOnly, SameSite=Lax and Secure (except in development
mode, which serves plain HTTP). Forms carry a CSRF token bound to the session.
"""
from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import os
import time
from datetime import datetime, timezone
from typing import Callable, Optional
from urllib.parse import quote

from sanic import Blueprint, Request, response

from appserver.pages import render
from lifecycle.db.engine import Database
from lifecycle.domain import accounts
from lifecycle.domain.accounts import User
from lifecycle.integrations import signing

COOKIE = "sauda_session"


def shop_signature_problem(request: Request, secret: str, max_skew: float) -> Optional[str]:
    """Why a request from the shop's backend (signed with SAUDA_EVENTS_SECRET) is not authentic; None if it is."""
    return signing.check(
        secret,
        request.body,
        request.headers.get(signing.SIGNATURE_HEADER),
        request.headers.get(signing.TIMESTAMP_HEADER),
        time.time(),
        max_skew,
    )


def _now() -> datetime:
    return datetime.now(timezone.utc)  # sessions expire on the wall clock, not the dev clock


class Auth:
    def __init__(self, db: Database, secret: str, secure_cookie: bool = True) -> None:
        if not secret:
            raise SystemExit("SAUDA_SESSION_SECRET is not set (see .env.example)")
        self.db = db
        self._secret = secret.encode()
        self.secure_cookie = secure_cookie

    @classmethod
    def from_env(cls, db: Database, dev_mode: bool) -> "Auth":
        """Refuses to start while a user has a published password. In development mode
        ``SAUDA_USERS`` (name:role:password,...) creates or resets users; elsewhere it is an error."""
        seed = os.environ.get("SAUDA_USERS", "")
        if seed and not dev_mode:
            raise SystemExit("SAUDA_USERS is for development mode only: add users with "
                             "`python -m appserver users add NAME --role owner|merchant|agent`")
        with db.session.begin() as session:
            for item in filter(None, (part.strip() for part in seed.split(","))):
                name, role, password = (item.split(":", 2) + ["", ""])[:3]
                try:
                    accounts.ensure_user(session, name, role, password, _now())
                except accounts.AccountError as exc:
                    raise SystemExit(f"SAUDA_USERS: {name!r}: {exc}") from None
            published = accounts.users_with_example_passwords(session)
        if published:
            raise SystemExit(f"users {', '.join(published)} have the example password of .env.example: "
                             "set new ones with `python -m appserver users passwd NAME`")
        return cls(db, os.environ.get("SAUDA_SESSION_SECRET", ""), secure_cookie=not dev_mode)

    async def user_from(self, request: Request) -> Optional[User]:
        token = request.cookies.get(COOKIE, "")
        if not token:
            return None

        def look_up() -> Optional[User]:
            with self.db.session() as session:
                return accounts.session_user(session, token, _now())

        return await asyncio.to_thread(look_up)

    def _sign(self, payload: bytes) -> str:
        return hmac.new(self._secret, payload, hashlib.sha256).hexdigest()

    def csrf_token(self, request: Request) -> str:
        """A token for forms, bound to this session."""
        return self._sign(b"csrf:" + request.cookies.get(COOKIE, "").encode())[:32]

    def csrf_ok(self, request: Request) -> bool:
        given = request.form.get("csrf", "") if request.form else request.headers.get("X-CSRF-Token", "")
        return bool(given) and hmac.compare_digest(given, self.csrf_token(request))

    def set_cookie(self, resp: response.HTTPResponse, token: str) -> None:
        resp.add_cookie(COOKIE, token, httponly=True, samesite="Lax", secure=self.secure_cookie,
                        max_age=int(accounts.SESSION_LENGTH.total_seconds()), path="/")


def require(auth: Auth, role: str) -> Callable:
    """Decorator for page handlers: logged in with ``role`` or a higher one.

    Browsers are sent to the login page; API clients get 401. POSTs need the CSRF token.
    """

    def decorator(handler):
        @functools.wraps(handler)
        async def wrapped(request: Request, *args, **kwargs):
            user = await auth.user_from(request)
            if user is None:
                if "text/html" in request.headers.get("Accept", ""):
                    return response.redirect(f"/login?next={quote(request.path)}")
                return response.json({"error": "login required"}, status=401)
            if not accounts.role_allows(user.role, role):
                return response.text("forbidden for your role", status=403)
            if request.method == "POST" and not auth.csrf_ok(request):
                return response.text("invalid or missing CSRF token; reload the page", status=403)
            request.ctx.user = user
            return await handler(request, *args, **kwargs)

        return wrapped

    return decorator


def local_path(target: str) -> str:
    """``target`` if it is a path on this site, else "/" (never an off-site redirect)."""
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(c) < 32 for c in target)):
        return "/"
    return target


def client_address(request: Request) -> str:
    # remote_addr is set only from proxy headers Sanic was told to trust; otherwise the peer
    return request.remote_addr or request.ip or "unknown"


def auth_blueprint(auth: Auth) -> Blueprint:
    bp = Blueprint("auth")

    @bp.get("/login")
    async def login_page(request: Request):
        return response.html(render("login.html", next=local_path(request.args.get("next", "/")), error=None))

    @bp.post("/login")
    async def login(request: Request):
        form = request.form or {}
        target = local_path(form.get("next", "/"))
        name, password = form.get("username", ""), form.get("password", "")

        def check() -> accounts.LoginResult:
            with auth.db.session.begin() as session:
                return accounts.login(session, name, password, client_address(request), _now(),
                                      previous_token=request.cookies.get(COOKIE, ""))

        result = await asyncio.to_thread(check)
        if result.locked_until is not None:
            minutes = max(1, round((result.locked_until - _now()).total_seconds() / 60))
            return response.html(render("login.html", next=target, error=(
                f"Too many wrong passwords: login is locked for {minutes} more minute(s).")), status=429,
                headers={"Retry-After": str(minutes * 60)})
        if result.user is None:
            return response.html(render("login.html", next=target, error="Wrong username or password."), status=401)
        resp = response.redirect(target)
        auth.set_cookie(resp, result.token)
        return resp

    @bp.get("/")
    async def home(request: Request):
        user = await auth.user_from(request)
        if user is None:
            return response.redirect("/login")
        return response.redirect("/console/escalations" if user.role == "agent" else "/dashboard")

    @bp.post("/logout")
    async def logout(request: Request):
        token = request.cookies.get(COOKIE, "")
        if token:
            def end() -> None:
                with auth.db.session.begin() as session:
                    accounts.logout(session, token)
            await asyncio.to_thread(end)
        resp = response.redirect("/login")
        resp.delete_cookie(COOKIE, path="/")
        return resp

    return bp
