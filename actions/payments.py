"""Payment screenshots (a typed transaction ID: lifecycle/flows/reading.py)."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.lifecycle_turn import LifecycleAction
from lifecycle.conversation import replies
from lifecycle.conversation.replies import Reply, Turn


class ActionMediaReceived(LifecycleAction):
    def name(self) -> str:
        return "action_media_received"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.media_received(turn)
