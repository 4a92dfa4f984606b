"""Login for merchant and agent pages, against the real app server."""

from __future__ import annotations

import httpx

from appserver.auth import COOKIE
from tests.stack import AGENT_PASSWORD, MERCHANT_PASSWORD


def _client(stack) -> httpx.Client:
    return httpx.Client(base_url=stack.app_url, follow_redirects=False, timeout=10)


def test_pages_need_a_login(stack):
    with _client(stack) as c:
        r = c.get("/", headers={"Accept": "text/html"})
        assert r.status_code in (302, 303) and r.headers["location"] == "/login"


def test_wrong_password_is_refused_without_a_cookie(stack):
    with _client(stack) as c:
        r = c.post("/login", data={"username": "merchant", "password": AGENT_PASSWORD})
        assert r.status_code == 401
        assert COOKIE not in r.cookies
        assert "Wrong username or password" in r.text
        unknown = c.post("/login", data={"username": "nobody", "password": MERCHANT_PASSWORD})
        assert unknown.status_code == 401


def test_login_sets_a_signed_httponly_cookie_and_sends_each_role_home(stack):
    with _client(stack) as c:
        r = c.post("/login", data={"username": "merchant", "password": MERCHANT_PASSWORD, "next": "/"})
        assert r.status_code in (302, 303)
        set_cookie = r.headers["set-cookie"]
        assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
        assert c.get("/").headers["location"] == "/dashboard"
    with _client(stack) as c:
        c.post("/login", data={"username": "agent", "password": AGENT_PASSWORD})
        assert c.get("/").headers["location"] == "/console/escalations"


def test_a_tampered_cookie_is_not_a_login(stack):
    with _client(stack) as c:
        c.post("/login", data={"username": "agent", "password": AGENT_PASSWORD})
        token = c.cookies[COOKIE]
        forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
        c.cookies.clear()
        c.cookies.set(COOKIE, forged)
        assert c.get("/").headers["location"] == "/login"


def test_login_never_redirects_off_site(stack):
    with _client(stack) as c:
        r = c.post(
            "/login", data={"username": "merchant", "password": MERCHANT_PASSWORD, "next": "//evil.example/steal"}
        )
        assert r.headers["location"] == "/"
