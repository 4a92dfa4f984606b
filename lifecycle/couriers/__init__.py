"""Courier adapters: each courier's raw statuses mapped to one internal state, and tracking by polling."""
from lifecycle.couriers.base import CourierClient, CourierError, Scan, State, courier_phone
from lifecycle.couriers.poller import ScanPoller, Tracked
from lifecycle.couriers.settings import CourierSettings, build_clients

__all__ = ["CourierClient", "CourierError", "CourierSettings", "Scan", "ScanPoller", "State", "Tracked",
           "build_clients", "courier_phone"]
