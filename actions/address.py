"""A typed address change or a shared location, for the customer's open order."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.lifecycle_turn import LifecycleAction, entity
from lifecycle.conversation import replies
from lifecycle.conversation.replies import Reply, Turn


class ActionUpdateAddress(LifecycleAction):
    def name(self) -> str:
        return "action_update_address"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        metadata = tracker.latest_message.get("metadata") or {}
        return replies.update_address(turn, entity(tracker, "city"), metadata.get("location"))
