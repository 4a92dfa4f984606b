"""Order status, COD confirmation and the bare yes / no that answers what is pending."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.lifecycle_turn import LifecycleAction
from lifecycle import replies
from lifecycle.replies import Reply, Turn


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
