"""Leopards Courier: ``trackBookedPacket`` with api_key / api_password (merchant API v2)."""

from __future__ import annotations

from typing import Any

import httpx

from lifecycle.integrations.couriers.base import CourierClient, CourierError, Scan, State, StatusMap, local_time

STATUSES = StatusMap(
    {
        "Pickup Request not Send": State.BOOKED,  # booked; the merchant has not asked for pickup yet
        "Pickup Request Sent": State.BOOKED,
        "Consignment Booked": State.BOOKED,
        "48 Hours Auto Canceled": State.CANCELLED,  # never handed over within 48 h of booking
        "Cancelled": State.CANCELLED,
        "Shipment Picked": State.PICKED,
        "Drop Off at Express Center": State.PICKED,  # the merchant handed it in at a counter
        "Arrived at Station": State.IN_TRANSIT,
        "Dispatched": State.IN_TRANSIT,  # left the origin station for the destination
        "In Transit": State.IN_TRANSIT,
        "Missroute": State.IN_TRANSIT,  # sent to a wrong station; still moving, just slower
        "Assign to Courier": State.OUT_FOR_DELIVERY,  # handed to the delivery rider
        "Pending": State.ATTEMPTED,  # rider came back without delivering; will retry
        "Undelivered": State.ATTEMPTED,
        "Being Return": State.RETURNING,
        "Ready for Return": State.RETURNING,
        "Returned to shipper": State.RETURNED,
        "Delivered": State.DELIVERED,
    }
)


class LeopardsClient(CourierClient):
    name = "leopards"
    statuses = STATUSES
    batch_size = 50  # trackBookedPacket takes comma-separated track_numbers

    def __init__(self, base_url: str, http: httpx.AsyncClient, api_key: str, api_password: str) -> None:
        super().__init__(base_url, http)
        self.api_key, self.api_password = api_key, api_password

    async def track_many(self, cns: list[str]) -> dict[str, list[Scan]]:
        payload = await self.fetch(",".join(cns))
        return {cn: self.read(cn, payload) for cn in cns}

    async def request(self, cn: str) -> httpx.Response:
        # POSTed, not in the query string, so the credentials stay out of proxy and access logs.
        return await self.http.post(
            f"{self.base_url}/trackBookedPacket/format/json/",
            json={"api_key": self.api_key, "api_password": self.api_password, "track_numbers": cn},
        )

    def parse(self, cn: str, payload: Any) -> list[Scan]:
        if payload.get("status") != 1:
            raise CourierError(f"leopards {cn}: {payload.get('error') or 'status 0'}")
        packet = next((p for p in payload["packet_list"] if str(p.get("track_number")) == cn), None)
        if packet is None:  # asked together with others and not known yet: no news
            return []
        scans = [
            self.scan(
                cn,
                d["Status"],
                local_time(d["Activity_datetime"], "%Y-%m-%d %H:%M:%S"),
                "" if d.get("Reason") in (None, "N/A") else d["Reason"],
            )
            for d in packet.get("Tracking Detail") or []
        ]
        return self.with_current(cn, scans, packet.get("booked_packet_status"))
