"""A WhatsApp Cloud API stand-in for development and tests: the Graph API side
(simulator/graph/), the customer side (simulator/customer/) and the controls shared by both
(``/health``, ``/sim/faults``, ``/sim/clock``).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from sanic import Request, Sanic, response

from simulator.customer.routes import customer_blueprint
from simulator.graph.routes import graph_blueprint
from simulator.graph.templates import TemplateRegistry
from simulator.settings import SimulatorSettings
from simulator.state import Fault, SimulatorState
from whatsapp.signing import SIGNATURE_HEADER, sign


def build_app(settings: SimulatorSettings) -> Sanic:
    app = Sanic("whatsapp_simulator")
    state = SimulatorState()
    templates = TemplateRegistry.load(settings.templates_path)
    app.ctx.state = state

    @app.before_server_start
    async def open_client(app_, _loop=None):
        app_.ctx.http = httpx.AsyncClient(timeout=10.0)

    @app.after_server_stop
    async def close_client(app_, _loop=None):
        await app_.ctx.http.aclose()

    async def post_webhook(body: Any) -> httpx.Response:
        raw = json.dumps(body).encode()
        return await app.ctx.http.post(
            settings.webhook_url,
            content=raw,
            headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(raw, settings.app_secret)},
        )

    @app.get("/health")
    async def health(request: Request):
        return response.json(
            {
                "status": "ok",
                "customers": len(state.transcripts),
                "sends_accepted": state.sends_accepted,
                "sends_rejected": state.sends_rejected,
                "templates": len(templates.templates),
            }
        )

    @app.post("/sim/faults")
    async def add_faults(request: Request):
        """The next ``count`` sends fail: ``{"http_status": 429}``, ``{"code": 131047,
        "via_webhook": true}``, ``{"code": 131026, "http_status": 400}``, or slow down
        with ``{"delay": 2, "http_status": 200}`` (answered, late)."""
        spec = request.json or {}
        fault = Fault(
            http_status=int(spec.get("http_status", 500)),
            code=spec.get("code"),
            via_webhook=bool(spec.get("via_webhook", False)),
            delay=float(spec.get("delay", 0.0)),
        )
        state.faults.extend([fault] * int(spec.get("count", 1)))
        return response.json({"pending_faults": len(state.faults)})

    @app.delete("/sim/faults")
    async def clear_faults(request: Request):
        state.faults.clear()
        return response.json({"pending_faults": 0})

    @app.get("/sim/clock")
    async def clock(request: Request):
        return response.json({"now": state.now(), "offset_seconds": state.clock_offset})

    @app.post("/sim/clock")
    async def advance_clock(request: Request):
        """Move the simulator's clock forward (the 24-hour window, status timestamps)."""
        try:
            seconds = float((request.json or {})["advance_seconds"])
        except (KeyError, TypeError, ValueError):
            return response.json({"error": 'expected {"advance_seconds": N}'}, status=400)
        state.clock_offset += seconds
        return response.json({"now": state.now(), "offset_seconds": state.clock_offset})

    app.blueprint(graph_blueprint(settings, state, templates, post_webhook))
    app.blueprint(customer_blueprint(settings, state, post_webhook))
    return app
