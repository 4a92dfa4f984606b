"""The courier poller as a background job: every courier with credentials, until stopped."""

from __future__ import annotations

import asyncio

import httpx

from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.engine import Database
from lifecycle.domain.clock import Clock
from lifecycle.integrations.couriers.poller import ScanPoller
from lifecycle.integrations.couriers.recording import ScanRecorder
from lifecycle.integrations.couriers.settings import CourierSettings, build_clients


async def poll_couriers(
    db: Database, settings: LifecycleSettings, clock: Clock, couriers: CourierSettings, stop: asyncio.Event
) -> None:
    """Poll every courier with credentials every ``SAUDA_COURIER_POLL_SECONDS`` until ``stop`` is set."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(20.0, connect=10.0)) as http:
        clients = build_clients(couriers, http)
        if not clients:
            await stop.wait()  # nothing to poll: idle until the others stop
            return
        recorder = ScanRecorder(db, settings, clock)
        await ScanPoller(clients, recorder.shipments, recorder.record, couriers.poll_seconds).run(stop)
