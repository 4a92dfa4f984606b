"""Any courier whose tracking API answers JSON with a list of scans: M&P, Trax, Call Courier, …

Configured, not coded: where the list is, which fields hold status, time and detail, and
a status map. ``SAUDA_GENERIC_COURIERS`` names a JSON file with a list of such configs;
``$VARS`` in header values are read from the environment so no secret sits in the file::

    [{"name": "mnp", "base_url": "https://mnp.example", "track_path": "/track/{cn}",
      "headers": {"Authorization": "Bearer $MNP_TOKEN"}, "events": "data.history",
      "status_field": "status", "time_field": "date", "time_format": "%d-%m-%Y %H:%M",
      "statuses": {"Booked": "booked", "Delivered": "delivered"}}]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from lifecycle.integrations.couriers.base import CourierClient, Scan, State, StatusMap, local_time


@dataclass(frozen=True)
class GenericConfig:
    name: str
    base_url: str
    track_path: str  # with ``{cn}``; query parameters allowed
    statuses: dict[str, State]
    events: str = "events"  # dotted path to the list of scans in the answer
    status_field: str = "status"
    time_field: str = "time"
    time_format: str = "iso"  # or a strptime format; naive times are Pakistan time
    detail_field: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict) -> "GenericConfig":
        return cls(**{**data, "statuses": {raw: State(state) for raw, state in data["statuses"].items()}})


class GenericClient(CourierClient):
    def __init__(self, config: GenericConfig, http: httpx.AsyncClient) -> None:
        super().__init__(config.base_url, http)
        self.config = config
        self.name = config.name
        self.statuses = StatusMap(config.statuses)

    async def request(self, cn: str) -> httpx.Response:
        return await self.http.get(self.base_url + self.config.track_path.format(cn=cn), headers=self.config.headers)

    def parse(self, cn: str, payload: Any) -> list[Scan]:
        c = self.config
        events = payload
        for part in c.events.split("."):
            events = events[part]
        return [
            self.scan(
                cn,
                e[c.status_field],
                local_time(e[c.time_field], c.time_format),
                e.get(c.detail_field, "") if c.detail_field else "",
            )
            for e in events or []
        ]
