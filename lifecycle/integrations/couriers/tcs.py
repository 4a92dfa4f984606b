"""TCS: ``GetDynamicTrackDetail?consignee=<CN>`` with a bearer token (TCS Connect tracking API).

TCS publishes no status list. The checkpoint statuses mapped here are the ones its
tracking API reports for domestic COD parcels; anything else is kept raw and logged.
"""

from __future__ import annotations

from typing import Any

import httpx

from lifecycle.integrations.couriers.base import Scan, State, StatusMap, TokenCourierClient, local_time

STATUSES = StatusMap(
    {
        "Booked": State.BOOKED,
        "Shipment Booked": State.BOOKED,
        "Picked Up": State.PICKED,
        "Shipment Picked Up": State.PICKED,
        "Arrived at TCS Facility": State.IN_TRANSIT,  # origin, hub or destination facility
        "Departed From TCS Facility": State.IN_TRANSIT,
        "In Transit": State.IN_TRANSIT,
        "Arrived at Destination": State.IN_TRANSIT,
        "Out For Delivery": State.OUT_FOR_DELIVERY,
        "Shipment Delivered": State.DELIVERED,
        "Delivered": State.DELIVERED,
        "Consignee Not Available": State.ATTEMPTED,
        "Incomplete Address": State.ATTEMPTED,
        "Recipient Refused": State.ATTEMPTED,
        "Awaiting Receiver Collection": State.ATTEMPTED,  # held at the station for the customer
        "Return to Shipper": State.RETURNING,
        "Shipment Returned To Origin": State.RETURNING,  # back in the origin city, not yet handed over
        "Returned to Shipper": State.RETURNED,
        "Cancelled": State.CANCELLED,
        "Shipment Cancelled": State.CANCELLED,
    }
)

TIME_FORMAT = "%A %b %d, %Y %H:%M"  # "Thursday Oct 17, 2024 12:58", Pakistan time


class TcsClient(TokenCourierClient):
    name = "tcs"
    statuses = STATUSES

    async def request(self, cn: str) -> httpx.Response:
        return await self.http.get(
            f"{self.base_url}/tracking/api/Tracking/GetDynamicTrackDetail",
            params={"consignee": cn},
            headers={"Authorization": f"Bearer {self.token}"},
        )

    def parse(self, cn: str, payload: Any) -> list[Scan]:
        # "FAIL" with null lists means TCS has no scan for the CN yet: nothing new, not an error.
        return [
            self.scan(cn, c["status"], local_time(c["datetime"], TIME_FORMAT))
            for c in payload.get("checkpoints") or []
            if str(c.get("consignmentno", cn)) == cn
        ]
