"""Touchpoint timings and offers the merchant sets on the settings page, kept in
``<data dir>/touchpoints.json``, validated, and explained as the effect they have.

Saved settings win over the environment. ``environment()`` gives them under the variable
names the lifecycle and engagement settings read at start-up (SAUDA_COD_REMINDER_AFTER_H,
SAUDA_CART_STAGES_MIN …): ``export_saved`` puts them there before the app server or a
worker reads its settings. While running, ``applied`` swaps them into settings already
built (``Lifecycle.use_saved`` does so on save, and in workers when the file changes).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import replace
from datetime import time
from pathlib import Path
from typing import Literal, MutableMapping, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.config.settings import LifecycleSettings

logger = logging.getLogger(__name__)
FILE_NAME = "touchpoints.json"
# What environment() sets, as fields of the settings the engine runs with.
LIFECYCLE_FIELDS = (
    "cod_reminder_after",
    "cod_no_answer_after",
    "cod_no_answer_action",
    "payment_reminder_after",
    "csat_after",
    "quiet_start",
    "quiet_end",
    "risk_advance_after_returns",
    "risk_advance_percent",
    "risk_advance_amount",
    "risk_new_customer_cod_limit",
    "risk_duplicate_hours",
)
ENGAGEMENT_FIELDS = (
    "cart_stage_delays",
    "cart_code_percent",
    "sla_minutes",
    "winback_60_percent",
    "winback_90_percent",
)


def _duration(hours: float) -> str:
    return f"{hours * 60:.0f} min" if hours < 1 else f"{hours:g} h"


class TouchpointSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cart_stage_minutes: tuple[int, int, int] = (30, 1440, 4320)
    cart_code_percent: int = Field(10, ge=5, le=10)
    cod_reminder_after_hours: float = Field(2, gt=0, le=72)
    cod_no_answer_after_hours: float = Field(6, gt=0, le=72)
    cod_no_answer_action: Literal["cancel", "call"] = "cancel"
    payment_reminder_after_hours: float = Field(6, gt=0, le=72)
    csat_after_hours: float = Field(24, ge=1, le=168)
    quiet_start: time = time(22, 0)
    quiet_end: time = time(9, 0)
    winback_60_percent: int = Field(10, ge=5, le=30)
    winback_90_percent: int = Field(15, ge=15, le=20)
    escalation_sla_minutes: int = Field(15, ge=1, le=240)
    risk_advance_after_returns: int = Field(3, ge=0, le=20)  # 0: no advance for returns
    risk_advance_percent: int = Field(50, ge=1, le=99)
    risk_advance_amount: int = Field(0, ge=0, le=100_000)  # rupees; 0: the percentage
    risk_new_customer_cod_limit: int = Field(0, ge=0, le=1_000_000)  # rupees; 0: off
    risk_duplicate_hours: float = Field(0, ge=0, le=72)  # 0: off

    @model_validator(mode="after")
    def _stages_in_order(self) -> "TouchpointSettings":
        first, second, third = self.cart_stage_minutes
        if not 0 < first < second < third:
            raise ValueError("cart recovery stages must come one after another (e.g. 30, 1440, 4320 minutes)")
        if self.quiet_start == self.quiet_end:
            raise ValueError("quiet hours must start and end at different times")
        return self

    def effects(self) -> list[str]:
        """What these settings do, in the merchant's words."""
        stages = [_duration(m / 60) for m in self.cart_stage_minutes]
        no_answer = "the order is cancelled" if self.cod_no_answer_action == "cancel" else "you are asked to call"
        after = self.cod_reminder_after_hours + self.cod_no_answer_after_hours
        return [
            f"Cart recovery: stage 1 goes {stages[0]} after abandonment, stage 2 {stages[1]} after, stage 3 "
            f"{stages[2]} after with a code for {self.cart_code_percent}% off.",
            f"COD: a reminder {_duration(self.cod_reminder_after_hours)} after the confirmation question; with no "
            f"answer {_duration(self.cod_no_answer_after_hours)} later ({_duration(after)} after the order), "
            f"{no_answer}.",
            f"Wallet payments: one reminder {_duration(self.payment_reminder_after_hours)} after the instructions "
            "if no transaction ID came.",
            f"CSAT: asked {_duration(self.csat_after_hours)} after delivery; a negative answer reaches an agent "
            f"within {self.escalation_sla_minutes} min or is marked as an SLA breach.",
            f"Quiet hours: no marketing messages from {self.quiet_start:%H:%M} to {self.quiet_end:%H:%M} "
            "(Karachi time); they wait until the quiet hours end.",
            f"Win-back: day 60 brings a {self.winback_60_percent}% code, day 90 a {self.winback_90_percent}% code.",
            self._risk_effect(),
        ]

    def _risk_effect(self) -> str:
        advance = (f"Rs. {self.risk_advance_amount:,}" if self.risk_advance_amount
                   else f"{self.risk_advance_percent}% of the order")
        asks = []
        if self.risk_advance_after_returns:
            asks.append(f"from a phone with {self.risk_advance_after_returns} or more returned orders")
        if self.risk_new_customer_cod_limit:
            asks.append(f"above Rs. {self.risk_new_customer_cod_limit:,} from a phone with no delivered order")
        said = (f"COD risk: an advance of {advance} by JazzCash / Easypaisa is asked for a COD order "
                f"{' or '.join(asks)}; the order waits until the payment is verified." if asks
                else "COD risk: no advance is asked.")
        if self.risk_duplicate_hours:
            said += (f" A second open COD order from one phone within {self.risk_duplicate_hours:g} h is held "
                     "for a call.")
        return said

    def environment(self) -> dict[str, str]:
        return {
            "SAUDA_CART_STAGES_MIN": ",".join(str(m) for m in self.cart_stage_minutes),
            "SAUDA_CART_CODE_PERCENT": str(self.cart_code_percent),
            "SAUDA_COD_REMINDER_AFTER_H": f"{self.cod_reminder_after_hours:g}",
            "SAUDA_COD_NO_ANSWER_AFTER_H": f"{self.cod_no_answer_after_hours:g}",
            "SAUDA_COD_NO_ANSWER_ACTION": self.cod_no_answer_action,
            "SAUDA_PAYMENT_REMINDER_AFTER_H": f"{self.payment_reminder_after_hours:g}",
            "SAUDA_CSAT_AFTER_H": f"{self.csat_after_hours:g}",
            "SAUDA_QUIET_START": f"{self.quiet_start:%H:%M}",
            "SAUDA_QUIET_END": f"{self.quiet_end:%H:%M}",
            "SAUDA_WINBACK_60_PERCENT": str(self.winback_60_percent),
            "SAUDA_WINBACK_90_PERCENT": str(self.winback_90_percent),
            "SAUDA_ESCALATION_SLA_MIN": str(self.escalation_sla_minutes),
            "SAUDA_RISK_ADVANCE_AFTER_RETURNS": str(self.risk_advance_after_returns),
            "SAUDA_RISK_ADVANCE_PERCENT": str(self.risk_advance_percent),
            "SAUDA_RISK_ADVANCE_AMOUNT": str(self.risk_advance_amount),
            "SAUDA_RISK_NEW_CUSTOMER_COD_LIMIT": str(self.risk_new_customer_cod_limit),
            "SAUDA_RISK_DUPLICATE_HOURS": f"{self.risk_duplicate_hours:g}",
        }

    def applied(
        self, lifecycle: LifecycleSettings, engagement: EngagementSettings
    ) -> tuple[LifecycleSettings, EngagementSettings]:
        """Both settings with these timings and offers in place of theirs, parsed as at start-up."""
        env = self.environment()
        ours = LifecycleSettings.from_env(env), EngagementSettings.from_env(env)
        return (
            replace(lifecycle, **{name: getattr(ours[0], name) for name in LIFECYCLE_FIELDS}),
            replace(engagement, **{name: getattr(ours[1], name) for name in ENGAGEMENT_FIELDS}),
        )


def load(data_dir: Path) -> TouchpointSettings:
    path = Path(data_dir) / FILE_NAME
    return TouchpointSettings.model_validate_json(path.read_text()) if path.exists() else TouchpointSettings()


def save(data_dir: Path, settings: TouchpointSettings) -> None:
    """Write atomically (a half-written file is never read)."""
    path = Path(data_dir) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(settings.model_dump(mode="json"), indent=2))
    os.replace(partial, path)


def saved(data_dir: Path) -> Optional[TouchpointSettings]:
    """The merchant's settings, or None when none were saved (or the file is unreadable: logged)."""
    path = Path(data_dir) / FILE_NAME
    if not path.exists():
        return None
    try:
        return load(data_dir)
    except (ValidationError, ValueError, OSError):
        logger.exception("%s unreadable: touchpoints keep their current settings", path)
        return None


def export_saved(data_dir: Path, environ: MutableMapping[str, str]) -> Optional[TouchpointSettings]:
    """Put the saved settings into ``environ`` (before settings are read from it at start-up)."""
    chosen = saved(data_dir)
    if chosen is not None:
        environ.update(chosen.environment())
        logger.info("touchpoint settings from %s", Path(data_dir) / FILE_NAME)
    return chosen
