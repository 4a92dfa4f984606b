"""CSAT after delivery: one question with two buttons, the answer classified, a negative one
escalated to a person (the bot pauses), a positive one thanked with the store's review
links and, when the catalog has them, one or two related products.

The ``csat`` touchpoint is scheduled by lifecycle/orders.py on delivery (SAUDA_CSAT_AFTER_H).
"""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import select

from lifecycle.flows import catalog_picks
from lifecycle.domain import customers, escalations
from lifecycle.config import engagement_settings
from lifecycle.db.engagement_models import CsatResponse
from lifecycle.engine.handlers import Context, Plan, order_variables
from lifecycle.domain.statuses import OrderStatus, TouchpointKind
from lifecycle.db.models import Customer, Order, PendingQuestion
from lifecycle.conversation.replies import Reply, Turn, pending_resolver
from lifecycle.flows.sentiment import classify

RELATED_PRODUCTS = 2


def ask(ctx: Context) -> Plan:
    if ctx.order.status != OrderStatus.DELIVERED:
        return Plan("skip", reason=f"order {ctx.order.ref} is {ctx.order.status}")
    if ctx.session.get(CsatResponse, ctx.order.id) is not None:
        return Plan("skip", reason="already answered")
    if escalations.active_for(ctx.session, ctx.customer) is not None:
        return Plan("skip", reason="a person is handling this customer")
    return Plan("send", "csat_question", order_variables(ctx), ask="csat")


def _order(turn: Turn, customer: Customer, pending: Optional[PendingQuestion]) -> Optional[Order]:
    """The order asked about: the button's order id, the pending question, else the newest delivered."""
    if turn.order_ref:
        order = turn.session.scalar(select(Order).where(Order.ref == turn.order_ref))
        if order is not None and order.customer_id == customer.id:
            return order
    if pending is not None and pending.kind == "csat" and pending.order_id:
        return turn.session.get(Order, pending.order_id)
    return turn.session.scalar(select(Order).where(Order.customer_id == customer.id, Order.status == OrderStatus.DELIVERED)
                               .order_by(Order.updated_at.desc(), Order.id.desc()).limit(1))


def reply(turn: Turn, intent: str, conversation: list[dict[str, Any]]) -> Reply:
    """A button tap or typed answer. Typed text is classified; an unclear one is asked once more,
    after which the NLU's reading (``intent``) is taken."""
    customer = turn.customer
    pending = customers.pending(turn.session, customer)
    order = _order(turn, customer, pending)
    typed = bool(turn.text) and not turn.text.startswith("/")
    answer = classify(turn.text) if typed else None
    if typed and answer is None:
        if not (pending is not None and pending.kind == "csat" and pending.data.get("followed_up")):
            return _follow_up(turn, customer, order)
    answer = answer or ("negative" if intent == "csat_negative" else "positive")
    return record(turn, customer, order, answer, conversation)


def record(turn: Turn, customer: Customer, order: Optional[Order], answer: str,
           conversation: list[dict[str, Any]]) -> Reply:
    """Keep the answer; negative → escalation and the customer told a person will reply."""
    typed = turn.text if turn.text and not turn.text.startswith("/") else None
    if order is not None:
        response = turn.session.get(CsatResponse, order.id)
        if response is None:
            turn.session.add(CsatResponse(order_id=order.id, customer_id=customer.id, answer=answer, text=typed,
                                          at=turn.now))
        else:
            response.answer, response.text, response.at = answer, typed, turn.now
    customers.answered(turn.session, customer, "csat")
    reply = Reply(slots={"order_id": order.ref} if order is not None else {})
    if answer == "negative":
        escalations.open_escalation(turn.session, customer, "csat_negative", turn.now, engagement_settings.current(),
                                    order=order, note=typed, conversation=conversation)
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
    return Reply().add(text=turn.compose("csat_follow_up", **variables),
                       buttons=turn.templates.buttons("csat_follow_up", turn.language, variables))


@pending_resolver("csat")
def _resolve_csat(turn: Turn, customer: Customer, pending: PendingQuestion, affirm: bool) -> Reply:
    """"haan" after "was everything fine?" is positive, "nahi" negative."""
    order = turn.session.get(Order, pending.order_id) if pending.order_id else None
    return record(turn, customer, order, "positive" if affirm else "negative", [])


HANDLERS = {TouchpointKind.CSAT: ask}
