"""Meta's Graph API error codes and the send outcomes callers branch on: the only place the raw
codes appear (stdlib only)."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Optional


class MetaError(IntEnum):
    OUTSIDE_WINDOW = 131047  # more than 24 h since the customer's last message
    UNDELIVERABLE = 131026
    MARKETING_OPTED_OUT = 131050
    MARKETING_LIMITED = 131049
    RATE_LIMITED = 130429
    TOO_MANY_TO_USER = 131056
    TEMPLATE_PARAMS_MISMATCH = 132000
    TEMPLATE_MISSING = 132001


class SendOutcome(StrEnum):
    SENT = "sent"
    OUTSIDE_WINDOW = "outside_window"
    UNDELIVERABLE = "undeliverable"
    MARKETING_OPTED_OUT = "marketing_opted_out"
    MARKETING_LIMITED = "marketing_limited"
    RATE_LIMITED = "rate_limited"
    TOO_MANY_TO_USER = "too_many_to_user"
    ERROR = "error"


ERROR_OUTCOMES = {
    MetaError.OUTSIDE_WINDOW: SendOutcome.OUTSIDE_WINDOW,
    MetaError.UNDELIVERABLE: SendOutcome.UNDELIVERABLE,
    MetaError.MARKETING_OPTED_OUT: SendOutcome.MARKETING_OPTED_OUT,
    MetaError.MARKETING_LIMITED: SendOutcome.MARKETING_LIMITED,
    MetaError.RATE_LIMITED: SendOutcome.RATE_LIMITED,
    MetaError.TOO_MANY_TO_USER: SendOutcome.TOO_MANY_TO_USER,
}
# Outcomes that may succeed if the same send is tried again later.
TRANSIENT_OUTCOMES = frozenset({SendOutcome.RATE_LIMITED, SendOutcome.TOO_MANY_TO_USER})


def is_transient(status_code: Optional[int], outcome: str = "") -> bool:
    """Worth trying the same request again later: a rate limit, a server error or no answer at all
    (``status_code`` None), or an outcome Meta names as passing."""
    return outcome in TRANSIENT_OUTCOMES or status_code is None or status_code == 429 or status_code >= 500


def outcome_for(code: Optional[int], http_status: Optional[int] = None) -> SendOutcome:
    """The outcome for an error code (or for a bare HTTP 429); ERROR otherwise."""
    if code in ERROR_OUTCOMES:
        return ERROR_OUTCOMES[MetaError(code)]
    return SendOutcome.RATE_LIMITED if http_status == 429 else SendOutcome.ERROR
