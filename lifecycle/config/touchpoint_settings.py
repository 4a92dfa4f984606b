"""Touchpoint timings and offers the merchant sets on the settings page, kept in
``<data dir>/touchpoints.json``, validated, and explained as the effect they have.

They are a typed overlay on the settings read from the environment: ``applied`` lays them over
a ``LifecycleSettings`` (the saved values win), at start-up and on every save
(``Lifecycle.use_saved``; a worker follows the file). Their defaults are the environment
settings' defaults, so each default is written once, in ``LifecycleSettings`` /
``EngagementSettings``.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import replace
from datetime import time
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lifecycle.config.settings import LifecycleSettings

logger = logging.getLogger(__name__)
FILE_NAME = "touchpoints.json"
_D = LifecycleSettings()  # the defaults, as the environment settings declare them
_HOUR, _MINUTE = 3600.0, 60.0


def _duration(hours: float) -> str:
    return f"{hours * 60:.0f} min" if hours < 1 else f"{hours:g} h"


class TouchpointSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cart_stage_minutes: tuple[int, int, int] = (
        int(_D.engagement.cart_stage_delays[0] // _MINUTE),
        int(_D.engagement.cart_stage_delays[1] // _MINUTE),
        int(_D.engagement.cart_stage_delays[2] // _MINUTE),
    )
    cart_code_percent: int = Field(_D.engagement.cart_code_percent, ge=5, le=10)
    cod_reminder_after_hours: float = Field(_D.cod_reminder_after / _HOUR, gt=0, le=72)
    cod_no_answer_after_hours: float = Field(_D.cod_no_answer_after / _HOUR, gt=0, le=72)
    cod_no_answer_action: Literal["cancel", "call"] = _D.cod_no_answer_action
    payment_reminder_after_hours: float = Field(_D.payment_reminder_after / _HOUR, gt=0, le=72)
    csat_after_hours: float = Field(_D.csat_after / _HOUR, ge=1, le=168)
    quiet_start: time = _D.quiet_start
    quiet_end: time = _D.quiet_end
    winback_60_percent: int = Field(_D.engagement.winback_60_percent, ge=5, le=30)
    winback_90_percent: int = Field(_D.engagement.winback_90_percent, ge=15, le=20)
    escalation_sla_minutes: int = Field(int(_D.engagement.sla_minutes), ge=1, le=240)
    risk_advance_after_returns: int = Field(_D.risk_advance_after_returns, ge=0, le=20)  # 0: no advance for returns
    risk_advance_percent: int = Field(_D.risk_advance_percent, ge=1, le=99)
    risk_advance_amount: int = Field(_D.risk_advance_amount, ge=0, le=100_000)  # rupees; 0: the percentage
    risk_new_customer_cod_limit: int = Field(_D.risk_new_customer_cod_limit, ge=0, le=1_000_000)  # rupees; 0: off
    risk_duplicate_hours: float = Field(_D.risk_duplicate_hours, ge=0, le=72)  # 0: off

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

    def applied(self, settings: LifecycleSettings) -> LifecycleSettings:
        """``settings`` with these timings and offers in place of theirs (everything else kept)."""
        engagement = replace(
            settings.engagement,
            cart_stage_delays=(
                self.cart_stage_minutes[0] * _MINUTE,
                self.cart_stage_minutes[1] * _MINUTE,
                self.cart_stage_minutes[2] * _MINUTE,
            ),
            cart_code_percent=self.cart_code_percent,
            sla_minutes=float(self.escalation_sla_minutes),
            winback_60_percent=self.winback_60_percent,
            winback_90_percent=self.winback_90_percent,
        )
        return replace(
            settings,
            cod_reminder_after=self.cod_reminder_after_hours * _HOUR,
            cod_no_answer_after=self.cod_no_answer_after_hours * _HOUR,
            cod_no_answer_action=self.cod_no_answer_action,
            payment_reminder_after=self.payment_reminder_after_hours * _HOUR,
            csat_after=self.csat_after_hours * _HOUR,
            quiet_start=self.quiet_start,
            quiet_end=self.quiet_end,
            risk_advance_after_returns=self.risk_advance_after_returns,
            risk_advance_percent=self.risk_advance_percent,
            risk_advance_amount=self.risk_advance_amount,
            risk_new_customer_cod_limit=self.risk_new_customer_cod_limit,
            risk_duplicate_hours=self.risk_duplicate_hours,
            engagement=engagement,
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
