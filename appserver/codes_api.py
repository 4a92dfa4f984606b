"""Discount codes for the shop's checkout: validate, then redeem once with the order id.
Signed like the shop's events (X-Sauda-Signature with SAUDA_EVENTS_SECRET)."""

from __future__ import annotations

import asyncio

from sanic import Blueprint, Request, response

from appserver.auth import shop_signature_problem
from appserver.bodies import parse_json
from lifecycle.domain import discount_codes
from lifecycle.service import Lifecycle

ANSWERS = {"unknown": 404, "expired": 409, "redeemed": 409}


def codes_blueprint(lifecycle: Lifecycle) -> Blueprint:
    bp = Blueprint("discount_codes", url_prefix="/lifecycle/codes")
    settings = lifecycle.settings

    def parse(request: Request, *fields: str):
        """(body, None) for an authentic request with ``fields``, else (None, the error response)."""
        problem = shop_signature_problem(request, settings.events_secret, settings.events_max_skew)
        if problem:
            return None, response.json({"error": problem}, status=401)
        try:
            body = parse_json(request.body)
        except ValueError as exc:
            return None, response.json({"error": f"body is not JSON: {exc}"}, status=400)
        missing = [f for f in fields if not isinstance(body, dict) or not _text(body.get(f))]
        if missing:
            return None, response.json(
                {"error": "invalid request", "fields": [{"field": f, "message": "required, as text"} for f in missing]},
                status=422,
            )
        return {**body, **{f: str(body[f]).strip() for f in fields}}, None

    def answer(check: discount_codes.Check, given: str):
        if not check.ok:
            return response.json({"valid": False, "code": given, "reason": check.status}, status=ANSWERS[check.status])
        code = check.code
        return response.json(
            {
                "valid": True,
                "code": code.code,
                "percent": code.percent,
                "purpose": code.purpose,
                "expires_at": code.expires_at.isoformat(),
                "redeemed_order_id": code.redeemed_order_ref,
            }
        )

    @bp.post("/validate")
    async def validate(request: Request):
        """``{"code"}`` → 200 with the percent, 404 unknown, 409 expired or already used."""
        body, error = parse(request, "code")
        if error is not None:
            return error

        def check() -> discount_codes.Check:
            with lifecycle.db.session() as session:
                return discount_codes.check(session, body["code"], lifecycle.now())

        return answer(await asyncio.to_thread(check), body["code"])

    @bp.post("/redeem")
    async def redeem(request: Request):
        """``{"code", "order_id"}`` → 200 once; any later redemption gets 409."""
        body, error = parse(request, "code", "order_id")
        if error is not None:
            return error

        def redeem_it() -> discount_codes.Check:
            with lifecycle.db.session.begin() as session:
                return discount_codes.redeem(session, body["code"], body["order_id"], lifecycle.now())

        return answer(await asyncio.to_thread(redeem_it), body["code"])

    return bp


def _text(value) -> bool:
    """A code or an order id: text (or a number, as shops send order ids), not empty."""
    return isinstance(value, (str, int)) and not isinstance(value, bool) and bool(str(value).strip())
