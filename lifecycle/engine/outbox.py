"""Outbox rows: every WhatsApp message the lifecycle sends, its send result and its delivery status.

Status webhooks arrive at least once and in any order: a status only moves forward
(accepted → sent → delivered → read), ``failed`` is final unless the message was
already delivered or read, and duplicates change nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Optional, Protocol

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from lifecycle.db.models import Customer, OutboxMessage, Touchpoint
from lifecycle.domain import customers
from lifecycle.domain.statuses import OutboxStatus, TouchpointState
from lifecycle.engine.templates import Rendered
from whatsapp.errors import MetaError, SendOutcome
from whatsapp.graph_client import SendResult
from whatsapp.retry import RetryPolicy

logger = logging.getLogger(__name__)

STATUS_RANK: dict[str, int] = {  # OutboxStatus values; rows hold them as plain text
    OutboxStatus.QUEUED: 0,
    OutboxStatus.ACCEPTED: 1,
    OutboxStatus.SENT: 2,
    OutboxStatus.DELIVERED: 3,
    OutboxStatus.READ: 4,
}
# A message the client gave up on is tried again by the worker: 30 s … 1 h apart, 8 tries in all.
WORKER_RETRY = RetryPolicy(base=30, cap=3600, attempts=8)


class Sender(Protocol):
    async def send(self, payload: dict) -> SendResult: ...


def unsent_row(session: Session, touchpoint: Optional[Touchpoint], mode: str) -> Optional[int]:
    """The id of an unsent outbox row an earlier, crashed claim of ``touchpoint`` queued, if any."""
    if touchpoint is None or touchpoint.attempts <= 1:
        return None
    return session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.touchpoint_id == touchpoint.id, OutboxMessage.status == "queued", OutboxMessage.mode == mode
        )
    )


def row_values(touchpoint: Optional[Touchpoint], customer: Customer, rendered: Rendered, now: datetime) -> dict:
    """The column values of a new outbox row, for ``queue_rows``."""
    return dict(
        touchpoint_id=touchpoint.id if touchpoint else None,
        customer_id=customer.id,
        template=rendered.name,
        category=rendered.category,
        mode=rendered.mode,
        payload=rendered.payload,
        text=rendered.text,
        status="queued",
        attempts=0,
        created_at=now,
    )


def queue_rows(session: Session, rows: list[dict]) -> list[int]:
    """Insert outbox rows; their ids in the order given."""
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # Ids drawn from the sequence first, then one pipelined executemany of a small cached
        # statement: a 1,000-row INSERT … RETURNING spends more time in psycopg's placeholder
        # parsing of its 10,000 parameters than PostgreSQL spends inserting.
        ids = list(
            session.scalars(
                text("SELECT nextval(pg_get_serial_sequence('outbox_messages', 'id')) FROM generate_series(1, :n)"),
                {"n": len(rows)},
            )
        )
        session.execute(insert(OutboxMessage), [{**row, "id": id_} for row, id_ in zip(rows, ids)])
        return ids
    inserted = session.scalars(insert(OutboxMessage).returning(OutboxMessage.id, sort_by_parameter_order=True), rows)
    return list(inserted)


def retry_delay(attempts: int) -> timedelta:
    """Backoff between worker-level retries of a message the client gave up on."""
    return timedelta(seconds=WORKER_RETRY.delay(attempts))


_PG_RECORD_ACCEPTED = text(
    "UPDATE outbox_messages AS m SET wamid = sent.wamid, status = 'accepted', status_at = :now, error_code = NULL, "
    "error_message = NULL, attempts = m.attempts + 1 "
    "FROM unnest(CAST(:ids AS bigint[]), CAST(:wamids AS text[])) AS sent(id, wamid) WHERE m.id = sent.id"
)


def record_accepted(session: Session, sent: list[tuple[int, str]], now: datetime) -> None:
    """Mark outbox rows accepted by the Graph API, (outbox id, wamid) each, in one statement."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_PG_RECORD_ACCEPTED, {"ids": [i for i, _ in sent], "wamids": [w for _, w in sent], "now": now})
        return
    session.connection().execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == bindparam("message_id"))
        .values(
            wamid=bindparam("sent_wamid"),
            status="accepted",
            status_at=now,
            error_code=None,
            error_message=None,
            attempts=OutboxMessage.attempts + 1,
        ),
        [{"message_id": outbox_id, "sent_wamid": wamid} for outbox_id, wamid in sent],
    )


def record_send(message: OutboxMessage, result: SendResult, now: datetime) -> str:
    """Store a send result; returns "sent", "retry", "resend_template" or "failed"."""
    message.attempts += 1
    message.status_at = now
    if result.ok:
        message.wamid, message.status = result.wamid, OutboxStatus.ACCEPTED
        message.error_code = message.error_message = None
        return "sent"
    message.error_code, message.error_message = result.error_code, f"{result.outcome}: {result.error_message}"
    if result.outcome == SendOutcome.OUTSIDE_WINDOW and message.mode == "session":
        message.status = OutboxStatus.FAILED
        return "resend_template"
    if result.transient and not WORKER_RETRY.gives_up(message.attempts):
        return "retry"
    message.status = OutboxStatus.FAILED
    return "failed"


def apply_status(
    session: Session, wamid: str, status: str, errors: list[dict], at: datetime, now: datetime
) -> Optional[str]:
    """A status webhook; returns what follows from it ("resend_template", "opted_out", …) or None."""
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.wamid == wamid))
    if message is None:
        return None  # a conversation reply sent by the channel, not by the outbox
    if status == OutboxStatus.FAILED:
        if message.status in (OutboxStatus.FAILED, OutboxStatus.DELIVERED, OutboxStatus.READ):
            return None
        code = int(errors[0].get("code", 0)) if errors else None
        message.status, message.error_code, message.status_at = OutboxStatus.FAILED, code, at
        message.error_message = (errors[0].get("title") or errors[0].get("message")) if errors else "failed"
        return _after_failure(session, message, code, now)
    if status not in STATUS_RANK or message.status == OutboxStatus.FAILED:
        return None
    if STATUS_RANK[status] > STATUS_RANK.get(message.status, 0):
        message.status, message.status_at = status, at
    return None


def _after_failure(session: Session, message: OutboxMessage, code: Optional[int], now: datetime) -> Optional[str]:
    touchpoint = session.get(Touchpoint, message.touchpoint_id) if message.touchpoint_id else None
    if code == MetaError.OUTSIDE_WINDOW and message.mode == "session" and touchpoint is not None:
        # Outside the 24 h window after all: send the approved template instead.
        touchpoint.state, touchpoint.due_at, touchpoint.done_at = TouchpointState.SCHEDULED, now, None
        touchpoint.params = {**touchpoint.params, "force_template": True}
        touchpoint.result = f"{code}: resending as a template"
        return "resend_template"
    if code == MetaError.MARKETING_OPTED_OUT:  # the customer stopped marketing messages inside WhatsApp
        opted_out(session, message.customer_id, now)
    if touchpoint is not None:
        touchpoint.state, touchpoint.result = TouchpointState.FAILED, f"{code}: {message.error_message}"
    return "opted_out" if code == MetaError.MARKETING_OPTED_OUT else "failed"


def opted_out(session: Session, customer_id: int, now: datetime) -> None:
    """Meta says the customer stopped marketing messages in WhatsApp: Sauda stops them too."""
    customers.set_opt_out(
        session, session.get(Customer, customer_id), True, f"whatsapp_{MetaError.MARKETING_OPTED_OUT}", now
    )
