"""JazzCash / Easypaisa: the customer's transaction ID and payment screenshots."""
from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.lifecycle_turn import LifecycleAction, entity
from actions.products import about_a_product, answer_product
from lifecycle import customers, payments, replies
from lifecycle.replies import Reply, Turn
from lifecycle.service import runtime


class ActionCaptureTransactionId(LifecycleAction):
    """A transaction ID is taken only from a message with one (an 8-14 digit run); a product
    question the NLU took for one ("6.5 number ka joota hai?") is answered as a product question."""

    def name(self) -> str:
        return "action_capture_transaction_id"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if payments.extract_transaction_id(text) is None and await asyncio.to_thread(about_a_product, tracker):
            return await answer_product(dispatcher, tracker)
        return await super().run(dispatcher, tracker, domain)

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.capture_transaction_id(turn, entity(tracker, "transaction_id"))


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
