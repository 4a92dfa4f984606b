"""Payment screenshots (a typed transaction ID: lifecycle/conversation/reading.py), and photos
whose caption asks about a product."""
from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.lifecycle_turn import LifecycleAction
from actions.products import answer_product
from lifecycle.conversation import replies
from lifecycle.conversation.replies import Reply, Turn
from lifecycle.domain import customers, payments
from lifecycle.service import runtime


class ActionMediaReceived(LifecycleAction):
    """A picture or document; one with a caption while no payment is awaited is a product
    question ("ye 40 number mein hai?"), answered from the caption and the product discussed."""

    def name(self) -> str:
        return "action_media_received"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        caption = (tracker.latest_message.get("metadata") or {}).get("caption")
        if caption and not await asyncio.to_thread(_payment_awaited, tracker.sender_id):
            return await answer_product(dispatcher, tracker, caption)
        return await super().run(dispatcher, tracker, domain)

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.media_received(turn)


def _payment_awaited(phone: str) -> bool:
    with runtime().db.session() as session:
        customer = customers.find(session, phone)
        return customer is not None and payments.awaited(session, customer) is not None
