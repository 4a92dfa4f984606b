"""An agent's reply to an escalated customer: kept against the escalation (the SLA clock stops at
the first), sent on WhatsApp, its send recorded in the outbox, and written into the customer's
Rasa conversation marked as the agent's. The console's route only parses the form and shows
the outcome; the database phases run in a worker thread, off the event loop."""
from __future__ import annotations

import asyncio
from typing import Optional

from sqlalchemy.orm import Session

from lifecycle.db.engine import Database
from lifecycle.db.models import Customer, Escalation, OutboxMessage
from lifecycle.domain import escalations
from lifecycle.domain.clock import Clock
from lifecycle.engine import outbox
from lifecycle.integrations.rasa import RasaClient


def find(session: Session, escalation_id: int) -> Escalation:
    """The escalation, or EscalationError naming the id."""
    escalation: Optional[Escalation] = session.get(Escalation, escalation_id)
    if escalation is None:
        raise escalations.EscalationError(f"no escalation {escalation_id}")
    return escalation


async def reply(db: Database, sender: outbox.Sender, rasa: RasaClient, clock: Clock,
                escalation_id: int, agent: str, text: str) -> None:
    """Send ``text`` to the escalation's customer as ``agent``. EscalationError when the escalation
    refuses it (resolved, outside the 24 h window, empty) or WhatsApp does not accept it."""

    def keep() -> tuple[int, dict, str]:
        with db.session.begin() as session:
            escalation = find(session, escalation_id)
            message = escalations.reply(session, escalation, agent, text, clock.now())
            return message.id, message.payload, session.get(Customer, escalation.customer_id).phone

    message_id, payload, phone = await asyncio.to_thread(keep)
    result = await sender.send(payload)

    def record() -> str:
        with db.session.begin() as session:
            return outbox.record_send(session.get(OutboxMessage, message_id), result, clock.now())

    if await asyncio.to_thread(record) != "sent":
        raise escalations.EscalationError(
            f"WhatsApp did not accept the reply ({result.outcome}: {result.error_message})")
    await rasa.record_agent_message(phone, agent, text.strip())
