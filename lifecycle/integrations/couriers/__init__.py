"""Courier adapters: each courier's raw statuses mapped to one internal state, and tracking by polling."""

from lifecycle.integrations.couriers.base import CourierClient, CourierError, Scan, State, courier_phone
from lifecycle.integrations.couriers.names import courier_key, display_name, state_for
from lifecycle.integrations.couriers.poller import ScanPoller, Tracked
from lifecycle.integrations.couriers.settings import CourierSettings, build_clients

__all__ = [
    "CourierClient",
    "CourierError",
    "CourierSettings",
    "Scan",
    "ScanPoller",
    "State",
    "Tracked",
    "build_clients",
    "courier_key",
    "courier_phone",
    "display_name",
    "state_for",
]
