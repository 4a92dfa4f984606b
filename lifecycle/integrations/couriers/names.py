"""Courier names as shops write them ("Leopards Courier", "M&P", "TCS Express") → Sauda's one key each."""

from __future__ import annotations

import re
from typing import Optional

from lifecycle.integrations.couriers.base import State
from lifecycle.integrations.couriers.leopards import STATUSES as LEOPARDS
from lifecycle.integrations.couriers.postex import STATUSES as POSTEX
from lifecycle.integrations.couriers.tcs import STATUSES as TCS

ALIASES = {
    "leopards": ("leopards", "leopardscourier", "lcs"),
    "postex": ("postex",),
    "tcs": ("tcs", "tcsexpress", "tcscourier"),
    "mnp": ("mnp", "mp", "mpexpress", "mpcourier"),
    "trax": ("trax", "traxlogistics"),
    "callcourier": ("callcourier",),
}
DISPLAY = {
    "leopards": "Leopards Courier",
    "postex": "PostEx",
    "tcs": "TCS",
    "mnp": "M&P",
    "trax": "Trax",
    "callcourier": "Call Courier",
}
_KEYS = {alias: key for key, aliases in ALIASES.items() for alias in aliases}
_BUILT_IN = {"leopards": LEOPARDS, "postex": POSTEX, "tcs": TCS}


def courier_key(name: str) -> str:
    """``"Leopards Courier"`` → ``"leopards"``; an unlisted courier keeps its name, lower-cased, letters only."""
    squashed = re.sub(r"[^a-z0-9]", "", name.casefold())
    return _KEYS.get(squashed, squashed)


def display_name(key: str) -> str:
    return DISPLAY.get(key, key.title())


def state_for(courier: str, raw_status: str) -> Optional[State]:
    """A built-in courier's raw status as a State (None if unknown), e.g. for statuses a shop forwards."""
    statuses = _BUILT_IN.get(courier_key(courier))
    return statuses.state_of(raw_status) if statuses else None
