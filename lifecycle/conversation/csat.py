"""The customer's answer to the CSAT question (lifecycle/flows/csat.py asks it): classified, a
negative one escalated to a person (the bot pauses), a positive one thanked with the store's
review links and, when the catalog has them, one or two related products.
"""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import select

from lifecycle.conversation.replies import Reply, Turn, pending_resolver
from lifecycle.db.engagement_models import CsatResponse
from lifecycle.db.models import Customer, Order, PendingQuestion
from lifecycle.domain import customers, escalations
from lifecycle.domain.statuses import OrderStatus
from lifecycle.flows import catalog_picks
from lifecycle.flows.sentiment import classify

RELATED_PRODUCTS = 2


def _order(turn: Turn, customer: Customer, pending: Optional[PendingQuestion]) -> Optional[Order]:
    """The order asked about: the button's order id, the pending question, else the newest delivered."""
    if turn.order_ref:
        order = turn.session.scalar(select(Order).where(Order.ref == turn.order_ref))
        if order is not None and order.customer_id == customer.id:
            return order
    if pending is not None and pending.kind == "csat" and pending.order_id:
        return turn.session.get(Order, pending.order_id)
    return turn.session.scalar(
        select(Order)
        .where(Order.customer_id == customer.id, Order.status == OrderStatus.DELIVERED)
        .order_by(Order.updated_at.desc(), Order.id.desc())
        .limit(1)
    )


# what the NLU's intent says about an answer the classifier could not place, after the follow-up
_NEGATIVE_INTENTS = ("csat_negative", "complain", "abuse", "deny")
_POSITIVE_INTENTS = ("csat_positive", "thank", "affirm")


def reply(turn: Turn, intent: str, conversation: list[dict[str, Any]]) -> Reply:
    """A button tap or typed answer. Typed text is read by the trained classifier
    (lifecycle/flows/sentiment.py); an unclear one is kept and asked about once more. An answer
    still unclear after that goes by the NLU's intent when it is an opinion, else to a person."""
    customer = turn.customer
    pending = customers.pending(turn.session, customer)
    order = _order(turn, customer, pending)
    typed = bool(turn.text) and not turn.text.startswith("/")
    if not typed:
        return record(turn, customer, order, "negative" if intent == "csat_negative" else "positive", conversation)
    answer = classify(turn.text)
    if answer is None and order is None:  # nothing delivered to ask about ("Order - ke saath...")
        return Reply().add("utter_default")
    if answer is None:
        if not (pending is not None and pending.kind == "csat" and pending.data.get("followed_up")):
            _keep(turn, customer, order, "unclear")
            return _follow_up(turn, customer, order)
        answer = "negative" if intent in _NEGATIVE_INTENTS else "positive" if intent in _POSITIVE_INTENTS else "unclear"
    return record(turn, customer, order, answer, conversation)


def _keep(turn: Turn, customer: Customer, order: Optional[Order], answer: str) -> None:
    """The answer (and the words) against its order; the last answer counts."""
    if order is None:
        return
    typed = turn.text if turn.text and not turn.text.startswith("/") else None
    response = turn.session.get(CsatResponse, order.id)
    if response is None:
        turn.session.add(
            CsatResponse(order_id=order.id, customer_id=customer.id, answer=answer, text=typed, at=turn.now)
        )
    else:
        response.answer, response.text, response.at = answer, typed, turn.now


def record(
    turn: Turn, customer: Customer, order: Optional[Order], answer: str, conversation: list[dict[str, Any]]
) -> Reply:
    """Keep the answer; negative (or still unclear) → an escalation, and the customer told a
    person will reply; positive → thanks and the review links."""
    _keep(turn, customer, order, answer)
    customers.answered(turn.session, customer, "csat")
    reply = Reply(slots={"order_id": order.ref} if order is not None else {})
    if answer != "positive":
        typed = turn.text if turn.text and not turn.text.startswith("/") else None
        escalations.open_escalation(
            turn.session,
            customer,
            f"csat_{answer}",
            turn.now,
            turn.settings.engagement,
            order=order,
            note=typed,
            conversation=conversation,
        )
        return reply.add("utter_csat_sorry")
    return thank(turn, reply, order)


def thank(turn: Turn, reply: Reply, order: Optional[Order]) -> Reply:
    reply.add("utter_csat_thanks")
    picks = catalog_picks.current()
    links = picks.review_links()
    if links:
        reply.add(text=turn.compose("csat_review_links", links="\n".join(links)))
    if order is not None:
        related = picks.in_categories(picks.categories(order.items), order.items, RELATED_PRODUCTS)
        if related:
            reply.add(text=turn.compose("csat_related_products", products="\n".join(p.line() for p in related)))
    return reply


def _follow_up(turn: Turn, customer: Customer, order: Optional[Order]) -> Reply:
    customers.ask(turn.session, customer, "csat", order.id if order else None, turn.now, data={"followed_up": True})
    variables = {"order_ref": order.ref if order else "-"}
    return Reply().add(
        text=turn.compose("csat_follow_up", **variables),
        buttons=turn.templates.buttons("csat_follow_up", turn.language, variables),
    )


@pending_resolver("csat")
def _resolve_csat(turn: Turn, customer: Customer, pending: PendingQuestion, affirm: bool) -> Reply:
    """ "haan" after "was everything fine?" is positive, "nahi" negative."""
    order = turn.session.get(Order, pending.order_id) if pending.order_id else None
    return record(turn, customer, order, "positive" if affirm else "negative", [])
