"""Delivery-risk tables: the risk decision taken on each new COD order, with its reasons.

Kept beside lifecycle/db/models.py: these rows only add to an order and are owned by
lifecycle/domain/risk.py.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import ForeignKey, String
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
