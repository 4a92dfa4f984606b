"""Meta's Graph API error codes, named as the outcomes callers branch on (stdlib only)."""
from __future__ import annotations

from typing import Optional

ERROR_OUTCOMES = {
    131047: "outside_window",  # more than 24 h since the customer's last message
    131026: "undeliverable",
    131050: "marketing_opted_out",
    131049: "marketing_limited",
    130429: "rate_limited",
    131056: "too_many_to_user",
}


def outcome_for(code: Optional[int], http_status: Optional[int] = None) -> str:
    """The outcome name for an error code (or for a bare HTTP 429); "error" otherwise."""
    if code in ERROR_OUTCOMES:
        return ERROR_OUTCOMES[code]
    return "rate_limited" if http_status == 429 else "error"
