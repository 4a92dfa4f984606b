"""Order status, COD confirmation and the answers to what Sauda asked (pending questions)."""
from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.handoff import EscalatingAction
from actions.lifecycle_turn import LifecycleAction, entity
from actions.products import about_a_product
from lifecycle.conversation import reading, replies
from lifecycle.conversation.replies import Reply, Turn
from lifecycle.domain import customers
from lifecycle.domain.payments import extract_transaction_id
from lifecycle.flows.sentiment import is_complaint
from lifecycle.integrations.rasa import transcript

_ORDER_NUMBER = re.compile(r"(?i)\bSD-?\d{4,7}\b|#\d{4,7}\b|\b\d{4,7}\b|\border\b")


class ActionOrderStatus(LifecycleAction):
    def name(self) -> str:
        return "action_order_status"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        if not _ORDER_NUMBER.search(turn.text) and about_a_product(tracker):  # "44 number?" is a size
            return Reply(followup="action_answer_product")
        return replies.order_status(turn)


class ActionConfirmOrder(LifecycleAction):
    def name(self) -> str:
        return "action_confirm_order"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.confirm_order(turn)


# What the rules (data/stories/) run for these intents when no CSAT question is open; after it,
# they come to action_resolve_pending first and go on here when they were no answer.
QUESTION_ACTIONS = {
    **dict.fromkeys(("ask_availability", "ask_sizes", "ask_colours", "ask_price", "ask_details", "ask_pictures",
                     "ask_delivery", "ask_cod", "ask_return_policy"), "action_answer_product"),
    "greet": "action_greet", "bot_challenge": "utter_iamabot", "what_can_you_do": "utter_capabilities",
    "order_status": "action_order_status", "confirm_order": "action_confirm_order",
    "modify_order": "action_modify_order",
    "cancel_order": "action_cancel_order", "cancel_reason": "action_record_cancel_reason",
    "human_handoff": "action_handoff", "abuse": "action_handoff", "opt_out": "action_opt_out",
}


class ActionResolvePending(EscalatingAction):
    """Short answers and statements, read against the pending question first (lifecycle/conversation/reading.py)."""

    def name(self) -> str:
        return "action_resolve_pending"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        if _a_product_question(turn, tracker):
            return Reply(followup="action_answer_product")
        intent = tracker.get_intent_of_latest_message()
        entities = {name: entity(tracker, name) for name in ("cancel_reason", "transaction_id", "city")}
        reply = reading.read(turn, intent, entities, transcript(tracker.events))
        return reply if reply is not None else Reply(followup=QUESTION_ACTIONS.get(intent, "utter_default"))


# what the NLU calls a product question it could not place: "bhoora 43?" (nlu_fallback), "6.5 number
# ka joota" (a number: give_transaction_id), "pink?" (affirm); the catalog tells (knowledge/).
# A complaint is never taken for a question; praise only when no CSAT question is open ("oud attar hai?" read
# as csat_positive) and the words are no complaint.
MISREAD_INTENTS = ("nlu_fallback", "out_of_scope", "give_transaction_id", "affirm", "deny", "thank", "goodbye",
                   "change_address", "opt_in", "csat_positive")
# a few words the NLU only guesses are a complaint ("boys canvas sneaker": complain at 0.44) are a
# product question when they name a product and the feedback classifier finds no complaint in them
UNSURE_COMPLAINT = 0.5
UNSURE_COMPLAINT_WORDS = 4
# pending questions whose answer is any statement: their reading comes first
STATEMENT_ANSWERS = ("cancel_reason", "address", "csat")


def _a_product_question(turn: Turn, tracker: Tracker) -> bool:
    """A product question the NLU misread, with no transaction ID in it and no question
    pending that any statement answers."""
    parsed = tracker.latest_message.get("intent") or {}
    intent = parsed.get("name")  # nlu_fallback itself, not the runner-up
    unsure_complaint = intent == "complain" and parsed.get("confidence", 1.0) < UNSURE_COMPLAINT \
        and len(turn.text.split()) <= UNSURE_COMPLAINT_WORDS
    if intent not in MISREAD_INTENTS and not unsure_complaint:
        return False
    if extract_transaction_id(turn.text) or not about_a_product(tracker):
        return False
    if intent in ("csat_positive", "complain") and is_complaint(turn.text):
        return False
    pending = customers.pending(turn.session, turn.customer)
    return pending is None or pending.kind not in STATEMENT_ANSWERS


class ActionCatalogOrder(LifecycleAction):
    """An order placed from the WhatsApp catalogue (the channel puts it in the message metadata)."""

    def name(self) -> str:
        return "action_catalog_order"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        metadata = tracker.latest_message.get("metadata") or next(
            (e.get("metadata") or {} for e in reversed(tracker.events) if e.get("event") == "user"), {})
        return replies.catalog_order(turn, metadata.get("order"), metadata.get("wamid", ""))
