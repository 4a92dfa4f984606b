"""Settings of the engagement flows (cart recovery, CSAT escalation, win-back), read once
from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional


def _percent(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = int(env.get(name, default))
    if not low <= value <= high:
        raise SystemExit(f"{name} must be between {low} and {high} (percent), not {value}")
    return value


@dataclass(frozen=True)
class EngagementSettings:
    # cart recovery: delays after abandonment, in seconds
    cart_stage_delays: tuple[float, float, float] = (30 * 60.0, 24 * 3600.0, 72 * 3600.0)
    cart_code_percent: int = 10  # SAUDA_CART_CODE_PERCENT, 5-10
    cart_code_hours: float = 24.0
    social_proof_min_orders: int = 3  # orders of the item in the last 7 days before we say so
    # CSAT and escalations
    sla_minutes: float = 15.0
    agent_webhook_url: str = ""  # SAUDA_AGENT_WEBHOOK_URL: new escalations and SLA breaches, signed
    agent_webhook_secret: str = ""
    # win-back, days after the last order's delivery
    winback_days: tuple[int, int, int] = (30, 60, 90)
    winback_quarter_days: int = 91
    winback_60_percent: int = 10
    winback_90_percent: int = 15  # 15-20
    winback_90_hours: float = 48.0
    winback_batch: int = 5000
    winback_complaint_quiet_days: float = 30.0  # no win-back this long after a complaint
    loop_interval: float = 1.0  # seconds between SLA / alert / sweep rounds

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "EngagementSettings":
        env = os.environ if env is None else env
        delays = tuple(float(part) * 60 for part in env.get("SAUDA_CART_STAGES_MIN", "30,1440,4320").split(","))
        if len(delays) != 3 or not delays[0] < delays[1] < delays[2]:
            raise SystemExit("SAUDA_CART_STAGES_MIN must be three increasing minute counts, e.g. 30,1440,4320")
        return cls(
            cart_stage_delays=(delays[0], delays[1], delays[2]),
            cart_code_percent=_percent(env, "SAUDA_CART_CODE_PERCENT", 10, 5, 10),
            cart_code_hours=float(env.get("SAUDA_CART_CODE_HOURS", 24)),
            social_proof_min_orders=int(env.get("SAUDA_SOCIAL_PROOF_MIN_ORDERS", 3)),
            sla_minutes=float(env.get("SAUDA_ESCALATION_SLA_MIN", 15)),
            agent_webhook_url=env.get("SAUDA_AGENT_WEBHOOK_URL", ""),
            agent_webhook_secret=env.get("SAUDA_AGENT_WEBHOOK_SECRET", env.get("SAUDA_MERCHANT_WEBHOOK_SECRET", "")),
            winback_60_percent=_percent(env, "SAUDA_WINBACK_60_PERCENT", 10, 5, 30),
            winback_90_percent=_percent(env, "SAUDA_WINBACK_90_PERCENT", 15, 15, 20),
            winback_90_hours=float(env.get("SAUDA_WINBACK_90_HOURS", 48)),
            winback_complaint_quiet_days=float(env.get("SAUDA_WINBACK_COMPLAINT_QUIET_DAYS", 30)),
            loop_interval=float(env.get("SAUDA_ENGAGEMENT_POLL_S", env.get("SAUDA_WORKER_POLL_S", 1.0))),
        )


_current: Optional[EngagementSettings] = None


def current() -> EngagementSettings:
    """This process's engagement settings (from the environment on first use)."""
    global _current
    if _current is None:
        _current = EngagementSettings.from_env()
    return _current


def use(settings: Optional[EngagementSettings]) -> None:
    """Replace the settings (tests, and the app server once it has read them)."""
    global _current
    _current = settings
