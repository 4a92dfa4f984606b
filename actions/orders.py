"""Order status, COD confirmation and the bare yes / no that answers what is pending."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.lifecycle_turn import LifecycleAction
from lifecycle.conversation import replies
from lifecycle.conversation.replies import Reply, Turn


class ActionOrderStatus(LifecycleAction):
    def name(self) -> str:
        return "action_order_status"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.order_status(turn)


class ActionConfirmOrder(LifecycleAction):
    def name(self) -> str:
        return "action_confirm_order"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.confirm_order(turn)


class ActionResolvePending(LifecycleAction):
    def name(self) -> str:
        return "action_resolve_pending"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.resolve_pending(turn, affirm=tracker.get_intent_of_latest_message() == "affirm")


class ActionCatalogOrder(LifecycleAction):
    """An order placed from the WhatsApp catalogue (the channel puts it in the message metadata)."""

    def name(self) -> str:
        return "action_catalog_order"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        metadata = tracker.latest_message.get("metadata") or next(
            (e.get("metadata") or {} for e in reversed(tracker.events) if e.get("event") == "user"), {})
        return replies.catalog_order(turn, metadata.get("order"), metadata.get("wamid", ""))
