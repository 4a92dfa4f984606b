"""JazzCash / Easypaisa: the customer's transaction ID and payment screenshots."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.lifecycle_turn import LifecycleAction, entity
from lifecycle.conversation import replies
from lifecycle.conversation.replies import Reply, Turn


class ActionCaptureTransactionId(LifecycleAction):
    def name(self) -> str:
        return "action_capture_transaction_id"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.capture_transaction_id(turn, entity(tracker, "transaction_id"))


class ActionMediaReceived(LifecycleAction):
    def name(self) -> str:
        return "action_media_received"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.media_received(turn)
