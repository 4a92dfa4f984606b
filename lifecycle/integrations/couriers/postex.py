"""PostEx: ``track-order/{cn}`` with the merchant token in a ``token`` header."""

from __future__ import annotations

from typing import Any

import httpx

from lifecycle.integrations.couriers.base import CourierError, Scan, State, StatusMap, TokenCourierClient, local_time

STATUSES = StatusMap(
    {
        # transaction status codes, as in transactionStatusHistory
        "0001": State.BOOKED,  # At Merchant's Warehouse: booked, not yet collected
        "0002": State.RETURNED,
        "0003": State.PICKED,  # At PostEx Warehouse: PostEx has it
        "0004": State.IN_TRANSIT,  # Package on Route (between cities; "Out For Delivery" is its own status)
        "0005": State.DELIVERED,
        "0006": State.RETURNED,
        "0007": State.RETURNED,
        "0008": State.ATTEMPTED,  # Delivery Under Review: not delivered, being checked
        "0013": State.ATTEMPTED,  # Attempt Made: <reason>
        # order statuses, as in transactionStatus
        "Unbooked": State.BOOKED,  # created at PostEx, not yet booked for pickup
        "Booked": State.BOOKED,
        "Out For Delivery": State.OUT_FOR_DELIVERY,
        "Delivered": State.DELIVERED,
        "Returned": State.RETURNED,
        "Attempted": State.ATTEMPTED,
        "Out For Return": State.RETURNING,
    },
    prefixes={"Attempt Made": State.ATTEMPTED},  # a history entry with a message and no code
)


class PostExClient(TokenCourierClient):
    name = "postex"
    statuses = STATUSES

    async def request(self, cn: str) -> httpx.Response:
        return await self.http.get(f"{self.base_url}/order/v1/track-order/{cn}", headers={"token": self.token})

    def parse(self, cn: str, payload: Any) -> list[Scan]:
        if str(payload.get("statusCode")) != "200":
            raise CourierError(f"postex {cn}: {payload.get('statusCode')} {payload.get('statusMessage')}")
        order = payload["dist"]
        scans = [
            self.scan(
                cn,
                h.get("transactionStatusMessageCode") or h["transactionStatusMessage"],
                local_time(h["modifiedDatetime"], "iso"),
                h.get("transactionStatusMessage", ""),
            )
            for h in order.get("transactionStatusHistory") or []
        ]
        return self.with_current(cn, scans, order.get("transactionStatus"))
