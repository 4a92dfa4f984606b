"""Win-back, counted from the delivery of each customer's last order: day 30 new arrivals in
the categories they bought (no discount), day 60 a personal line about their last product with
a 10 % code, day 90 a 15–20 % code with a 48 h deadline, then a quarterly broadcast. A new
order resets the sequence; nothing is sent while that order is on its way, after it was
cancelled or returned, while an escalation is open, or soon after a complaint.

``WinbackState.next_due_at`` (indexed) is the next threshold; the sweep reads only rows
at or past it, so its cost follows the customers crossing a threshold, not the customer
count. A new order's first check is 30 days after its placement (delivery is no earlier);
the sweep then counts from the delivery, or checks again daily while the order is open.
Messages are ordinary MARKETING touchpoints: opt-out, quiet hours and caps apply.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.db.engagement_models import WinbackState
from lifecycle.db.models import Order, Touchpoint
from lifecycle.domain import escalations, touchpoints
from lifecycle.domain.orders import FINISHED
from lifecycle.domain.statuses import OrderStatus, TouchpointKind, TouchpointState
from lifecycle.engine.handlers import Context, Plan, customer_name, send_with_code
from lifecycle.flows import catalog_picks

KIND = TouchpointKind.WINBACK
PRODUCTS = 3
SEPARATOR = " | "
WINBACK_60_VALID_DAYS = 7
IN_FLIGHT_RECHECK = timedelta(days=1)  # an order not yet delivered: look again the next day


def threshold(stage: int, settings: EngagementSettings) -> timedelta:
    """Time from the last delivery at which ``stage`` (1 = day 30, 2 = day 60, 3 = day 90, 4+ quarterly) falls due."""
    days = settings.winback_days
    if stage <= len(days):
        return timedelta(days=days[stage - 1])
    return timedelta(days=days[-1] + settings.winback_quarter_days * (stage - len(days)))


def stage_at(elapsed: timedelta, settings: EngagementSettings) -> int:
    """The highest stage whose threshold ``elapsed`` has reached (0 before day 30)."""
    stage = 0
    while threshold(stage + 1, settings) <= elapsed:
        stage += 1
    return stage


def on_order(session: Session, order: Order, now: datetime, settings: EngagementSettings) -> None:
    """A new order restarts the sequence (counted from its delivery) and drops win-back messages not yet sent."""
    state = session.get(WinbackState, order.customer_id)
    if state is not None and state.last_order_at > order.placed_at:
        return
    first_due = order.placed_at + threshold(1, settings)
    if state is None:
        session.add(
            WinbackState(
                customer_id=order.customer_id,
                last_order_at=order.placed_at,
                last_order_id=order.id,
                stage=0,
                next_due_at=first_due,
            )
        )
    else:
        state.last_order_at, state.last_order_id, state.stage, state.next_due_at = (
            order.placed_at,
            order.id,
            0,
            first_due,
        )
    session.execute(
        update(Touchpoint)
        .where(
            Touchpoint.customer_id == order.customer_id,
            Touchpoint.kind == KIND,
            Touchpoint.state == TouchpointState.SCHEDULED,
        )
        .values(state=TouchpointState.CANCELLED, result="new order", done_at=now)
    )


def sweep(session: Session, now: datetime, settings: EngagementSettings, limit: Optional[int] = None) -> int:
    """Schedule the win-back message of every customer whose next threshold has passed (one
    batch of ``limit``); returns how many customers it touched. Call until it returns 0."""
    query = (
        select(WinbackState.customer_id, WinbackState.last_order_id, Order.status, Order.updated_at)
        .join(Order, Order.id == WinbackState.last_order_id)
        .where(WinbackState.next_due_at <= now)
        .order_by(WinbackState.next_due_at)
        .limit(limit or settings.winback_batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=WinbackState, skip_locked=True)
    rows = session.execute(query).all()
    if not rows:
        return 0
    touchpoint_rows, state_rows = [], []
    for customer_id, last_order_id, status, changed_at in rows:
        if status != OrderStatus.DELIVERED:
            # on its way: look again tomorrow; cancelled or returned: nothing until a new order
            next_due = None if status in FINISHED else now + IN_FLIGHT_RECHECK
            state_rows.append({"customer_id": customer_id, "stage": 0, "next_due_at": next_due})
            continue
        delivered_at = changed_at  # a delivered order changes no more: its last change is the delivery
        stage = stage_at(now - delivered_at, settings)
        if stage > 0:
            touchpoint_rows.append(
                touchpoints.row(
                    KIND,
                    f"{KIND}:{customer_id}:{last_order_id}:{stage}",
                    now,
                    now,
                    customer_id=customer_id,
                    params={"stage": stage, "last_order_id": last_order_id},
                )
            )
        state_rows.append(
            {"customer_id": customer_id, "stage": stage, "next_due_at": delivered_at + threshold(stage + 1, settings)}
        )
    touchpoints.schedule_many(session, touchpoint_rows)
    session.execute(update(WinbackState), state_rows)
    return len(rows)


def message(ctx: Context) -> Plan:
    stage, last_order_id = ctx.touchpoint.params["stage"], ctx.touchpoint.params["last_order_id"]
    state = ctx.session.get(WinbackState, ctx.customer.id)
    if state is None or state.last_order_id != last_order_id:
        return Plan("skip", reason="the customer ordered again")
    if ctx.customer.opted_out_at is not None:
        return Plan("skip", reason="opted out")  # before a code is drawn for nobody
    last_order = ctx.session.get(Order, last_order_id)
    if last_order.status != OrderStatus.DELIVERED:
        return Plan("skip", reason=f"the last order is {last_order.status}, not a purchase to win back from")
    settings = ctx.settings.engagement
    unhappy = escalations.why_no_marketing(ctx.session, ctx.customer.id, ctx.now, settings.winback_complaint_quiet_days)
    if unhappy is not None:
        return Plan("skip", reason=unhappy)
    name = customer_name(ctx)
    if stage == 2:
        variables = {"name": name, "product": last_order.items[0]["name"], "days": WINBACK_60_VALID_DAYS}
        valid = timedelta(days=WINBACK_60_VALID_DAYS)
        return send_with_code(ctx, "winback_personal_code", variables, "winback_60", settings.winback_60_percent, valid)
    if stage == 3:
        hours = settings.winback_90_hours
        variables = {"name": name, "hours": f"{hours:g}"}
        return send_with_code(
            ctx, "winback_last_code", variables, "winback_90", settings.winback_90_percent, timedelta(hours=hours)
        )
    picks = catalog_picks.current()
    categories = picks.categories(last_order.items)
    products = picks.in_categories(categories, last_order.items, PRODUCTS)
    if len(products) < 2:
        return Plan("skip", reason="fewer than 2 catalog products in the customer's categories")
    listed = SEPARATOR.join(p.line() for p in products)
    if stage == 1:
        return Plan(
            "send", "winback_new_arrivals", {"name": name, "category": ", ".join(categories), "products": listed}
        )
    return Plan("send", "winback_quarterly", {"name": name, "products": listed})


HANDLERS = {TouchpointKind.WINBACK: message}
