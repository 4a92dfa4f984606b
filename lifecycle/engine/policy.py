"""What may be sent to a customer now: opt-out, quiet hours, the 24 h window and caps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.models import Customer, OutboxMessage
from lifecycle.domain.customers import in_window
from lifecycle.domain.statuses import OutboxStatus


@dataclass(frozen=True)
class Verdict:
    """``send`` (as a session message or a template), ``defer`` until a time, or ``skip`` with a reason."""

    action: str
    in_window: bool = False
    until: Optional[datetime] = None
    reason: str = ""


def quiet_until(now: datetime, settings: LifecycleSettings) -> Optional[datetime]:
    """If ``now`` falls in quiet hours (store time zone), the moment they end; else None."""
    zone = ZoneInfo(settings.timezone)
    local = now.astimezone(zone)
    start, end = settings.quiet_start, settings.quiet_end
    t = local.time()
    quiet = (start <= t or t < end) if start > end else (start <= t < end)
    if not quiet:
        return None
    end_day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(now.tzinfo)


def marketing_sent_since(session: Session, customer: Customer, since: datetime) -> list[datetime]:
    return list(
        session.scalars(
            select(OutboxMessage.created_at)
            .where(
                OutboxMessage.customer_id == customer.id,
                OutboxMessage.category == "MARKETING",
                OutboxMessage.created_at >= since,
                OutboxMessage.status != OutboxStatus.FAILED,
            )
            .order_by(OutboxMessage.created_at)
        )
    )


def check(
    session: Session,
    customer: Customer,
    category: str,
    now: datetime,
    settings: LifecycleSettings,
    force_template: bool = False,
) -> Verdict:
    """The verdict for one message of ``category`` (UTILITY | MARKETING) to ``customer`` at ``now``."""
    marketing = category == "MARKETING"
    if marketing and customer.opted_out_at is not None:
        return Verdict("skip", reason=f"opted out ({customer.opted_out_source})")
    if marketing or not settings.quiet_allows_utility:
        until = quiet_until(now, settings)
        if until is not None:
            return Verdict("defer", until=until, reason="quiet hours")
    if marketing:
        sent = marketing_sent_since(session, customer, now - timedelta(days=1))
        if len(sent) >= settings.marketing_per_day:
            return Verdict(
                "defer",
                until=sent[-settings.marketing_per_day] + timedelta(days=1),
                reason=f"cap of {settings.marketing_per_day} marketing messages a day",
            )
    return Verdict("send", in_window=in_window(customer, now) and not force_template)
