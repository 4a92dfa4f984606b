"""Settings of the engagement flows (cart recovery, CSAT escalation, win-back): part of the
lifecycle's settings (``LifecycleSettings.engagement``), read once from the environment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from lifecycle.config.environment import Environment


@dataclass(frozen=True)
class EngagementSettings:
    # cart recovery: delays after abandonment, in seconds (SAUDA_CART_STAGES_MIN, minutes)
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
    winback_batch: int = 1000  # customers per sweep transaction: short ones, so the sweep never holds PostgreSQL long
    winback_complaint_quiet_days: float = 30.0  # no win-back this long after a complaint
    loop_interval: float = 1.0  # seconds between SLA / alert / sweep rounds

    @classmethod
    def from_env(cls, env: Optional[Environment] = None) -> "EngagementSettings":
        env = env or Environment()
        d = cls()
        stages = env.numbers("SAUDA_CART_STAGES_MIN", d.cart_stage_delays, 3, unit=60)
        return cls(
            cart_stage_delays=(stages[0], stages[1], stages[2]),
            cart_code_percent=env.integer("SAUDA_CART_CODE_PERCENT", d.cart_code_percent, 5, 10),
            cart_code_hours=env.number("SAUDA_CART_CODE_HOURS", d.cart_code_hours, low=0),
            social_proof_min_orders=env.integer("SAUDA_SOCIAL_PROOF_MIN_ORDERS", d.social_proof_min_orders, low=1),
            sla_minutes=env.number("SAUDA_ESCALATION_SLA_MIN", d.sla_minutes, low=0),
            agent_webhook_url=env.text("SAUDA_AGENT_WEBHOOK_URL"),
            agent_webhook_secret=env.first(("SAUDA_AGENT_WEBHOOK_SECRET", "SAUDA_MERCHANT_WEBHOOK_SECRET")),
            winback_60_percent=env.integer("SAUDA_WINBACK_60_PERCENT", d.winback_60_percent, 5, 30),
            winback_90_percent=env.integer("SAUDA_WINBACK_90_PERCENT", d.winback_90_percent, 15, 20),
            winback_90_hours=env.number("SAUDA_WINBACK_90_HOURS", d.winback_90_hours, low=0),
            winback_batch=env.integer("SAUDA_WINBACK_BATCH", d.winback_batch, low=1),
            winback_complaint_quiet_days=env.number("SAUDA_WINBACK_COMPLAINT_QUIET_DAYS",
                                                    d.winback_complaint_quiet_days, low=0),
            loop_interval=env.number("SAUDA_ENGAGEMENT_POLL_S", env.number("SAUDA_WORKER_POLL_S", d.loop_interval,
                                                                           low=0), low=0),
        )
