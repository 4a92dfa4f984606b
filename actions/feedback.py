"""Answers to the CSAT question (buttons or text): thanks and review links, or a person."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.handoff import EscalatingAction
from lifecycle.conversation.replies import Reply, Turn
from lifecycle.flows import csat
from lifecycle.integrations.rasa_conversations import transcript


class ActionCsatReply(EscalatingAction):
    def name(self) -> str:
        return "action_csat_reply"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return csat.reply(turn, tracker.get_intent_of_latest_message(), transcript(tracker.events))
