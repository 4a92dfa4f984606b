"""Background work under one supervisor: each job runs until ``stop`` is set; a job that fails
or returns early is logged and started again after a pause, so one broken loop neither ends
the others nor dies quietly."""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Optional

logger = logging.getLogger(__name__)

Job = Callable[[asyncio.Event], Awaitable[None]]


class Supervisor:
    def __init__(self, jobs: dict[str, Job], restart_after: float = 5.0) -> None:
        self.jobs = jobs
        self.restart_after = restart_after
        self.stop_event = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self.restarts: dict[str, int] = {name: 0 for name in jobs}

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._keep(name, job), name=name) for name, job in self.jobs.items()]

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.gather(*self._tasks)

    async def wait(self, timeout: Optional[float] = None) -> None:
        """Until ``stop`` (or ``timeout``)."""
        try:
            await asyncio.wait_for(self.stop_event.wait(), timeout)
        except asyncio.TimeoutError:
            pass

    async def _keep(self, name: str, job: Job) -> None:
        while not self.stop_event.is_set():
            try:
                await job(self.stop_event)
            except Exception:  # noqa: BLE001 - logged, and the job starts again
                logger.exception("background job %s failed", name)
            if self.stop_event.is_set():
                return
            self.restarts[name] += 1
            logger.warning("background job %s stopped; starting it again in %.0f s", name, self.restart_after)
            await self.wait(self.restart_after)
