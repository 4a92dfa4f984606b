"""Login against a real HTTP server and a migrated database: lockout, server-side sessions that
logout and a new password end, the role read on every request, cookie flags, local redirects,
and the refusals at start (published passwords, SAUDA_USERS outside development)."""
from __future__ import annotations

import asyncio

import httpx
import pytest
from sanic import response

from appserver.auth import COOKIE, Auth, auth_blueprint, require
from lifecycle.db.account_models import WebUser
from lifecycle.domain import accounts
from tests.fakes.serving import new_app, serve
from tests.unit.lifecycle.conftest import NOON_PKT, sqlite_db  # noqa: F401 - fixture

PASSWORD = "a-long-enough-password"


def login_app(db, secure_cookie: bool = False):
    auth = Auth(db, "session-secret", secure_cookie=secure_cookie)
    app = new_app("login")
    app.blueprint(auth_blueprint(auth))

    @app.get("/private")
    @require(auth, "merchant")
    async def private(request):
        return response.text(f"hello {request.ctx.user.name} ({request.ctx.user.role})")

    return app


def add(db, name: str, role: str = "merchant", password: str = PASSWORD) -> None:
    with db.session.begin() as session:
        accounts.add_user(session, name, role, password, NOON_PKT)


def run(app, scenario):
    async def go():
        async with serve(app) as url:
            return await scenario(url)
    return asyncio.run(go())


def client(url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=30)


def test_the_account_locks_after_five_wrong_passwords_even_for_the_right_one(sqlite_db):
    add(sqlite_db, "sara")

    async def scenario(url):
        async with client(url) as c:
            wrong = [(await c.post("/login", data={"username": "sara", "password": f"guess-{n}-xxxx"})).status_code
                     for n in range(accounts.ACCOUNT_LIMIT)]
            right = await c.post("/login", data={"username": "sara", "password": PASSWORD})
            return wrong, right

    wrong, right = run(login_app(sqlite_db), scenario)
    assert wrong == [401] * accounts.ACCOUNT_LIMIT
    assert right.status_code == 429 and "locked" in right.text and COOKIE not in right.cookies
    assert accounts.ACCOUNT_LIMIT <= 10


def test_an_address_guessing_many_names_is_locked_out(sqlite_db):
    add(sqlite_db, "sara")

    async def scenario(url):
        async with client(url) as c:
            for n in range(accounts.ADDRESS_LIMIT):
                await c.post("/login", data={"username": f"user{n}", "password": "whatever-password"})
            return await c.post("/login", data={"username": "sara", "password": PASSWORD})

    assert run(login_app(sqlite_db), scenario).status_code == 429


def test_a_cookie_used_after_logout_is_refused(sqlite_db):
    add(sqlite_db, "sara")

    async def scenario(url):
        async with client(url) as c:
            await c.post("/login", data={"username": "sara", "password": PASSWORD})
            token = c.cookies[COOKIE]
            inside = await c.get("/private")
            await c.post("/logout")
            c.cookies.set(COOKIE, token)  # the old cookie kept by an attacker
            return inside, await c.get("/private")

    inside, after = run(login_app(sqlite_db), scenario)
    assert inside.status_code == 200 and inside.text == "hello sara (merchant)"
    assert after.status_code == 401


def test_a_new_password_ends_every_session_and_a_new_role_applies_at_once(sqlite_db):
    add(sqlite_db, "sara")
    add(sqlite_db, "bilal")

    async def scenario(url):
        async with client(url) as sara, client(url) as bilal:
            await sara.post("/login", data={"username": "sara", "password": PASSWORD})
            await bilal.post("/login", data={"username": "bilal", "password": PASSWORD})
            with sqlite_db.session.begin() as session:
                accounts.set_password(session, "sara", "another-long-password", NOON_PKT)
                accounts.set_role(session, "bilal", "agent")
            return await sara.get("/private"), await bilal.get("/private")

    sara, bilal = run(login_app(sqlite_db), scenario)
    assert sara.status_code == 401
    assert bilal.status_code == 403  # the cookie never said "merchant": the row does


def test_login_replaces_the_session_the_browser_had(sqlite_db):
    add(sqlite_db, "sara")

    async def scenario(url):
        async with client(url) as c:
            await c.post("/login", data={"username": "sara", "password": PASSWORD})
            planted = c.cookies[COOKIE]  # e.g. fixed in the victim's browser before they log in
            await c.post("/login", data={"username": "sara", "password": PASSWORD})
            new = c.cookies[COOKIE]
            c.cookies.clear()
            c.cookies.set(COOKIE, planted)
            return planted, new, await c.get("/private")

    planted, new, with_planted = run(login_app(sqlite_db), scenario)
    assert planted != new and with_planted.status_code == 401


def test_the_cookie_is_secure_httponly_and_samesite_by_default(sqlite_db):
    add(sqlite_db, "sara")

    async def scenario(url):
        async with client(url) as c:
            return await c.post("/login", data={"username": "sara", "password": PASSWORD})

    flags = run(login_app(sqlite_db, secure_cookie=True), scenario).headers["set-cookie"].lower()
    assert "httponly" in flags and "samesite=lax" in flags and "secure" in flags
    assert Auth(sqlite_db, "s").secure_cookie


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_login_redirects_only_to_local_paths(sqlite_db, target):
    add(sqlite_db, "sara")

    async def scenario(url):
        async with client(url) as c:
            return await c.post("/login", data={"username": "sara", "password": PASSWORD, "next": target})

    assert run(login_app(sqlite_db), scenario).headers["location"] == "/"


def test_published_and_short_passwords_are_refused(sqlite_db):
    with sqlite_db.session.begin() as session:
        for password in (*accounts.EXAMPLE_PASSWORDS, "short", "sara-sara"[:4]):
            with pytest.raises(accounts.AccountError):
                accounts.add_user(session, "sara", "merchant", password, NOON_PKT)


def test_start_refuses_a_stored_example_password_and_env_users_outside_development(sqlite_db, monkeypatch):
    monkeypatch.setenv("SAUDA_SESSION_SECRET", "s")
    monkeypatch.setenv("SAUDA_USERS", f"sara:merchant:{PASSWORD}")
    with pytest.raises(SystemExit, match="development mode only"):
        Auth.from_env(sqlite_db, dev_mode=False)
    Auth.from_env(sqlite_db, dev_mode=True)  # creates sara
    monkeypatch.delenv("SAUDA_USERS")
    with sqlite_db.session.begin() as session:
        # a hash of the published password, as an older setup could have stored it
        session.get(WebUser, "sara").password_hash = accounts._hasher.hash(accounts.EXAMPLE_PASSWORDS[0])
    with pytest.raises(SystemExit, match="example password"):
        Auth.from_env(sqlite_db, dev_mode=False)
