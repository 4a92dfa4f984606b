"""Escalations to a person: opened on a negative CSAT, "human please", a complaint or abuse;
a 15-minute SLA to the first human reply; breaches marked and re-notified; the agent
replies, resolves and hands the customer back to the bot.

The SLA clock stops at the first agent reply (``EscalationActivity.first_reply_at``).
Agents hear of a new escalation and of a breach through durable ``AgentAlert`` rows,
POSTed (signed) to SAUDA_AGENT_WEBHOOK_URL, and see both in the console.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.db.engagement_models import AgentAlert, AgentReply, EscalationActivity
from lifecycle.db.models import Customer, Escalation, Order, OutboxMessage
from lifecycle.domain import customers
from lifecycle.domain.statuses import AlertState
from whatsapp.payloads import text_payload
from whatsapp.retry import RetryPolicy

ACTIVE = ("open", "taken")
# Agent alerts: 30 s … 10 min apart, 8 tries.
ALERT_RETRY = RetryPolicy(base=30, cap=600, attempts=8)
# Escalations a person answers on WhatsApp (the bot is paused for them); others, such as a
# COD order to call, are worked outside the chat.
CHAT_REASONS = ("csat_negative", "csat_unclear", "human_handoff", "complain", "abuse")
# Escalations that mean the customer is unhappy with the shop: no marketing for a while after one.
COMPLAINT_REASONS = ("csat_negative", "complain")


class EscalationError(ValueError):
    """An agent action that does not fit the escalation's state (resolved, outside the window…)."""


def active_for(session: Session, customer: Customer) -> Optional[Escalation]:
    return session.scalar(select(Escalation).where(
        Escalation.customer_id == customer.id, Escalation.status.in_(ACTIVE),
        Escalation.reason.in_(CHAT_REASONS)).order_by(Escalation.id.desc()).limit(1))


def why_no_marketing(session: Session, customer_id: int, now: datetime, quiet_days: float) -> Optional[str]:
    """Why this customer should get no marketing now (an escalation open, or a complaint in the
    last ``quiet_days``), else None."""
    open_one = session.scalar(select(Escalation.reason).where(
        Escalation.customer_id == customer_id, Escalation.status.in_(ACTIVE),
        Escalation.reason.in_(CHAT_REASONS)).limit(1))
    if open_one is not None:
        return f"a {open_one} escalation is open"
    since = now - timedelta(days=quiet_days)
    recent = session.scalar(select(Escalation.reason).where(
        Escalation.customer_id == customer_id, Escalation.reason.in_(COMPLAINT_REASONS),
        Escalation.created_at >= since).limit(1))
    return f"a {recent} escalation in the last {quiet_days:g} days" if recent is not None else None


def _add_note(escalation: Escalation, note: Optional[str], order: Optional[Order]) -> None:
    if note and note not in (escalation.note or ""):  # the same pin sent again adds nothing
        escalation.note = f"{escalation.note}\n{note}" if escalation.note else note
    escalation.order_id = escalation.order_id or (order.id if order else None)


def flag(session: Session, customer: Customer, reason: str, note: str, now: datetime,
         order: Optional[Order] = None, sla_minutes: Optional[float] = None) -> Escalation:
    """A task for a person outside the chat (a COD order to call, a change to an order, a
    location pin): one open per customer and kind; a repeat adds its note to that one. With
    ``sla_minutes`` agents are alerted at once and a breach of the SLA is marked, as for a chat."""
    existing = session.scalar(select(Escalation).where(
        Escalation.customer_id == customer.id, Escalation.status.in_(ACTIVE), Escalation.reason == reason)
        .order_by(Escalation.id.desc()).limit(1))
    if existing is not None:
        _add_note(existing, note, order)
        return existing
    if sla_minutes is None:
        return _new(session, customer, reason, now, order=order, note=note)
    escalation = _new(session, customer, reason, now, order=order, note=note,
                      sla_due_at=now + timedelta(minutes=sla_minutes))
    _watch(session, escalation, now, [], bot_paused=False)
    return escalation


def _watch(session: Session, escalation: Escalation, now: datetime, conversation: list[dict[str, Any]],
           bot_paused: bool) -> None:
    """Agents alerted now and the SLA clock running until the first human reply."""
    session.flush()
    session.add(EscalationActivity(escalation_id=escalation.id, conversation=conversation, bot_paused=bot_paused))
    session.add(AgentAlert(escalation_id=escalation.id, kind="escalation", due_at=now, created_at=now))


def _new(session: Session, customer: Customer, reason: str, now: datetime, order: Optional[Order] = None,
         note: Optional[str] = None, sla_due_at: Optional[datetime] = None) -> Escalation:
    """The one place an Escalation row is made."""
    escalation = Escalation(customer_id=customer.id, order_id=order.id if order else None, reason=reason,
                            note=note, created_at=now, sla_due_at=sla_due_at)
    session.add(escalation)
    return escalation


def open_escalation(session: Session, customer: Customer, reason: str, now: datetime, settings: EngagementSettings,
                    order: Optional[Order] = None, note: Optional[str] = None,
                    conversation: Optional[list[dict[str, Any]]] = None) -> Escalation:
    """Open (or add to the customer's already open) escalation; the bot is paused for them."""
    existing = active_for(session, customer)
    if existing is not None:
        _add_note(existing, note, order)
        return existing
    escalation = _new(session, customer, reason, now, order=order, note=note,
                      sla_due_at=now + timedelta(minutes=settings.sla_minutes))
    _watch(session, escalation, now, conversation or [], bot_paused=True)
    return escalation


def take(session: Session, escalation: Escalation, agent: str) -> None:
    if escalation.status == "resolved":
        raise EscalationError(f"escalation {escalation.id} is already resolved")
    escalation.status, escalation.assigned_to = "taken", agent


def reply(session: Session, escalation: Escalation, agent: str, text: str, now: datetime) -> OutboxMessage:
    """Queue the agent's WhatsApp reply (inside the 24 h window only); the caller sends it."""
    text = text.strip()
    if not text:
        raise EscalationError("the reply is empty")
    if escalation.status == "resolved":
        raise EscalationError(f"escalation {escalation.id} is already resolved")
    customer = session.get(Customer, escalation.customer_id)
    if not customers.in_window(customer, now):
        raise EscalationError("the customer's last message is more than 24 h old: WhatsApp only allows an "
                              "approved template now, so please call the customer instead")
    if escalation.status == "open":
        take(session, escalation, agent)
    message = OutboxMessage(customer_id=customer.id, template="agent_reply", category="UTILITY", mode="session",
                            payload=text_payload(customer.wa_id, text), text=text, created_at=now)
    session.add(message)
    session.flush()
    session.add(AgentReply(escalation_id=escalation.id, agent=agent, text=text, outbox_id=message.id, at=now))
    activity = session.get(EscalationActivity, escalation.id)
    if activity is None:  # a task flagged outside the chat: the agent answers it on WhatsApp after all
        activity = EscalationActivity(escalation_id=escalation.id, conversation=[], bot_paused=False)
        session.add(activity)
    if activity.first_reply_at is None:
        activity.first_reply_at = now
    return message


def resolve(session: Session, escalation: Escalation, agent: str, now: datetime) -> None:
    """Done: the customer goes back to the bot (the caller resumes the Rasa conversation)."""
    if escalation.status == "resolved":
        return
    escalation.status, escalation.resolved_at = "resolved", now
    escalation.assigned_to = escalation.assigned_to or agent
    activity = session.get(EscalationActivity, escalation.id)
    if activity is not None:
        activity.bot_paused, activity.handed_back_at = False, now


def mark_breaches(session: Session, now: datetime) -> list[int]:
    """Escalations past their SLA with no human reply yet: marked once and re-notified."""
    query = (select(Escalation).join(EscalationActivity, EscalationActivity.escalation_id == Escalation.id)
             .where(Escalation.status.in_(ACTIVE), Escalation.breached_at.is_(None), Escalation.sla_due_at <= now,
                    EscalationActivity.first_reply_at.is_(None)))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Escalation, skip_locked=True)
    breached = list(session.scalars(query))
    for escalation in breached:
        escalation.breached_at = now
        session.add(AgentAlert(escalation_id=escalation.id, kind="sla_breach", due_at=now, created_at=now))
    return [e.id for e in breached]


@dataclass(frozen=True)
class Delivery:
    alert_id: int
    body: bytes


def claim_alerts(session: Session, now: datetime, settings: EngagementSettings, limit: int = 50) -> list[Delivery]:
    """Alerts due for the agents' webhook; without a webhook they are marked skipped (console only)."""
    query = (select(AgentAlert).where(AgentAlert.state == AlertState.PENDING, AgentAlert.due_at <= now)
             .order_by(AgentAlert.due_at).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    deliveries = []
    for alert in session.scalars(query):
        if not settings.agent_webhook_url:
            alert.state, alert.error = AlertState.SKIPPED, "no SAUDA_AGENT_WEBHOOK_URL"
            continue
        alert.attempts += 1
        alert.due_at = now + timedelta(seconds=ALERT_RETRY.delay(alert.attempts))  # the lease until recorded
        deliveries.append(Delivery(alert.id, json.dumps(alert_body(session, alert)).encode()))
    return deliveries


def alert_body(session: Session, alert: AgentAlert) -> dict[str, Any]:
    escalation = session.get(Escalation, alert.escalation_id)
    customer = session.get(Customer, escalation.customer_id)
    order = session.get(Order, escalation.order_id) if escalation.order_id else None
    return {"event": alert.kind, "id": f"agent-alert:{alert.id}", "escalation_id": escalation.id,
            "reason": escalation.reason, "note": escalation.note, "customer": customer.phone,
            "customer_name": customer.name, "order_id": order.ref if order else None,
            "created_at": escalation.created_at.isoformat(), "sla_due_at": escalation.sla_due_at.isoformat(),
            "breached_at": escalation.breached_at.isoformat() if escalation.breached_at else None,
            "console": f"/console/escalations/{escalation.id}"}


def record_alert(session: Session, alert_id: int, error: Optional[str], now: datetime) -> None:
    alert = session.get(AgentAlert, alert_id)
    if error is None:
        alert.state, alert.sent_at, alert.error = AlertState.SENT, now, None
    elif ALERT_RETRY.gives_up(alert.attempts):
        alert.state, alert.error = AlertState.FAILED, error[:500]
    else:
        alert.error = error[:500]  # due again at the backoff set when it was claimed


@dataclass(frozen=True)
class QueueRow:
    escalation: Escalation
    customer: Customer
    order: Optional[Order]
    activity: Optional[EscalationActivity]

    def seconds_left(self, now: datetime) -> Optional[float]:
        """Seconds to the SLA (negative once breached); None once a person replied."""
        if self.activity is not None and self.activity.first_reply_at is not None:
            return None
        return (self.escalation.sla_due_at - now).total_seconds() if self.escalation.sla_due_at else None


def queue(session: Session, include_resolved: int = 20) -> list[QueueRow]:
    """Active escalations, most urgent first, then the most recently resolved ones."""
    base = (select(Escalation, Customer, Order, EscalationActivity)
            .join(Customer, Customer.id == Escalation.customer_id)
            .outerjoin(Order, Order.id == Escalation.order_id)
            .outerjoin(EscalationActivity, EscalationActivity.escalation_id == Escalation.id))
    active = session.execute(base.where(Escalation.status.in_(ACTIVE))
                             .order_by(Escalation.sla_due_at.is_(None), Escalation.sla_due_at, Escalation.id))
    done = session.execute(base.where(Escalation.status == "resolved")
                           .order_by(Escalation.resolved_at.desc()).limit(include_resolved))
    return [QueueRow(*row) for row in [*active, *done]]


def replies_of(session: Session, escalation: Escalation) -> list[AgentReply]:
    return list(session.scalars(select(AgentReply).where(AgentReply.escalation_id == escalation.id)
                                .order_by(AgentReply.id)))
