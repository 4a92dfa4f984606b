"""Delivery tables: the risk decision taken on each new COD order, with its reasons
(lifecycle/domain/risk.py), and each failed delivery attempt with the customer's answer
(lifecycle/domain/recovery.py).

Kept beside lifecycle/db/models.py: these rows only add to an order or a shipment.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lifecycle.db.models import Base


class RiskDecision(Base):
    """What the risk check decided for an order (``RiskBand``), why, and the advance asked."""

    __tablename__ = "risk_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    band: Mapped[str] = mapped_column(String(20), index=True)  # RiskBand
    reasons: Mapped[list[Any]]  # ["3 returned orders on this phone", …]
    advance: Mapped[Optional[Decimal]]
    created_at: Mapped[datetime] = mapped_column(index=True)
    overridden_by: Mapped[Optional[str]] = mapped_column(String(100))  # the merchant who let the order through
    overridden_at: Mapped[Optional[datetime]]


class DeliveryRecovery(Base):
    """One failed delivery attempt (a courier scan meaning attempted / refused / not available)
    and what the customer chose: deliver again, change the address or time, or cancel."""

    __tablename__ = "delivery_recoveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"))
    attempt: Mapped[int]  # 1 for the first failure of this shipment
    raw_status: Mapped[str] = mapped_column(Text)  # the courier's words
    failed_at: Mapped[datetime]
    choice: Mapped[Optional[str]] = mapped_column(String(20))  # DeliveryChoice, once answered
    detail: Mapped[Optional[str]] = mapped_column(Text)  # the new address or time, in the customer's words
    answered_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime] = mapped_column(index=True)
