"""Engagement tables (cart recovery, discount codes, CSAT, escalation activity, win-back),
on the lifecycle's ``Base`` so one Alembic history migrates them.

Kept beside lifecycle/db/models.py rather than in it: these rows only add to the core
records (a cart, an order, an escalation) and are owned by the engagement flows.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lifecycle.db.models import Base

CODE_PURPOSES = ("cart_recovery", "winback_60", "winback_90")
CSAT_ANSWERS = ("positive", "negative", "unclear")


class DiscountCode(Base):
    """A unique single-use code: issued with a message, validated and redeemed by the shop."""

    __tablename__ = "discount_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    issued_for: Mapped[str] = mapped_column(String(200), unique=True)  # the touchpoint key: one code per message
    purpose: Mapped[str] = mapped_column(String(30))  # CODE_PURPOSES
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    cart_id: Mapped[Optional[int]] = mapped_column(ForeignKey("carts.id"))
    percent: Mapped[int]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    redeemed_at: Mapped[Optional[datetime]]
    redeemed_order_ref: Mapped[Optional[str]] = mapped_column(String(100))


class CartRecovery(Base):
    """Where a cart's recovery stands, and the stage credited when it was bought after all."""

    __tablename__ = "cart_recoveries"

    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    last_stage_sent: Mapped[int] = mapped_column(default=0)  # 0 = nothing sent yet
    last_sent_at: Mapped[Optional[datetime]]
    stopped_reason: Mapped[Optional[str]] = mapped_column(String(100))  # why the remaining stages were dropped
    suppressed_at: Mapped[Optional[datetime]]  # after the last stage: never recovered again
    recovered_stage: Mapped[Optional[int]]  # the stage that preceded the purchase
    recovered_order_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orders.id"))
    recovered_revenue: Mapped[Optional[Decimal]]
    recovered_at: Mapped[Optional[datetime]] = mapped_column(index=True)


class CsatResponse(Base):
    """The customer's answer to "how was your order?" (one per order; the last answer counts)."""

    __tablename__ = "csat_responses"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    answer: Mapped[str] = mapped_column(String(20))  # CSAT_ANSWERS
    text: Mapped[Optional[str]] = mapped_column(Text)
    at: Mapped[datetime]


class EscalationActivity(Base):
    """What happened to an escalation besides its status: the conversation as it was, the
    first human reply (which meets the SLA), and whether the bot was handed back."""

    __tablename__ = "escalation_activity"

    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), primary_key=True)
    conversation: Mapped[list[Any]] = mapped_column(default=list)  # [{"who", "text", "at"}] from the tracker
    first_reply_at: Mapped[Optional[datetime]]
    bot_paused: Mapped[bool] = mapped_column(default=False)
    handed_back_at: Mapped[Optional[datetime]]


class AgentReply(Base):
    __tablename__ = "agent_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    agent: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    outbox_id: Mapped[Optional[int]] = mapped_column(ForeignKey("outbox_messages.id"))
    at: Mapped[datetime]


class AgentAlert(Base):
    """A durable notification to the agents' webhook: a new escalation or an SLA breach."""

    __tablename__ = "agent_alerts"
    __table_args__ = (Index("ix_agent_alerts_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # escalation | sla_breach
    state: Mapped[str] = mapped_column(String(20), default="pending")  # pending | sent | failed | skipped
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime]
    sent_at: Mapped[Optional[datetime]]
    error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime]


class WinbackState(Base):
    """Each customer's place in the win-back sequence, counted from their last order.

    ``next_due_at`` is the only thing the daily sweep reads (an index range scan), so a
    sweep touches the customers crossing a threshold and no one else.
    """

    __tablename__ = "winback_states"
    __table_args__ = (Index("ix_winback_next_due", "next_due_at"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    last_order_at: Mapped[datetime]
    last_order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    stage: Mapped[int] = mapped_column(default=0)  # thresholds passed: 30, 60, 90, then quarterly
    next_due_at: Mapped[Optional[datetime]]  # None: nothing more to send
