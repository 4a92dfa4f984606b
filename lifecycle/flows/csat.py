"""CSAT after delivery: one question with two buttons, asked by the ``csat`` touchpoint that
lifecycle/domain/orders.py schedules on delivery (SAUDA_CSAT_AFTER_H). The answer is read in
the conversation (lifecycle/conversation/csat.py).
"""

from __future__ import annotations

from lifecycle.db.engagement_models import CsatResponse
from lifecycle.domain import escalations
from lifecycle.domain.statuses import OrderStatus, TouchpointKind
from lifecycle.engine.handlers import Context, Plan, order_variables


def ask(ctx: Context) -> Plan:
    if ctx.order.status != OrderStatus.DELIVERED:
        return Plan("skip", reason=f"order {ctx.order.ref} is {ctx.order.status}")
    if ctx.session.get(CsatResponse, ctx.order.id) is not None:
        return Plan("skip", reason="already answered")
    if escalations.active_for(ctx.session, ctx.customer) is not None:
        return Plan("skip", reason="a person is handling this customer")
    return Plan("send", "csat_question", order_variables(ctx), ask="csat")


HANDLERS = {TouchpointKind.CSAT: ask}
