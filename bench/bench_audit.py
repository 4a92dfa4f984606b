"""The attack half of the fault-and-attack suite (``make audit``): crafted requests at every HTTP
endpoint of the running stack, counted per endpoint.

Each probe says whether refusing it is right (unauthenticated, forged, unsigned, replayed,
oversized, compressed, malformed) or merely must not break anything (a signed, well-formed
request carrying hostile text or a foreign number). The table shows, per endpoint: probes
sent, "accepted" where refusal is right (target 0), 5xx answers (target 0), and rows of
the lifecycle database changed by the refused probes (target 0, from a digest of every
table the lifecycle keeps, taken before and after each endpoint's probes). Pages logged in
afterwards must show the hostile text as text (target 0 live markup).

``probes(stack, short=True)`` is the subset tests/security/ runs in CI on the shared stack.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sqlite3
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import httpx

from bench.table import Table
from lifecycle.integrations import signing as event_signing
from tests.stack import Stack, start_stack, trained_model
from whatsapp.signing import HOOK_SIGNATURE_HEADER, SIGNATURE_HEADER, sign

BIG = 10 * 1024 * 1024  # a 10 MB body
# HS256 {"user": {"username": "me", "role": "admin"}} signed with "guess"
FORGED_JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyIjp7InVzZXJuYW1lIjoibWUiLCJyb2xlIjoiYWRtaW4ifX0."
              "Lw0rJ0Yx3sEo4gJz9yQ0mF8jY0vJc1Qm2W8K0oZbF2c")
NON_ASCII = "Sauda-é-ü-ग".encode("utf-8")  # raw UTF-8 bytes in a header value
HOSTILE = ('"><script>alert("sauda")</script>', "<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\")",
           "+92 300 0000000", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "'; DROP TABLE orders; --", "ف" * 300)
FOREIGN = ("+971501234567", "+447911123456", "+14155552671", "0092300", "not-a-number", "0" * 40, "")
# Tables whose change is the point of a refusal (failed logins counted) or background work.
NOT_COMPARED = {"login_throttles", "web_sessions", "touchpoints", "outbox_messages", "agent_alerts",
                "analytics_daily", "analytics_summary_state", "analytics_changes", "alembic_version"}


@dataclass
class Probe:
    endpoint: str  # the row of the table, e.g. "POST /lifecycle/events"
    what: str
    send: Callable[[httpx.Client], httpx.Response]
    refuse: bool = True  # refusing is the right answer


@dataclass
class Row:
    probes: int = 0
    should_refuse: int = 0
    accepted_wrongly: int = 0
    server_errors: int = 0
    rows_changed: int = 0
    examples: list[str] = field(default_factory=list)


def refused(answer: httpx.Response) -> bool:
    """4xx, or a browser sent to the login page."""
    if 400 <= answer.status_code < 500:
        return True
    return answer.is_redirect and answer.headers.get("location", "").startswith("/login")


BROKEN_JSON = [b"", b"{", b"null", b"[]", b"\"text\"", b"{\"a\":", b"\xff\xfe\x00", b"{\"a\":" * 5000,
               b"[" * 100000]  # unreadable: refusing is right


def mutations(valid: dict) -> list[bytes]:
    """``valid`` with a wrong type at every depth: each must get an answer, never a 5xx
    (some, such as a number where a string goes, may rightly be accepted)."""
    bodies = []

    def paths(value, trail=()):
        yield trail
        if isinstance(value, dict):
            for key, inner in value.items():
                yield from paths(inner, trail + (key,))
        elif isinstance(value, list) and value:
            yield from paths(value[0], trail + (0,))

    for trail in list(paths(valid))[1:]:
        for wrong in (None, 12345, "x", [], {}):
            broken = json.loads(json.dumps(valid))
            target = broken
            for step in trail[:-1]:
                target = target[step]
            target[trail[-1]] = wrong
            bodies.append(json.dumps(broken).encode())
    return bodies


def settled_digest(db_file: Path, quiet: float = 1.0, timeout: float = 30) -> dict[str, str]:
    """The digest once background work (the worker, channel hooks) has left the tables alone
    for ``quiet`` seconds, so that what changes next is the probes' doing."""
    deadline = time.monotonic() + timeout
    last = lifecycle_digest(db_file)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = lifecycle_digest(db_file)
        if now == last:
            return now
        last = now
    return last


def lifecycle_digest(db_file: Path) -> dict[str, str]:
    """A hash of every row of every compared table."""
    digest = {}
    with sqlite3.connect(db_file, timeout=30) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in names:
            if name in NOT_COMPARED or name.startswith("sqlite_"):
                continue
            rows = db.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
            digest[name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digest


def _event_headers(stack: Stack, raw: bytes, at: Optional[int] = None) -> dict[str, str]:
    return event_signing.headers(stack.env["SAUDA_EVENTS_SECRET"], int(at or time.time()), raw)


def _order_event(**data) -> dict:
    body = {"order_id": f"AUD-{secrets.token_hex(4)}", "phone": "03001230000", "name": "Audit",
            "payment_method": "cod", "amount": "1000", "items": [{"name": "Lawn", "quantity": 1, "price": "1000"}],
            "city": "Lahore", "address": "House 1, Street 2"}
    body.update(data)
    return {"id": f"evt-{secrets.token_hex(8)}", "type": "order.placed", "data": body}


def _wa_webhook(wa_id: str, text: str) -> dict:
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "923000000000",
                                                      "phone_number_id": "100200300400500"},
        "contacts": [{"profile": {"name": "Audit"}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "id": f"wamid.{secrets.token_hex(12)}", "timestamp": str(int(time.time())),
                      "type": "text", "text": {"body": text}}]}}]}]}


def _login(stack: Stack, client: httpx.Client, name: str, password: str) -> str:
    client.post(f"{stack.app_url}/login", data={"username": name, "password": password})
    return client.cookies.get("sauda_session", "")


def probes(stack: Stack, merchant: tuple[str, str], agent: tuple[str, str], short: bool = False) -> list[Probe]:
    app, rasa = stack.app_url, stack.rasa_url
    out: list[Probe] = []

    def add(endpoint: str, what: str, send, refuse: bool = True) -> None:
        out.append(Probe(endpoint, what, send, refuse))

    def each(bodies):
        return bodies[::6] if short else bodies

    # -- the rasa-sdk action endpoint: its own private listener, behind SAUDA_ACTION_SECRET ---------
    actions = stack.env["SAUDA_ACTION_URL"]
    action = {"next_action": "action_set_marketing_preference", "sender_id": "923001234567",
              "tracker": {"sender_id": "923001234567", "slots": {}, "latest_message": {"intent": {"name": "stop"}},
                          "events": []}, "domain": {}, "version": "3.6.21"}
    add("POST /webhook (actions)", "on the public listener", lambda c: c.post(f"{app}/webhook", json=action))
    add("POST /webhook (actions)", "unauthenticated action call", lambda c: c.post(actions, json=action))
    add("POST /webhook (actions)", "wrong bearer token", lambda c: c.post(
        actions, json=action, headers={"Authorization": "Bearer guess"}))
    add("POST /webhook (actions)", "non-ASCII bearer token", lambda c: c.post(
        actions, json=action, headers={"Authorization": b"Bearer " + NON_ASCII}))
    secret_header = {"Authorization": f"Bearer {stack.env['SAUDA_ACTION_SECRET']}"}
    add("POST /webhook (actions)", "deflate-compressed body", lambda c: c.post(
        actions, content=zlib.compress(json.dumps(action).encode()),
        headers={**secret_header, "Content-Encoding": "deflate", "Content-Type": "application/json"}))
    for body in BROKEN_JSON + each(mutations(action)):
        add("POST /webhook (actions)", "malformed JSON, unauthenticated", lambda c, b=body: c.post(
            actions, content=b, headers={"Content-Type": "application/json"}))
    add("POST /webhook (actions)", "10 MB body", lambda c: c.post(actions, content=b"{" + b" " * BIG,
                                                                  headers=secret_header))

    # -- channel → app server hooks ----------------------------------------------------------------
    secret = stack.env["SAUDA_INTERNAL_SECRET"]

    def hook(body: bytes, signature: Optional[str] = None):
        sig = signature if signature is not None else sign(body, secret)
        return lambda c: c.post(f"{app}/internal/channel-events", content=body,
                                headers={HOOK_SIGNATURE_HEADER: sig})

    status = {"kind": "status", "data": {"wamid": "wamid.none", "status": "read", "timestamp": "1700000000"}}
    raw_status = json.dumps(status).encode()
    add("POST /internal/channel-events", "unsigned", hook(raw_status, ""))
    add("POST /internal/channel-events", "forged signature", hook(raw_status, "sha256=" + "0" * 64))
    add("POST /internal/channel-events", "signed with another secret", hook(raw_status, sign(raw_status, "guess")))
    for body in BROKEN_JSON:
        add("POST /internal/channel-events", "signed, not JSON", hook(body))
    for body in each(mutations(status)):
        add("POST /internal/channel-events", "signed, wrong types", hook(body), refuse=False)
    for number in FOREIGN:
        inbound = json.dumps({"kind": "inbound", "data": {"wa_id": number, "wamid": f"wamid.{secrets.token_hex(6)}"}})
        add("POST /internal/channel-events", f"signed inbound from {number or 'empty'!r}", hook(inbound.encode()),
            refuse=False)
    add("POST /internal/channel-events", "10 MB body", hook(b"{" + b" " * BIG, "sha256=" + "0" * 64))
    add("GET /internal/channel-events", "no bearer token", lambda c: c.get(f"{app}/internal/channel-events"))
    add("GET /internal/channel-events", "wrong bearer token", lambda c: c.get(
        f"{app}/internal/channel-events", headers={"Authorization": "Bearer guess"}))

    # -- the shop's signed events --------------------------------------------------------------------
    def event(raw: bytes, headers=None):
        return lambda c: c.post(f"{app}/lifecycle/events", content=raw,
                                headers=headers if headers is not None else _event_headers(stack, raw))

    placed = json.dumps(_order_event()).encode()
    add("POST /lifecycle/events", "unsigned", event(placed, {}))
    add("POST /lifecycle/events", "forged signature", event(placed, {
        **_event_headers(stack, placed), event_signing.SIGNATURE_HEADER: "0" * 64}))
    add("POST /lifecycle/events", "replayed an hour later", event(placed, _event_headers(stack, placed,
                                                                                         int(time.time()) - 3600)))
    add("POST /lifecycle/events", "timestamp from the future", event(placed, _event_headers(
        stack, placed, int(time.time()) + 3600)))
    add("POST /lifecycle/events", "non-ASCII signature header", event(placed, {
        event_signing.SIGNATURE_HEADER: NON_ASCII, event_signing.TIMESTAMP_HEADER: str(int(time.time()))}))
    for body in BROKEN_JSON:
        add("POST /lifecycle/events", "signed, not JSON", lambda c, b=body: event(b)(c))
    for body in each(mutations(_order_event())):
        add("POST /lifecycle/events", "signed, wrong types", lambda c, b=body: event(b)(c), refuse=False)
    for number in FOREIGN:
        body = json.dumps(_order_event(phone=number)).encode()
        add("POST /lifecycle/events", f"signed order for {number or 'empty'!r}", lambda c, b=body: event(b)(c),
            refuse=False)
    for text in each(list(HOSTILE)):
        body = json.dumps(_order_event(name=text, city=text, address=text,
                                       items=[{"name": text, "quantity": 1, "price": "10"}])).encode()
        add("POST /lifecycle/events", "signed order with hostile text", lambda c, b=body: event(b)(c), refuse=False)
    big = json.dumps(_order_event(address="x" * BIG)).encode()
    add("POST /lifecycle/events", "10 MB signed body", lambda c: event(big)(c))

    # -- Shopify, discount codes, dev clock ----------------------------------------------------------
    shop = json.dumps({"id": 1, "phone": "03001230000", "line_items": []}).encode()
    add("POST /lifecycle/shopify/orders", "unsigned", lambda c: c.post(f"{app}/lifecycle/shopify/orders",
                                                                       content=shop))
    add("POST /lifecycle/shopify/orders", "forged HMAC", lambda c: c.post(
        f"{app}/lifecycle/shopify/orders", content=shop, headers={"X-Shopify-Hmac-Sha256": "AAAA",
                                                                  "X-Shopify-Webhook-Id": "1"}))
    add("POST /lifecycle/shopify/orders", "non-ASCII HMAC header", lambda c: c.post(
        f"{app}/lifecycle/shopify/orders", content=shop, headers={"X-Shopify-Hmac-Sha256": NON_ASCII}))
    add("POST /lifecycle/shopify/orders", "10 MB body", lambda c: c.post(
        f"{app}/lifecycle/shopify/orders", content=b" " * BIG))
    shopify_secret = stack.env.get("SAUDA_SHOPIFY_SECRET") or stack.env["SAUDA_EVENTS_SECRET"]

    def shopify_signed(raw: bytes):
        mac = base64.b64encode(hmac.new(shopify_secret.encode(), raw, hashlib.sha256).digest()).decode()
        return lambda c: c.post(f"{app}/lifecycle/shopify/orders", content=raw, headers={
            "X-Shopify-Hmac-Sha256": mac, "X-Shopify-Webhook-Id": secrets.token_hex(8)})

    for body in BROKEN_JSON:
        add("POST /lifecycle/shopify/orders", "signed, not JSON", shopify_signed(body))
    shopify_order = {"id": 1, "name": "#1001", "phone": "03001230000", "total_price": "100.00",
                     "shipping_address": {"city": "Lahore", "address1": "House 1"},
                     "line_items": [{"title": "Lawn", "quantity": 1, "price": "100.00"}]}
    for body in each(mutations(shopify_order)):
        add("POST /lifecycle/shopify/orders", "signed, wrong types", shopify_signed(body), refuse=False)
    for path in ("/lifecycle/codes/validate", "/lifecycle/codes/redeem"):
        body = json.dumps({"code": "SAUDA10", "order_id": "SD-1", "phone": "03001234567"}).encode()
        add(f"POST {path}", "unsigned", lambda c, p=path, b=body: c.post(f"{app}{p}", content=b))
        add(f"POST {path}", "forged", lambda c, p=path, b=body: c.post(f"{app}{p}", content=b, headers={
            **_event_headers(stack, b), event_signing.SIGNATURE_HEADER: "f" * 64}))
        for broken in BROKEN_JSON + mutations({"code": "X", "order_id": "SD-1"}):
            add(f"POST {path}", "signed, malformed", lambda c, p=path, b=broken: c.post(
                f"{app}{p}", content=b, headers=_event_headers(stack, b)), refuse=broken in BROKEN_JSON)
    clock = json.dumps({"seconds": 10 ** 9}).encode()
    add("POST /lifecycle/dev/clock", "unsigned", lambda c: c.post(f"{app}/lifecycle/dev/clock", content=clock))

    # -- catalog API ----------------------------------------------------------------------------------
    add("POST /catalog/import", "no token", lambda c: c.post(f"{app}/catalog/import", content=b"title,price\nx,1\n"))
    add("POST /catalog/import", "wrong token", lambda c: c.post(
        f"{app}/catalog/import", content=b"title,price\nx,1\n", headers={"Authorization": "Bearer guess"}))
    add("GET /catalog/", "no token", lambda c: c.get(f"{app}/catalog/"))

    # -- login and the logged-in pages ----------------------------------------------------------------
    pages_get = ["/dashboard/", "/dashboard/cancellations", "/dashboard/csv/orders_trend.csv", "/console/escalations",
                 "/console/escalations/1", "/console/payments", "/settings/", "/templates/",
                 "/templates/export/sauda_cod_confirmation.json", "/catalog/manage/"]
    pages_post = ["/console/escalations/1/take", "/console/escalations/1/reply", "/console/escalations/1/resolve",
                  "/console/customers/erase", "/console/payments/SD-1/verify", "/console/payments/SD-1/reject",
                  "/settings/profile", "/settings/touchpoints", "/catalog/manage/"]
    for path in pages_get:
        add(f"GET {path}", "not logged in", lambda c, p=path: c.get(f"{app}{p}"))
        add(f"GET {path}", "forged session cookie", lambda c, p=path: c.get(
            f"{app}{p}", headers={"Cookie": "sauda_session=" + secrets.token_urlsafe(32)}))
        add(f"GET {path}", "non-ASCII cookie", lambda c, p=path: c.get(
            f"{app}{p}", headers={"Cookie": b"sauda_session=" + NON_ASCII}))
    form = {"text": HOSTILE[0], "phone": "03001234567", "jazzcash_number": "03009999999"}
    for path in pages_post:
        add(f"POST {path}", "not logged in", lambda c, p=path: c.post(f"{app}{p}", data=form))
        add(f"POST {path}", "forged session cookie", lambda c, p=path: c.post(
            f"{app}{p}", data=form, headers={"Cookie": "sauda_session=" + secrets.token_urlsafe(32)}))

    def as_agent(method: str, path: str, csrf: bool):
        def send(c: httpx.Client) -> httpx.Response:
            with httpx.Client(timeout=30) as session:
                _login(stack, session, *agent)
                token = ""
                if csrf:
                    as_json = {"Accept": "application/json"}
                    token = session.get(f"{app}/console/payments", headers=as_json).json()["csrf"]
                return session.request(method, f"{app}{path}", data={"csrf": token, "phone": "03001234567",
                                                                      "jazzcash_number": "03009999999"})
        return send

    for path in ("/dashboard/", "/settings/", "/templates/", "/catalog/manage/"):
        add(f"GET {path}", "agent on a merchant page", as_agent("GET", path, False))
    for path in ("/settings/profile", "/console/customers/erase", "/catalog/manage/"):
        add(f"POST {path}", "agent session with CSRF on a merchant action", as_agent("POST", path, True))
    for path in ("/console/escalations/1/take", "/console/payments/SD-1/verify"):
        add(f"POST {path}", "agent session without CSRF token", as_agent("POST", path, False))

    def merchant_wallet(c: httpx.Client) -> httpx.Response:
        with httpx.Client(timeout=30) as session:
            _login(stack, session, *merchant)
            token = session.get(f"{app}/console/payments", headers={"Accept": "application/json"}).json()["csrf"]
            return session.post(f"{app}/settings/profile", data={"csrf": token, "jazzcash_number": "03009999999",
                                                                  "jazzcash_title": "Thief"})
    add("POST /settings/profile", "merchant (not owner) changes the JazzCash number", merchant_wallet)

    guesses = 3 if short else 12
    for n in range(guesses):
        add("POST /login", "wrong password", lambda c, n=n: c.post(f"{app}/login", data={
            "username": f"audit-nobody-{n}", "password": f"guess-{n}"}))
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        add("POST /login", f"off-site next={target}", lambda c, t=target: _offsite(c, app, merchant, t))
    add("POST /login", "10 MB form", lambda c: c.post(f"{app}/login", content=b"username=" + b"a" * BIG,
                                                      headers={"Content-Type": "application/x-www-form-urlencoded"}))
    add("POST /login", "non-ASCII header", lambda c: c.post(f"{app}/login", data={"username": "x", "password": "y"},
                                                            headers={"X-Forwarded-For": NON_ASCII}))
    add("POST /logout", "forged cookie", lambda c: c.post(
        f"{app}/logout", headers={"Cookie": "sauda_session=forged"}), refuse=False)

    # -- public tracking page -----------------------------------------------------------------------------
    for token in ("x", secrets.token_urlsafe(24), "%00", "é" * 50, "A" * 5000, "../../etc/passwd"):
        add("GET /track/<token>", "unknown or hostile token", lambda c, t=token: c.get(f"{app}/track/{t}"))

    # -- Rasa: the WhatsApp webhook and Rasa's HTTP API ------------------------------------------------------
    hook_url = f"{rasa}/webhooks/whatsapp/webhook"
    app_secret = stack.env["WHATSAPP_APP_SECRET"]
    message = json.dumps(_wa_webhook("923001239999", "Assalam o alaikum")).encode()
    add("POST /webhooks/whatsapp/webhook", "unsigned", lambda c: c.post(hook_url, content=message))
    add("POST /webhooks/whatsapp/webhook", "forged signature", lambda c: c.post(
        hook_url, content=message, headers={SIGNATURE_HEADER: "sha256=" + "0" * 64}))
    add("POST /webhooks/whatsapp/webhook", "non-ASCII signature", lambda c: c.post(
        hook_url, content=message, headers={SIGNATURE_HEADER: NON_ASCII}))
    add("POST /webhooks/whatsapp/webhook", "10 MB unsigned body", lambda c: c.post(hook_url, content=b" " * BIG))
    for body in BROKEN_JSON + each(mutations(_wa_webhook("923001239999", "x")))[:25]:
        add("POST /webhooks/whatsapp/webhook", "signed, malformed", lambda c, b=body: c.post(
            hook_url, content=b, headers={SIGNATURE_HEADER: sign(b, app_secret)}), refuse=False)
    for number in FOREIGN[:3]:
        body = json.dumps(_wa_webhook(number.lstrip("+"), HOSTILE[0])).encode()
        add("POST /webhooks/whatsapp/webhook", f"signed message from {number}", lambda c, b=body: c.post(
            hook_url, content=b, headers={SIGNATURE_HEADER: sign(b, app_secret)}), refuse=False)
    add("GET /webhooks/whatsapp/webhook", "wrong verify token", lambda c: c.get(hook_url, params={
        "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}))
    for method, path in (("GET", "/conversations/923001234567/tracker"),
                         ("POST", "/conversations/923001234567/tracker/events"), ("POST", "/model/parse"),
                         ("GET", "/status"), ("PUT", "/model"),
                         ("POST", "/conversations/923001234567/trigger_intent")):
        add(f"{method} Rasa {path}", "no token", lambda c, m=method, p=path: c.request(m, f"{rasa}{p}", json={}))
        add(f"{method} Rasa {path}", "wrong token", lambda c, m=method, p=path: c.request(
            m, f"{rasa}{p}", params={"token": "guess"}, json={}))
        add(f"{method} Rasa {path}", "JWT signed with another secret", lambda c, m=method, p=path: c.request(
            m, f"{rasa}{p}", json={}, headers={"Authorization": "Bearer " + FORGED_JWT}))
    return out


def _offsite(client: httpx.Client, app: str, merchant: tuple[str, str], target: str) -> httpx.Response:
    """A login with the right password and an off-site ``next``: "accepted" if sent off-site."""
    with httpx.Client(timeout=30) as session:
        answer = session.post(f"{app}/login", data={"username": merchant[0], "password": merchant[1], "next": target})
    location = answer.headers.get("location", "")
    if answer.is_redirect and not (location.startswith("/") and not location.startswith("//")):
        return answer  # a redirect off the site: counted as accepted
    return httpx.Response(400, request=answer.request)  # kept on the site: the refusal that matters


def attack(stack: Stack, probe_list: list[Probe]) -> dict[str, Row]:
    """Fire the probes endpoint by endpoint, digesting the lifecycle database around the refused ones."""
    rows: dict[str, Row] = {}
    db_file = stack.data_dir / "lifecycle.db"
    by_endpoint: dict[str, list[Probe]] = {}
    for probe in probe_list:
        by_endpoint.setdefault(probe.endpoint, []).append(probe)
    with httpx.Client(timeout=60, follow_redirects=False) as client:
        for endpoint, batch in by_endpoint.items():
            row = rows.setdefault(endpoint, Row())
            must_refuse = [p for p in batch if p.refuse]
            before = settled_digest(db_file)
            for probe in must_refuse + [p for p in batch if not p.refuse]:
                try:
                    answer = probe.send(client)
                except httpx.HTTPError as exc:  # a connection closed on us counts as a refusal, not a 5xx
                    answer = httpx.Response(499, text=str(exc))
                row.probes += 1
                row.should_refuse += probe.refuse
                if answer.status_code >= 500:
                    row.server_errors += 1
                    row.examples.append(f"{probe.what}: {answer.status_code}")
                elif probe.refuse and not refused(answer):
                    row.accepted_wrongly += 1
                    row.examples.append(f"{probe.what}: accepted ({answer.status_code})")
                if probe is (must_refuse[-1] if must_refuse else None):
                    after = settled_digest(db_file)
                    row.rows_changed = sum(before.get(t) != after.get(t) for t in set(before) | set(after))
                    if row.rows_changed:
                        row.examples.append("tables changed: " + ", ".join(
                            t for t in set(before) | set(after) if before.get(t) != after.get(t)))
    return rows


def live_markup(stack: Stack, merchant: tuple[str, str]) -> list[str]:
    """Pages (logged in as the merchant) that show a hostile string as markup."""
    found = []
    with httpx.Client(timeout=60, headers={"Accept": "text/html"}) as session:
        _login(stack, session, *merchant)
        for path in ("/dashboard/", "/dashboard/cancellations", "/console/escalations", "/console/payments"):
            body = session.get(f"{stack.app_url}{path}").text
            if "<script>alert(\"sauda\")" in body or "<img src=x onerror" in body:
                found.append(path)
    return found


def table(rows: dict[str, Row], markup: list[str]) -> Table:
    out = Table("Crafted requests per endpoint (targets: 0 accepted where refusal is right, 0 5xx, 0 rows changed)",
                ["endpoint", "requests", "should be refused", "accepted wrongly", "5xx", "tables changed by refused"])
    for endpoint, row in rows.items():
        out.add(endpoint, row.probes, row.should_refuse, row.accepted_wrongly, row.server_errors, row.rows_changed)
    total = Row(*(sum(getattr(r, f) for r in rows.values()) for f in
                  ("probes", "should_refuse", "accepted_wrongly", "server_errors", "rows_changed")))
    out.add("**all**", total.probes, total.should_refuse, total.accepted_wrongly, total.server_errors,
            total.rows_changed)
    out.add("pages showing hostile text as markup", len(markup), "", "", "", "")
    return out


def findings(rows: dict[str, Row]) -> Table:
    out = Table("What the audit found", ["endpoint", "examples"])
    for endpoint, row in rows.items():
        if row.examples:
            out.add(endpoint, "; ".join(sorted(set(row.examples)))[:600])
    return out


def run() -> list[Table]:
    merchant, agent = ("audit-owner", secrets.token_urlsafe(16)), ("audit-agent", secrets.token_urlsafe(16))
    data_dir = Path(tempfile.mkdtemp(prefix="sauda-audit-"))
    users = f"{merchant[0]}:merchant:{merchant[1]},{agent[0]}:agent:{agent[1]}"
    stack = start_stack(data_dir, trained_model(), extra_env={"SAUDA_USERS": users, "SAUDA_MERCHANT_TOKEN":
                                                              secrets.token_urlsafe(24)})
    try:
        rows = attack(stack, probes(stack, merchant, agent))
        return [table(rows, live_markup(stack, merchant)), findings(rows)]
    finally:
        stack.stop()
