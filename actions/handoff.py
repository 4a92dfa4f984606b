"""Hand the customer to a person ("human please", complaints, abuse): an escalation with the
conversation, and the conversation paused so the bot stays quiet until an agent hands back."""

from __future__ import annotations

import asyncio
from abc import ABC
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

from actions.lifecycle_turn import LifecycleAction
from lifecycle.conversation import handoff
from lifecycle.conversation.replies import Reply, Turn
from lifecycle.domain import customers, escalations
from lifecycle.integrations.rasa import transcript
from lifecycle.service import runtime


def _with_a_person(phone: str) -> bool:
    with runtime().db.session() as session:
        customer = customers.find(session, phone)
        return customer is not None and escalations.active_for(session, customer) is not None


class EscalatingAction(LifecycleAction, ABC):
    """A lifecycle action after which the bot pauses if the customer is now with a person."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        events = await super().run(dispatcher, tracker, domain)
        paused = any(event.get("event") == "pause" for event in events)  # a follow-up action may have paused
        if not paused and await asyncio.to_thread(_with_a_person, tracker.sender_id):
            events.append(ConversationPaused())
        return events


class ActionHandoff(EscalatingAction):
    def name(self) -> str:
        return "action_handoff"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return handoff.handoff(turn, tracker.get_intent_of_latest_message(), transcript(tracker.events))
