"""A scriptable stand-in for the couriers' tracking APIs, speaking each one's request and answer shape.

A test adds scans per consignment (in any order, with faults), serves ``app()`` with
``tests.fakes.serving.serve`` and points the real clients at it:

    Leopards  GET or POST (JSON) {url}/api/trackBookedPacket/format/json/ with api_key, api_password,
              track_numbers (comma-separated)
    PostEx    GET {url}/services/integration/api/order/v1/track-order/{cn}   header token
    TCS       GET {url}/tracking/api/Tracking/GetDynamicTrackDetail?consignee   bearer token
    generic   GET {url}/generic/{name}/track/{cn}   header X-Api-Key   -> {"data": {"history": [...]}}

Answers also carry the customer's phone and address, as the real APIs do, so tests can
prove those never travel further.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sanic import Request, Sanic, response

from tests.fakes.serving import new_app

CUSTOMER_PHONE = "03001234567"
CUSTOMER_ADDRESS = "House 12, Street 4, Gulberg III, Lahore"


@dataclass(frozen=True)
class FakeScan:
    status: str  # Leopards / TCS status text, PostEx code, generic status
    at: datetime  # Pakistan wall-clock time, naive, as the couriers send it
    detail: str = ""  # Leopards reason, PostEx message, generic remarks


class FakeCouriers:
    """Scripted tracking state for every courier; ``app()`` serves it."""

    def __init__(
        self,
        leopards_key: str = "lk",
        leopards_password: str = "lp",
        postex_token: str = "pt",
        tcs_token: str = "tt",
        generic_key: str = "gk",
    ) -> None:
        self.leopards_key, self.leopards_password = leopards_key, leopards_password
        self.postex_token, self.tcs_token, self.generic_key = postex_token, tcs_token, generic_key
        self.scans: dict[tuple[str, str], list[FakeScan]] = defaultdict(list)
        self.headline: dict[tuple[str, str], str] = {}
        self.faults: dict[str, deque[int]] = defaultdict(deque)
        self.requests: list[tuple[str, str]] = []

    def add(self, courier: str, cn: str, status: str, at: datetime, detail: str = "") -> None:
        """The courier now reports this scan for ``cn`` (appended where the script puts it)."""
        self.scans[(courier, cn)].append(FakeScan(status, at, detail))

    def set_headline(self, courier: str, cn: str, status: str) -> None:
        """The current status (Leopards ``booked_packet_status``, PostEx ``transactionStatus``)."""
        self.headline[(courier, cn)] = status

    def fail_next(self, courier: str, http_status: int = 500, times: int = 1) -> None:
        self.faults[courier].extend([http_status] * times)

    def app(self) -> Sanic:
        app = new_app("fake_couriers")
        app.add_route(self._leopards, "/api/trackBookedPacket/format/json/", methods=["GET", "POST"])
        app.add_route(self._postex, "/services/integration/api/order/v1/track-order/<cn>")
        app.add_route(self._tcs, "/tracking/api/Tracking/GetDynamicTrackDetail")
        app.add_route(self._generic, "/generic/<name>/track/<cn>")
        return app

    def _fault(self, courier: str, cn: str) -> Optional[response.HTTPResponse]:
        self.requests.append((courier, cn))
        if self.faults[courier]:
            return response.json({"error": "scripted fault"}, status=self.faults[courier].popleft())
        return None

    async def _leopards(self, request: Request):
        args = {k: v[0] for k, v in request.args.items()} if request.method == "GET" else request.json
        numbers = args.get("track_numbers", "")
        if fault := self._fault("leopards", numbers):
            return fault
        if (args.get("api_key"), args.get("api_password")) != (self.leopards_key, self.leopards_password):
            return response.json({"status": 0, "error": "Invalid API Key/Password", "packet_list": []})
        known = [cn for cn in numbers.split(",") if ("leopards", cn) in self.scans or ("leopards", cn) in self.headline]
        if not known:
            return response.json({"status": 0, "error": "No record found", "packet_list": []})
        return response.json({"status": 1, "error": 0, "packet_list": [self._leopards_packet(cn) for cn in known]})

    def _leopards_packet(self, cn: str) -> dict:
        details = [
            {
                "Status": s.status,
                "Activity_Date": s.at.strftime("%Y-%m-%d"),
                "Activity_Time": s.at.strftime("%H:%M:%S"),
                "Activity_datetime": s.at.strftime("%Y-%m-%d %H:%M:%S"),
                "Reason": s.detail or "N/A",
                "Receiver_Name": "Ayesha Khan" if s.status == "Delivered" else "",
            }
            for s in self.scans[("leopards", cn)]
        ]
        return {
            "track_number": cn,
            "booked_packet_status": self.headline.get(("leopards", cn), ""),
            "consignment_name": "Ayesha Khan",
            "consignment_phone": CUSTOMER_PHONE,
            "consignment_address": CUSTOMER_ADDRESS,
            "Tracking Detail": details,
        }

    async def _postex(self, request: Request, cn: str):
        if fault := self._fault("postex", cn):
            return fault
        if request.headers.get("token") != self.postex_token:
            return response.json({"statusCode": "401", "statusMessage": "UNAUTHORIZED"}, status=401)
        if ("postex", cn) not in self.scans and ("postex", cn) not in self.headline:
            return response.json({"statusCode": "400", "statusMessage": "INVALID TRACKING NUMBER", "dist": None})
        history = [
            {
                "transactionStatusMessage": s.detail,
                "transactionStatusMessageCode": s.status,
                "modifiedDatetime": s.at.isoformat(),
            }
            for s in self.scans[("postex", cn)]
        ]
        return response.json(
            {
                "statusCode": "200",
                "statusMessage": "SUCCESSFULLY OPERATED",
                "dist": {
                    "trackingNumber": cn,
                    "customerName": "Ayesha Khan",
                    "customerPhone": CUSTOMER_PHONE,
                    "deliveryAddress": CUSTOMER_ADDRESS,
                    "transactionStatus": self.headline.get(("postex", cn), ""),
                    "transactionStatusHistory": history,
                },
            }
        )

    async def _tcs(self, request: Request):
        cn = request.args.get("consignee", "")
        if fault := self._fault("tcs", cn):
            return fault
        if request.headers.get("Authorization") != f"Bearer {self.tcs_token}":
            return response.json({"message": "Invalid access token"}, status=401)
        scans = self.scans.get(("tcs", cn))
        if not scans:
            return response.json(
                {
                    "message": "FAIL",
                    "shipmentinfo": None,
                    "deliveryinfo": None,
                    "checkpoints": None,
                    "shipmentsummary": "No Data Found",
                }
            )
        checkpoints = [
            {
                "consignmentno": cn,
                "datetime": s.at.strftime("%A   %b %d, %Y %H:%M"),
                "recievedby": "LAHORE",
                "status": s.status,
            }
            for s in scans
        ]
        return response.json(
            {
                "message": "SUCCESS",
                "checkpoints": checkpoints,
                "deliveryinfo": [],
                "shipmentinfo": [{"consignmentno": cn, "consignee": "Ayesha Khan", "address": CUSTOMER_ADDRESS}],
                "shipmentsummary": f"Current Status: {scans[-1].status.upper()}",
            }
        )

    async def _generic(self, request: Request, name: str, cn: str):
        if fault := self._fault(name, cn):
            return fault
        if request.headers.get("X-Api-Key") != self.generic_key:
            return response.json({"error": "unauthorized"}, status=401)
        history = [
            {"status": s.status, "date": s.at.strftime("%d-%m-%Y %H:%M"), "remarks": s.detail}
            for s in self.scans[(name, cn)]
        ]
        return response.json({"data": {"cn": cn, "phone": CUSTOMER_PHONE, "history": history}})
