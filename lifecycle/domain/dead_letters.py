"""Channel events that could not be applied, parked with their reason (``ChannelDeadLetter``)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle.db.models import ChannelDeadLetter


def park(session: Session, kind: str, data: dict[str, Any], reason: str, now: datetime) -> ChannelDeadLetter:
    letter = ChannelDeadLetter(kind=kind, data=data, reason=reason[:2000], attempts=1, parked_at=now)
    session.add(letter)
    session.flush()
    return letter


def waiting(session: Session, limit: int = 200) -> list[ChannelDeadLetter]:
    """Unresolved letters, oldest first."""
    return list(session.scalars(select(ChannelDeadLetter).where(ChannelDeadLetter.resolved_at.is_(None))
                                .order_by(ChannelDeadLetter.id).limit(limit)))


def count_waiting(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ChannelDeadLetter)
                          .where(ChannelDeadLetter.resolved_at.is_(None))) or 0
