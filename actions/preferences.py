"""STOP typed in the chat: marketing opt-out (START: lifecycle/conversation/reading.py)."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.lifecycle_turn import LifecycleAction
from lifecycle.conversation import replies
from lifecycle.conversation.replies import Reply, Turn


class ActionOptOut(LifecycleAction):
    def name(self) -> str:
        return "action_opt_out"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.set_marketing(turn, opted_out=True)
