"""Asks couriers, at an interval, for the scans of parcels still on the road; hands on each new scan once.

Dedupe is two-layered: the poller remembers the scan keys it has handed on, and the
``record`` sink answers False for a scan it already stored (so a restart, which empties
the poller's memory, does not record anything twice). Scans may arrive in any order and
late; each one is recorded, and the lifecycle engine decides what it means for the order.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Iterable, Mapping, Union

from lifecycle.integrations.couriers.base import CourierClient, CourierError, Scan

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tracked:
    """A consignment to poll."""

    courier: str
    cn: str


Shipments = Callable[[], Union[Iterable[Tracked], Awaitable[Iterable[Tracked]]]]
Record = Callable[[Scan], Union[bool, Awaitable[bool]]]


async def call(fn: Callable, *args: Any) -> Any:
    """Await an async callable; run a sync one (a database call) off the event loop."""
    if inspect.iscoroutinefunction(fn):
        return await fn(*args)
    return await asyncio.to_thread(fn, *args)


class ScanPoller:
    def __init__(
        self,
        clients: Mapping[str, CourierClient],
        shipments: Shipments,
        record: Record,
        interval: float,
        concurrency: int = 4,
    ) -> None:
        self.clients = clients
        self.shipments = shipments
        self.record = record
        self.interval = interval
        self._limit = asyncio.Semaphore(concurrency)
        self._seen: dict[Tracked, set[str]] = {}
        self._no_client: set[str] = set()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set; one failed round is logged and the next one runs."""
        while not stop.is_set():
            try:
                await self.poll_once()
            except Exception:  # a broken round must not end tracking for good
                logger.exception("courier poll round failed")
            try:
                await asyncio.wait_for(stop.wait(), self.interval)
            except asyncio.TimeoutError:
                pass

    async def poll_once(self) -> list[Scan]:
        """One round over every tracked consignment; returns the scans newly recorded."""
        tracked = list(await call(self.shipments))
        by_courier: dict[str, list[Tracked]] = {}
        for t in tracked:
            by_courier.setdefault(t.courier, []).append(t)
        batches = [batch for courier, items in by_courier.items() for batch in self._batches(courier, items)]
        rounds = await asyncio.gather(*(self._poll(self.clients[b[0].courier], b) for b in batches))
        self._seen = {t: self._seen[t] for t in tracked if t in self._seen}  # forget finished parcels
        return [scan for new in rounds for scan in new]

    def _batches(self, courier: str, items: list[Tracked]) -> list[list[Tracked]]:
        client = self.clients.get(courier)
        if client is None:
            if courier not in self._no_client:
                self._no_client.add(courier)
                logger.warning(
                    "no tracking client for courier %r (%d shipments, e.g. CN %s): credentials not set?",
                    courier,
                    len(items),
                    items[0].cn,
                )
            return []
        return [items[i : i + client.batch_size] for i in range(0, len(items), client.batch_size)]

    async def _poll(self, client: CourierClient, batch: list[Tracked]) -> list[Scan]:
        async with self._limit:
            try:
                reports = await client.track_many([t.cn for t in batch])
            except CourierError as exc:
                logger.warning("tracking failed, will retry next round: %s", exc)
                return []
        new = []
        for tracked in batch:
            new.extend(await self._record_new(tracked, reports.get(tracked.cn, [])))
        return new

    async def _record_new(self, tracked: Tracked, scans: list[Scan]) -> list[Scan]:
        seen = self._seen.setdefault(tracked, set())
        new = []
        for scan in scans:
            if scan.key in seen:
                continue
            if scan.state is None:
                logger.warning(
                    "unknown %s status %r for CN %s: kept raw; add it to the status map",
                    scan.courier,
                    scan.raw_status,
                    scan.cn,
                )
            try:
                if await call(self.record, scan):
                    new.append(scan)
            except Exception:  # one bad scan must not stop the others; it is retried next round
                logger.exception("recording %s scan %r for CN %s failed", scan.courier, scan.raw_status, scan.cn)
                continue
            seen.add(scan.key)
        return new
