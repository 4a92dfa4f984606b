"""The rasa-sdk action endpoint on its own private listener: only Rasa calls it, with the
shared secret ``SAUDA_ACTION_SECRET`` as ``Authorization: Bearer`` (endpoints.yml), because
the body's ``sender_id`` picks the customer an action acts for."""
from __future__ import annotations

import hmac
import json
import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Request, Sanic, response
from sanic.exceptions import SanicException

logger = logging.getLogger(__name__)

OPEN_PATHS = ("/health",)


def bearer_matches(request: Request, secret: str) -> bool:
    given = request.headers.get("Authorization") or ""
    return bool(secret) and hmac.compare_digest(given.encode(), f"Bearer {secret}".encode())


def refuse_encoded(request: Request):
    """Compressed bodies are refused: inflating one has no size limit (a zip bomb)."""
    encoding = (request.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        return response.json({"error": f"Content-Encoding {encoding!r} is not accepted; send the body as is"},
                             status=415)
    return None


def action_call_problem(body: bytes) -> str | None:
    """Why a body is not an action call Rasa would post (rasa-sdk answers such a body with a 500
    or runs nothing and answers 200), or None."""
    try:
        call = json.loads(body)
    except (ValueError, RecursionError) as exc:
        return f"body is not JSON: {str(exc)[:200]}"
    if not isinstance(call, dict) or not isinstance(call.get("next_action"), str) \
            or not isinstance(call.get("tracker"), dict) or not isinstance(call.get("domain", {}), dict):
        return "expected an action call: {next_action: str, tracker: {...}, domain: {...}}"
    return None


def build_action_app(secret: str, max_body: int) -> Sanic:
    """rasa-sdk's app (``/webhook``, ``/actions``, ``/health``) behind the shared secret."""
    if not secret:
        raise SystemExit("SAUDA_ACTION_SECRET is not set (see .env.example)")
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=[])
    app.config.REQUEST_MAX_SIZE = max_body
    app.config.TOUCHUP = False  # a second app in the process: Sanic's rewriting supports one

    @app.exception(SanicException)
    async def refused(_request: Request, exc: SanicException):
        """Sanic's own refusals (413 too large, 400 unreadable) keep their status; rasa-sdk
        answers every exception with a 500."""
        return response.json({"error": str(exc)}, status=exc.status_code)

    @app.on_request
    async def authenticate(request: Request):
        if request.path in OPEN_PATHS:
            return None
        if not bearer_matches(request, secret):
            logger.warning("action call refused: missing or wrong Authorization from %s", request.ip)
            return response.json({"error": "unauthorized"}, status=401)
        if (refused := refuse_encoded(request)) is not None:
            return refused
        if request.method == "POST" and (problem := action_call_problem(request.body)):
            return response.json({"error": problem}, status=400)
        return None

    return app


def serve_beside(public: Sanic, actions: Sanic, host: str, port: int) -> None:
    """Run ``actions`` on ``host:port`` in the public app's process and event loop, so the
    actions reach the same lifecycle (``lifecycle.service.runtime``)."""

    @public.before_server_start
    async def start_actions(_app, _loop=None):
        server = await actions.create_server(host=host, port=port, return_asyncio_server=True,
                                             access_log=False)
        await server.startup()
        await server.before_start()
        await server.after_start()
        public.ctx.action_server = server
        logger.info("actions listening on %s:%s", host, port)

    @public.after_server_stop
    async def stop_actions(_app, _loop=None):
        server = public.ctx.action_server
        await server.before_stop()
        await server.close()
        await server.after_stop()
