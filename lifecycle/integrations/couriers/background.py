"""Runs the courier poller alongside a Sanic server: started after the server starts, stopped before it stops."""
from __future__ import annotations

import asyncio
import logging

import httpx
from sanic import Sanic

from lifecycle.domain.clock import Clock
from lifecycle.integrations.couriers.poller import ScanPoller
from lifecycle.integrations.couriers.recording import ScanRecorder
from lifecycle.integrations.couriers.settings import CourierSettings, build_clients
from lifecycle.db.engine import Database
from lifecycle.config.settings import LifecycleSettings

logger = logging.getLogger(__name__)


def poll_couriers_with_server(app: Sanic, db: Database, settings: LifecycleSettings, clock: Clock,
                              couriers: CourierSettings | None = None) -> None:
    """Poll every courier with credentials every ``SAUDA_COURIER_POLL_SECONDS`` while ``app`` serves."""
    couriers = couriers or CourierSettings.from_env()
    stop = asyncio.Event()
    running: dict = {}

    async def start(_app, _loop=None) -> None:
        http = httpx.AsyncClient(timeout=httpx.Timeout(20.0, connect=10.0))
        clients = build_clients(couriers, http)
        if not clients:
            await http.aclose()
            return
        recorder = ScanRecorder(db, settings, clock)
        poller = ScanPoller(clients, recorder.shipments, recorder.record, couriers.poll_seconds)
        running.update(http=http, task=asyncio.get_running_loop().create_task(poller.run(stop)))

    async def finish(_app, _loop=None) -> None:
        if running:
            stop.set()
            await running["task"]
            await running["http"].aclose()

    app.after_server_start(start)
    app.before_server_stop(finish)
