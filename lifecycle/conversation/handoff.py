""" "Human please", a complaint or abusive language: an escalation with the conversation and
the customer's latest order, and the bot pauses until an agent hands back."""

from __future__ import annotations

from typing import Any

from lifecycle.conversation.replies import Reply, Turn
from lifecycle.domain import escalations, orders

RESPONSES = {"human_handoff": "utter_handoff", "complain": "utter_complaint_received", "abuse": "utter_abuse_calm"}


def handoff(turn: Turn, intent: str, conversation: list[dict[str, Any]]) -> Reply:
    reason = intent if intent in RESPONSES else "human_handoff"
    customer = turn.customer
    order = orders.latest(turn.session, customer)
    note = turn.text if turn.text and not turn.text.startswith("/") else None
    escalations.open_escalation(
        turn.session,
        customer,
        reason,
        turn.now,
        turn.settings.engagement,
        order=order,
        note=note,
        conversation=conversation,
    )
    return Reply().add(RESPONSES[reason])
