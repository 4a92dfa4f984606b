"""What a customer's message means after Sauda asked something: the pending question first,
the NLU's general intent only after that.

A reply to "confirm order SD-1001?" ("ok g", "theek hai"), to the cancellation-reason question
(a bare reason, whatever intent the NLU gives it), to the transaction-ID request (a bare
number), to the CSAT question (a whole typed review) or to "which address?" is read against
that question (``customers.pending``), so it is recorded where it belongs. A message that is
not an answer gets its usual handling and the question stays open. Questions ("delivery kab
hogi?", product and order questions) never come here: their rules answer them and leave
the pending question as it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from lifecycle.conversation import csat, replies
from lifecycle.conversation.handoff import handoff
from lifecycle.conversation.replies import Reply, Turn
from lifecycle.db.models import Customer, PendingQuestion
from lifecycle.domain import customers
from lifecycle.domain.addresses import looks_like_address
from lifecycle.domain.payments import extract_transaction_id
from lifecycle.domain.statuses import DeliveryChoice
from lifecycle.flows.sentiment import classify, is_complaint

# The intents the dialogue sends here (data/stories): short answers and statements that can
# be an answer to a question Sauda asked.
ANSWER_INTENTS = ("affirm", "deny", "thank", "goodbye", "csat_positive", "csat_negative", "complain",
                  "give_transaction_id", "change_address", "opt_in", "out_of_scope", "nlu_fallback")
# what a reason can be: a statement, not a yes / no, a thanks or a goodbye
_REASON_INTENTS = ("complain", "csat_negative", "csat_positive", "out_of_scope", "nlu_fallback", "change_address",
                   "opt_in", "give_transaction_id")
_SHORT_ANSWERS = ("affirm", "deny")


def _typed(turn: Turn) -> bool:
    return bool(turn.text) and not turn.text.startswith("/")


@dataclass(frozen=True)
class Asked:
    """A message read against the question pending for its customer."""

    turn: Turn
    customer: Customer
    pending: PendingQuestion
    intent: str
    entities: dict[str, Any]
    conversation: list[dict[str, Any]]

    def resolve(self, affirm: bool) -> Reply:
        """The pending question answered yes (``affirm``) or no."""
        return replies.PENDING_RESOLVERS[self.pending.kind](self.turn, self.customer, self.pending, affirm)


Reader = Callable[[Asked], Optional[Reply]]
_READERS: dict[str, Reader] = {}


def _reads(kind: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        _READERS[kind] = fn
        return fn
    return register


@_reads("confirm_order")
@_reads("modify_offer")
def _yes_or_no(asked: Asked) -> Optional[Reply]:
    """"ok g", "theek hai shukriya" confirm (or accept the change); "nahi" declines."""
    if asked.intent in _SHORT_ANSWERS or (asked.intent == "thank" and _typed(asked.turn)):
        return asked.resolve(asked.intent != "deny")
    return None


@_reads("cancel_reason")
def _reason(asked: Asked) -> Optional[Reply]:
    """Any statement is the reason: "size chota tha" is no complaint here but why they cancel."""
    if asked.intent in _SHORT_ANSWERS:
        return asked.resolve(asked.intent == "affirm")
    if asked.intent in _REASON_INTENTS and (_typed(asked.turn) or asked.entities.get("cancel_reason")):
        return replies.record_cancel_reason(asked.turn, asked.entities.get("cancel_reason"), None)
    return None


@_reads("transaction_id")
def _transaction_id(asked: Asked) -> Optional[Reply]:
    """A digit run of a transaction ID's shape is the ID, whatever the intent."""
    if extract_transaction_id(asked.turn.text) or extract_transaction_id(asked.entities.get("transaction_id") or ""):
        return replies.capture_transaction_id(asked.turn, asked.entities.get("transaction_id"))
    if asked.intent in _SHORT_ANSWERS:
        return asked.resolve(asked.intent == "affirm")
    return None


@_reads("address")
def _address(asked: Asked) -> Optional[Reply]:
    """After "which address?", a typed statement is the address."""
    if asked.intent in _SHORT_ANSWERS + ("thank", "goodbye") or not _typed(asked.turn):
        return None
    return replies.update_address(asked.turn, asked.entities.get("city"), None)


@_reads("delivery_failed")
def _failed_delivery(asked: Asked) -> Optional[Reply]:
    """After a failed delivery: the buttons' intents, "haan" / "nahi", and the new address or time
    in the customer's words once asked for them."""
    if asked.intent in _SHORT_ANSWERS:
        return asked.resolve(asked.intent == "affirm")
    words = asked.turn.text.strip() if _typed(asked.turn) else ""
    detail_asked = bool(asked.pending.data.get("detail"))
    if asked.intent == "change_address" or (detail_asked and words and asked.intent in _REASON_INTENTS):
        # "address badalna hai" asks for the details; a new address, or anything once asked, is them
        detail = words if detail_asked or looks_like_address(words, asked.entities.get("city")) else None
        return replies.failed_delivery_choice(
            asked.turn, asked.customer, asked.pending, DeliveryChoice.RESCHEDULE, detail
        )
    return None


@_reads("csat")
def _csat(asked: Asked) -> Optional[Reply]:
    """A tap, a yes / no or a typed review: all answer "how was your order?". A message the
    classifier reads no opinion in is no answer when it is a question, an ID or an address."""
    if asked.intent in _SHORT_ANSWERS and _typed(asked.turn) and classify(asked.turn.text) is None:
        return asked.resolve(asked.intent == "affirm")
    # an insult after "how was your order?" is feedback too: the classifier reads it ("dekhti hoon",
    # which the NLU took for abuse, gets the follow-up; real abuse reads as a complaint)
    answers = (*ANSWER_INTENTS, "abuse")
    if (asked.intent not in answers or asked.intent in ("give_transaction_id", "change_address")) and (
            classify(asked.turn.text) is None):
        return None
    return csat.reply(asked.turn, asked.intent, asked.conversation)


def _general(turn: Turn, intent: str, entities: dict[str, Any], conversation: list[dict[str, Any]]) -> Reply:
    """The message's meaning when no question is pending (or it was not the answer)."""
    if intent in _SHORT_ANSWERS:
        return replies.resolve_pending(turn, intent == "affirm")
    if intent in ("csat_positive", "csat_negative"):
        return csat.reply(turn, intent, conversation)
    if intent == "complain":
        return handoff(turn, intent, conversation)
    if intent == "give_transaction_id":
        return replies.capture_transaction_id(turn, entities.get("transaction_id"))
    if intent == "change_address":
        return replies.update_address(turn, entities.get("city"), None)
    if intent == "opt_in":
        return replies.set_marketing(turn, opted_out=False)
    if intent in ("nlu_fallback", "out_of_scope") and _typed(turn) and is_complaint(turn.text):
        return handoff(turn, "complain", conversation)  # a complaint the NLU did not place still reaches a person
    return Reply().add({"thank": "utter_thank", "goodbye": "utter_goodbye",
                        "out_of_scope": "utter_out_of_scope"}.get(intent, "utter_default"))


def read(turn: Turn, intent: str, entities: dict[str, Any], conversation: list[dict[str, Any]]) -> Optional[Reply]:
    """The reply to one message: the pending question's reading when it is an answer to it,
    else the intent's own for ``ANSWER_INTENTS``, else None (a question asked while the CSAT
    question is open: the intent's own action answers it and the question stays open). The
    reply carries the question now pending in the ``pending_question`` slot."""
    customer = turn.customer
    pending = customers.pending(turn.session, customer)
    reply = None
    if pending is not None and pending.kind in _READERS:
        reply = _READERS[pending.kind](Asked(turn, customer, pending, intent, entities, conversation))
    if reply is None:
        if intent not in ANSWER_INTENTS:
            return None
        reply = _general(turn, intent, entities, conversation)
    still = customers.pending(turn.session, customer)
    reply.slots["pending_question"] = still.kind if still is not None else None
    return reply
