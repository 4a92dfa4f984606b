"""A customer's personal data out of the lifecycle database, and old message bodies expired.

Erasing anonymises rather than deletes: the customer row stays under a placeholder number
with no name, and their orders keep what the dashboard counts (status, amount, city, items,
times) while addresses, messages, payment replies and notes go. So every figure on the
dashboard is unchanged and none of it leads back to the person.
(The Rasa tracker and the channel state are erased by lifecycle/integrations/stores.py.)
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import String, cast, delete, or_, select, update
from sqlalchemy.orm import Session

from lifecycle.config.privacy_settings import PrivacySettings
from lifecycle.db.engagement_models import AgentReply, CsatResponse, EscalationActivity
from lifecycle.db.models import (
    Cancellation,
    Cart,
    ChannelDeadLetter,
    Customer,
    Escalation,
    Order,
    OrderStatusChange,
    OutboxMessage,
    Payment,
    PendingQuestion,
    ReceivedMedia,
    Touchpoint,
)
from lifecycle.domain import accounts
from lifecycle.domain.phones import to_e164
from lifecycle.domain.statuses import TouchpointState

ERASED = "[erased]"


def phone_forms(phone: str) -> list[str]:
    """The ways a number is written in Sauda's stores: E.164, the wa_id, and for Pakistan the
    national forms (``03001234567``, ``3001234567``)."""
    e164 = to_e164(phone)
    forms = [e164, e164.lstrip("+")]
    if e164.startswith("+92"):
        forms += ["0" + e164[3:], e164[3:]]
    return forms


def placeholder(customer_id: int) -> str:
    return f"erased-{customer_id}"


def erase_customer(session: Session, phone: str, now: datetime) -> Optional[int]:
    """Anonymise the customer with this number; their id, or None if Sauda never knew them."""
    customer = session.scalar(select(Customer).where(Customer.phone == to_e164(phone)))
    if customer is None:
        return None
    cid = customer.id
    customer.phone, customer.name, customer.last_inbound_at = placeholder(cid), None, None
    order_ids = select(Order.id).where(Order.customer_id == cid)
    escalation_ids = select(Escalation.id).where(Escalation.customer_id == cid)
    session.execute(update(Order).where(Order.customer_id == cid).values(address=ERASED))
    session.execute(update(OrderStatusChange).where(OrderStatusChange.order_id.in_(order_ids)).values(note=None))
    session.execute(update(Payment).where(Payment.order_id.in_(order_ids))
                    .values(raw_text=None, transaction_id=None, media_id=None))
    session.execute(update(Cancellation).where(Cancellation.order_id.in_(order_ids)).values(free_text=None))
    session.execute(update(Cart).where(Cart.customer_id == cid).values(checkout_url=None))
    session.execute(update(OutboxMessage).where(OutboxMessage.customer_id == cid)
                    .values(payload={}, text=ERASED, error_message=None))
    session.execute(update(Touchpoint)
                    .where(Touchpoint.customer_id == cid, Touchpoint.state == TouchpointState.SCHEDULED)
                    .values(state=TouchpointState.CANCELLED, result="customer erased", done_at=now))
    session.execute(update(Touchpoint).where(Touchpoint.customer_id == cid).values(params={}))
    session.execute(update(Escalation).where(Escalation.customer_id == cid).values(note=None))
    session.execute(update(EscalationActivity).where(EscalationActivity.escalation_id.in_(escalation_ids))
                    .values(conversation=[]))
    session.execute(update(AgentReply).where(AgentReply.escalation_id.in_(escalation_ids)).values(text=ERASED))
    session.execute(update(CsatResponse).where(CsatResponse.customer_id == cid).values(text=None))
    session.execute(update(ReceivedMedia).where(ReceivedMedia.customer_id == cid).values(caption=None, media_id=ERASED))
    session.execute(delete(PendingQuestion).where(PendingQuestion.customer_id == cid))
    # parked channel events carry the wa_id in their body, not a customer id
    session.execute(delete(ChannelDeadLetter).where(
        or_(*(cast(ChannelDeadLetter.data, String).contains(form) for form in phone_forms(phone)))))
    return cid


def expire(session: Session, retention: PrivacySettings, now: datetime) -> dict[str, int]:
    """Blank bodies older than the retention; the number of rows touched per kind."""
    talk_before = now - timedelta(days=retention.conversation_days)
    old_escalations = select(Escalation.id).where(Escalation.created_at < talk_before)
    counts = {
        "outbox bodies": session.execute(
            update(OutboxMessage).where(OutboxMessage.created_at < now - timedelta(days=retention.outbox_days),
                                        OutboxMessage.text != ERASED)
            .values(payload={}, text=ERASED)).rowcount,
        "escalation transcripts": session.execute(
            update(EscalationActivity).where(EscalationActivity.escalation_id.in_(old_escalations))
            .values(conversation=[])).rowcount,
        "agent replies": session.execute(
            update(AgentReply).where(AgentReply.at < talk_before, AgentReply.text != ERASED)
            .values(text=ERASED)).rowcount,
        "payment replies": session.execute(
            update(Payment).where(Payment.submitted_at < talk_before, Payment.raw_text.is_not(None))
            .values(raw_text=None)).rowcount,
    }
    counts["logins"] = accounts.prune(session, now)
    return counts
