"""Cancellation: ask why, offer a change instead, cancel; and changing the order instead."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.lifecycle_turn import LifecycleAction, entity
from actions.products import about_a_product
from lifecycle.conversation import replies
from lifecycle.conversation.replies import Reply, Turn
from lifecycle.domain import orders


class ActionCancelOrder(LifecycleAction):
    def name(self) -> str:
        return "action_cancel_order"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        return replies.cancel_order(turn)


class ActionRecordCancelReason(LifecycleAction):
    def name(self) -> str:
        return "action_record_cancel_reason"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        reason = entity(tracker, "cancel_reason") or tracker.get_slot("cancel_reason")
        detail = tracker.get_slot("cancel_reason_detail")
        if not detail and _a_product_question_without_an_order(turn, tracker):  # "dinner set mojood hai?"
            return Reply(followup="action_answer_product")
        if detail:  # the form collected the words; the latest text is the form's last turn
            turn.text = detail
        reply = replies.record_cancel_reason(turn, reason, detail)
        reply.slots.update({"cancel_reason": None, "cancel_reason_detail": None})
        return reply


class ActionModifyOrder(LifecycleAction):
    def name(self) -> str:
        return "action_modify_order"

    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        if _a_product_question_without_an_order(turn, tracker):  # "formal oxford UK 12 brown hai?"
            return Reply(followup="action_answer_product")
        return replies.modify_order(turn, entity(tracker, "modification"))


def _a_product_question_without_an_order(turn: Turn, tracker: Tracker) -> bool:
    """An order intent (a reason, a change) from a customer with no order at all, about a
    product of the catalog: the NLU misread a product question."""
    return orders.latest(turn.session, turn.customer) is None and about_a_product(tracker)
