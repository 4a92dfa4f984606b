"""Every dashboard number, each with one definition (shown on the page beside it).

Each ``Breakdown`` is one aggregate query (GROUP BY on the period's rows, filtered by a
range on a time column); the headline figures are sums of those few grouped rows. Cart
recovery and CSAT read the engagement tables (``CartRecovery``, ``CsatResponse``); a
win-back step is the win-back message sent, converted when the customer ordered within
``WINBACK_WINDOW_DAYS`` after it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Optional

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from lifecycle.analytics.period import Period
from lifecycle.analytics.sql import bucket, count_if, epoch, item_names
from lifecycle.engagement_models import CartRecovery, CsatResponse
from lifecycle.models import CANCEL_REASONS, Cancellation, Escalation, Order, OutboxMessage, Shipment, Touchpoint

CART_STAGES = (1, 2, 3)
WINBACK_MESSAGES = {"winback_new_arrivals": 30, "winback_personal_code": 60, "winback_last_code": 90}
WINBACK_WINDOW_DAYS = 30
CSAT_KIND = "csat"  # the touchpoint that asks the question (lifecycle/orders.py)
CSAT_ANSWERS = ("positive", "negative", "unclear", "no answer")
CONFIRMED_OR_LATER = ("confirmed", "dispatched", "out_for_delivery", "delivered", "returned")
DISPATCHED_OR_LATER = ("dispatched", "out_for_delivery", "delivered", "returned")
ERROR_CODES = {131047: "outside 24 h window", 131050: "opted out of marketing", 131026: "undeliverable"}
# cancelled without a customer's reason: by who cancelled
UNGIVEN = {"no_answer": "no answer", "merchant": "by merchant"}
NOT_GIVEN = "not given"
REASONS = (*CANCEL_REASONS, NOT_GIVEN, *UNGIVEN.values())
CANCELLATIONS = ("Cancellations = orders cancelled in the period, by the reason the customer gave; without "
                 "one: 'no answer' (auto-cancelled), 'by merchant', or 'not given'")


@dataclass(frozen=True)
class Metric:
    label: str
    definition: str
    kind: str = "count"  # count | percent | money


METRICS: dict[str, Metric] = {
    "orders": Metric("Orders", "Orders = orders placed in the period"),
    "order_value": Metric("Order value", "Order value = sum of the amounts of orders placed in the period", "money"),
    "cod_share": Metric("COD share", "COD share = cash-on-delivery orders ÷ orders placed in the period", "percent"),
    "cod_confirmed": Metric("COD confirmed", "COD confirmed = COD orders now confirmed or further along ÷ COD "
                            "orders placed in the period", "percent"),
    "cod_cancelled": Metric("COD cancelled", "COD cancelled = COD orders cancelled by the customer or merchant ÷ "
                            "COD orders placed in the period", "percent"),
    "cod_no_answer": Metric("COD no answer", "COD no answer = COD orders auto-cancelled or flagged for a call "
                            "after no reply ÷ COD orders placed in the period", "percent"),
    "cancellation_rate": Metric("Cancelled", "Cancelled = orders placed in the period now cancelled ÷ orders "
                                "placed in the period", "percent"),
    "rto_rate": Metric("RTO rate", "RTO rate = returned ÷ dispatched in the period (shipments booked in the "
                       "period that came back)", "percent"),
    "recovered_carts": Metric("Recovered carts", "Recovered carts = carts bought in the period after at least one "
                              "recovery message, credited to the stage that preceded the purchase"),
    "recovered_revenue": Metric("Recovered revenue", "Recovered revenue = amount of the orders from recovered "
                                "carts", "money"),
    "csat_positive": Metric("CSAT positive", "CSAT positive = positive ÷ (positive + negative) answers to CSAT "
                            "questions sent in the period", "percent"),
    "csat_response_rate": Metric("CSAT response rate", "CSAT response rate = answered ÷ CSAT questions sent in "
                                 "the period", "percent"),
    "escalations": Metric("Escalations", "Escalations = conversations handed to a person in the period"),
    "sla_compliance": Metric("SLA compliance", "SLA compliance = escalations opened in the period and not "
                             "breached ÷ escalations opened in the period", "percent"),
    "winback_conversion": Metric("Win-back conversion", f"Win-back conversion = win-back messages sent in the "
                                 f"period followed by an order within {WINBACK_WINDOW_DAYS} days ÷ win-back "
                                 f"messages sent", "percent"),
    "messages_sent": Metric("Messages sent", "Messages sent = messages created in the period that WhatsApp "
                            "accepted (given a message id)"),
    "delivery_rate": Metric("Delivered", "Delivered = messages delivered or read ÷ messages sent", "percent"),
    "read_rate": Metric("Read", "Read = messages read ÷ messages sent", "percent"),
    "messages_failed": Metric("Failed messages", "Failed messages = messages created in the period that "
                              "failed (error codes in the table)"),
}


@dataclass(frozen=True)
class Breakdown:
    """One grouped result: the table, the chart and the CSV download all show these rows."""

    key: str
    title: str
    definition: str
    columns: list[str]
    rows: list[tuple]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def total(self, name: str) -> Any:
        return sum(value or 0 for value in self.column(name))


def ratio(part: Optional[float], whole: Optional[float]) -> Optional[float]:
    """``part ÷ whole``, or None when there is nothing to divide by."""
    return None if not whole else float(part or 0) / float(whole)


# ---- orders -------------------------------------------------------------------------------------

def order_buckets(report: "Report") -> dict[int, dict[str, Any]]:
    """One pass over the period's orders, per day (or week): how many, their value, how far they
    got, and what became of the COD ones."""
    session, period = report.session, report.period
    cod = Order.payment_method == "cod"
    no_answer = (func.coalesce(Cancellation.source, "") == "no_answer") | Order.needs_call
    counts = {
        "placed": func.count(Order.id),
        "value": func.coalesce(func.sum(Order.amount), 0),
        "confirmed": count_if(Order.status.in_(CONFIRMED_OR_LATER)),
        "dispatched": count_if(Order.status.in_(DISPATCHED_OR_LATER)),
        "delivered": count_if(Order.status == "delivered"),
        "cancelled": count_if(Order.status == "cancelled"),
        "cod": count_if(cod),
        "cod confirmed": count_if(cod & Order.status.in_(CONFIRMED_OR_LATER)),
        "cod no answer": count_if(cod & ~Order.status.in_(CONFIRMED_OR_LATER) & no_answer),
        "cod cancelled": count_if(cod & (Order.status == "cancelled") & ~no_answer),
    }
    step = bucket(Order.placed_at, period.start, period.step)
    rows = session.execute(select(step, *counts.values()).outerjoin(Cancellation, Cancellation.order_id == Order.id)
                           .where(period.contains(Order.placed_at)).group_by(step)).all()
    return {index: dict(zip(counts, values)) for index, *values in rows}


def orders_by_bucket(report: "Report") -> Breakdown:
    """Orders, COD orders and order value per day (or week) of the period."""
    rows = [(index, n["placed"], n["cod"], n["value"]) for index, n in report.order_buckets.items()]
    return _per_bucket("orders_trend", "Orders over time", METRICS["orders"].definition,
                       ["orders", "cod_orders", "order_value"], report.period, rows)


def cod_outcomes(report: "Report") -> Breakdown:
    """COD orders placed in the period by what became of the confirmation question."""
    n = report.order_counts
    awaiting = n["cod"] - n["cod confirmed"] - n["cod cancelled"] - n["cod no answer"]
    return Breakdown("cod_outcomes", "COD confirmation", METRICS["cod_confirmed"].definition, ["outcome", "orders"],
                     [("confirmed", n["cod confirmed"]), ("cancelled", n["cod cancelled"]),
                      ("no answer", n["cod no answer"]), ("awaiting", awaiting)])


def order_funnel(report: "Report") -> Breakdown:
    """Orders placed in the period and how far they got (by their current status)."""
    n = report.order_counts
    steps = ("placed", "confirmed", "dispatched", "delivered")
    return Breakdown("order_funnel", "Order funnel", "Orders placed in the period by how far they got: confirmed "
                     "or later, dispatched or later, delivered", ["step", "orders"], [(k, n[k]) for k in steps])


def shipments_by_city_courier(report: "Report") -> list[tuple[str, str, int, int]]:
    """``(city, courier, dispatched, returned)`` for shipments booked in the period."""
    session, period = report.session, report.period
    return [tuple(row) for row in session.execute(
        select(Order.city, Shipment.courier, func.count(Shipment.id), count_if(Shipment.state == "returned"))
        .join(Order, Order.id == Shipment.order_id).where(period.contains(Shipment.booked_at))
        .group_by(Order.city, Shipment.courier)).all()]


def rto(report: "Report", by: str) -> Breakdown:
    """Shipments booked in the period, returned, and the RTO rate, per city or per courier."""
    totals: dict[str, list[int]] = {}
    for city, courier, sent, back in report.shipments:  # at most cities × couriers rows
        group = totals.setdefault(city if by == "city" else courier, [0, 0])
        group[0], group[1] = group[0] + sent, group[1] + back
    ordered = sorted(totals.items(), key=lambda item: (-item[1][0], item[0]))
    return Breakdown(f"rto_by_{by}", f"RTO by {by}", METRICS["rto_rate"].definition,
                     [by, "dispatched", "returned", "rto_rate"],
                     [(name, sent, back, ratio(back, sent)) for name, (sent, back) in ordered])


# ---- engagement ---------------------------------------------------------------------------------

def cart_recovery(report: "Report") -> Breakdown:
    """Per stage: carts whose recovery started in the period that reached it, and carts recovered
    in the period credited to it, with their revenue."""
    session, period = report.session, report.period
    sent = session.execute(select(*[count_if(CartRecovery.last_stage_sent >= n) for n in CART_STAGES])
                           .where(period.contains(CartRecovery.started_at))).one()
    recovered = {stage: (carts, revenue) for stage, carts, revenue in session.execute(
        select(CartRecovery.recovered_stage, func.count(CartRecovery.cart_id), func.sum(CartRecovery.recovered_revenue))
        .where(period.contains(CartRecovery.recovered_at)).group_by(CartRecovery.recovered_stage)).all()}
    return Breakdown("cart_recovery", "Cart recovery by stage", METRICS["recovered_carts"].definition
                     + "; messages sent = carts whose recovery started in the period and reached the stage",
                     ["stage", "messages_sent", "recovered_carts", "recovered_revenue"],
                     [(f"stage {n}", sent[n - 1], *recovered.get(n, (0, 0))) for n in CART_STAGES])


def csat(report: "Report") -> Breakdown:
    """CSAT questions sent in the period by the answer they got."""
    session, period = report.session, report.period
    answer = func.coalesce(CsatResponse.answer, "no answer")
    counts = dict(session.execute(
        select(answer, func.count(Touchpoint.id)).outerjoin(CsatResponse, CsatResponse.order_id == Touchpoint.order_id)
        .where(Touchpoint.kind == CSAT_KIND, Touchpoint.state == "done", period.contains(Touchpoint.done_at))
        .group_by(answer)).all())
    return Breakdown("csat", "CSAT answers", METRICS["csat_response_rate"].definition, ["answer", "questions"],
                     [(name, counts.get(name, 0)) for name in CSAT_ANSWERS])


def winback(report: "Report") -> Breakdown:
    """Per win-back step: messages sent in the period and how many were followed by an order."""
    session, period = report.session, report.period
    step = case(*[(OutboxMessage.template == name, days) for name, days in WINBACK_MESSAGES.items()])
    ordered = exists().where(
        Order.customer_id == OutboxMessage.customer_id, Order.placed_at > OutboxMessage.created_at,
        epoch(Order.placed_at) - epoch(OutboxMessage.created_at) <= WINBACK_WINDOW_DAYS * 86400)
    counts = {days: (sent, won) for days, sent, won in session.execute(
        select(step, func.count(OutboxMessage.id), count_if(ordered))
        .where(OutboxMessage.template.in_(list(WINBACK_MESSAGES)), OutboxMessage.wamid.is_not(None),
               period.contains(OutboxMessage.created_at)).group_by(step)).all()}
    rows = [(f"day {days}", sent, won, ratio(won, sent))
            for days in sorted(WINBACK_MESSAGES.values()) for sent, won in [counts.get(days, (0, 0))]]
    return Breakdown("winback", "Win-back by step", METRICS["winback_conversion"].definition,
                     ["step", "sent", "converted", "conversion"], rows)


def escalations(report: "Report") -> Breakdown:
    """Escalations opened in the period per reason: breached, resolved, SLA compliance."""
    session, period = report.session, report.period
    rows = session.execute(
        select(Escalation.reason, func.count(Escalation.id), count_if(Escalation.breached_at.is_not(None)),
               count_if(Escalation.status == "resolved"))
        .where(period.contains(Escalation.created_at)).group_by(Escalation.reason)
        .order_by(func.count(Escalation.id).desc(), Escalation.reason)).all()
    return Breakdown("escalations", "Escalations and SLA", METRICS["sla_compliance"].definition,
                     ["reason", "opened", "breached", "resolved", "sla_compliance"],
                     [(reason, opened, breached, resolved, ratio(opened - breached, opened))
                      for reason, opened, breached, resolved in rows])


def messages(report: "Report") -> Breakdown:
    """Messages created in the period per touchpoint: sent, delivered, read, failed by error code."""
    session, period = report.session, report.period
    kind = func.coalesce(Touchpoint.kind, OutboxMessage.template)
    failed = OutboxMessage.status == "failed"
    per_code = [count_if(failed & (OutboxMessage.error_code == code)) for code in ERROR_CODES]
    other = count_if(failed & (OutboxMessage.error_code.is_(None) | OutboxMessage.error_code.not_in(list(ERROR_CODES))))
    rows = session.execute(
        select(kind, count_if(OutboxMessage.wamid.is_not(None)),
               count_if(OutboxMessage.status.in_(("delivered", "read"))), count_if(OutboxMessage.status == "read"),
               count_if(failed), *per_code, other)
        .select_from(OutboxMessage).outerjoin(Touchpoint, Touchpoint.id == OutboxMessage.touchpoint_id)
        .where(period.contains(OutboxMessage.created_at)).group_by(kind).order_by(kind)).all()
    return Breakdown("messages", "Messages per touchpoint", "Sent = accepted by WhatsApp; delivered includes read "
                     "(WhatsApp may skip 'delivered'); failures by error code: "
                     + ", ".join(f"{code} {what}" for code, what in ERROR_CODES.items()),
                     ["touchpoint", "sent", "delivered", "read", "failed",
                      *[f"failed_{code}" for code in ERROR_CODES], "failed_other"], [tuple(r) for r in rows])


# ---- cancellations ------------------------------------------------------------------------------

def _reason():
    return func.coalesce(Cancellation.reason, case(*[(Cancellation.source == source, label)
                                                     for source, label in UNGIVEN.items()], else_=NOT_GIVEN))


def _reason_counts() -> list:
    reason = _reason()
    return [count_if(reason == name) for name in REASONS]


def _by_reason(key: str, title: str, first: str, rows) -> Breakdown:
    return Breakdown(key, title, CANCELLATIONS, [first, *REASONS, "total"],
                     [(name, *counts, sum(counts)) for name, *counts in rows])


def reason_totals(report: "Report") -> Breakdown:
    """Cancellations in the period per reason."""
    session, period = report.session, report.period
    reason = _reason()
    counts = dict(session.execute(select(reason, func.count(Cancellation.id))
                                  .where(period.contains(Cancellation.created_at)).group_by(reason)).all())
    return Breakdown("cancellation_reasons", "Cancellation reasons", CANCELLATIONS, ["reason", "cancellations"],
                     [(name, counts.get(name, 0)) for name in REASONS])


def cancellation_reasons(report: "Report", by: str) -> Breakdown:
    """Cancellations in the period per reason, split by city, payment method or product."""
    session, period = report.session, report.period
    if by == "product":
        joined, group = item_names(session)
        query = select(group, *_reason_counts()).select_from(joined).join(Cancellation,
                                                                          Cancellation.order_id == Order.id)
    else:
        group = {"city": Order.city, "payment_method": Order.payment_method}[by]
        query = select(group, *_reason_counts()).join(Order, Order.id == Cancellation.order_id)
    rows = session.execute(query.where(period.contains(Cancellation.created_at)).group_by(group)
                           .order_by(func.count(Cancellation.id).desc(), group)).all()
    return _by_reason(f"cancellations_by_{by}", f"Cancellation reasons by {by.replace('_', ' ')}", by, rows)


def cancellations_over_time(report: "Report") -> Breakdown:
    """Cancellations per day (or week) of the period, per reason."""
    session, period = report.session, report.period
    step = bucket(Cancellation.created_at, period.start, period.step)
    rows = session.execute(select(step, *_reason_counts()).where(period.contains(Cancellation.created_at))
                           .group_by(step)).all()
    trend = _per_bucket("cancellations_trend", "Cancellation reasons over time", "", list(REASONS), period, rows)
    return _by_reason(trend.key, trend.title, "from", trend.rows)


def _per_bucket(key: str, title: str, definition: str, columns: list[str], period: Period, rows) -> Breakdown:
    """One row per bucket of the period (empty buckets as zeros), labelled by its first day."""
    found = {index: values for index, *values in rows}
    zeros = [0] * len(columns)
    return Breakdown(key, title, definition, ["from", *columns],
                     [(label, *found.get(n, zeros)) for n, label in enumerate(period.bucket_labels())])


# ---- the headline figures -----------------------------------------------------------------------

# Every breakdown by its key (the pages, the CSV download and the headline look them up here).
BREAKDOWNS: dict[str, Callable[["Report"], Breakdown]] = {
    "orders_trend": orders_by_bucket,
    "cod_outcomes": cod_outcomes,
    "order_funnel": order_funnel,
    "rto_by_city": lambda r: rto(r, "city"),
    "rto_by_courier": lambda r: rto(r, "courier"),
    "cart_recovery": cart_recovery,
    "csat": csat,
    "winback": winback,
    "escalations": escalations,
    "messages": messages,
    "cancellation_reasons": reason_totals,
    "cancellations_trend": cancellations_over_time,
    "cancellations_by_product": lambda r: cancellation_reasons(r, "product"),
    "cancellations_by_city": lambda r: cancellation_reasons(r, "city"),
    "cancellations_by_payment_method": lambda r: cancellation_reasons(r, "payment_method"),
}


class Report:
    """One period's numbers, each breakdown queried at most once (a page and its headline share them)."""

    def __init__(self, session: Session, period: Period) -> None:
        self.session, self.period = session, period
        self._done: dict[str, Breakdown] = {}

    def __getitem__(self, key: str) -> Breakdown:
        if key not in self._done:
            self._done[key] = BREAKDOWNS[key](self)
        return self._done[key]

    @cached_property
    def order_buckets(self) -> dict[int, dict[str, Any]]:
        return order_buckets(self)

    @cached_property
    def order_counts(self) -> dict[str, Any]:
        """The period's totals of ``order_buckets``."""
        return {name: sum(n[name] for n in self.order_buckets.values())
                for name in next(iter(self.order_buckets.values()), {})} or defaultdict(int)

    @cached_property
    def shipments(self) -> list[tuple[str, str, int, int]]:
        return shipments_by_city_courier(self)

    @cached_property
    def previous(self) -> "Report":
        return Report(self.session, self.period.previous())

    def headline(self) -> dict[str, Optional[float]]:
        """Every figure in ``METRICS``."""
        n = self.order_counts
        shipped, recovery, escalated, won, sent = (self[k] for k in ("rto_by_courier", "cart_recovery",
                                                                     "escalations", "winback", "messages"))
        answers = dict(self["csat"].rows)
        clear = answers["positive"] + answers["negative"]
        return {
            "orders": n["placed"], "order_value": float(n["value"]),
            "cod_share": ratio(n["cod"], n["placed"]), "cod_confirmed": ratio(n["cod confirmed"], n["cod"]),
            "cod_cancelled": ratio(n["cod cancelled"], n["cod"]), "cod_no_answer": ratio(n["cod no answer"], n["cod"]),
            "cancellation_rate": ratio(n["cancelled"], n["placed"]),
            "rto_rate": ratio(shipped.total("returned"), shipped.total("dispatched")),
            "recovered_carts": recovery.total("recovered_carts"),
            "recovered_revenue": float(recovery.total("recovered_revenue")),
            "csat_positive": ratio(answers["positive"], clear),
            "csat_response_rate": ratio(clear + answers["unclear"], sum(answers.values())),
            "escalations": escalated.total("opened"),
            "sla_compliance": ratio(escalated.total("opened") - escalated.total("breached"),
                                    escalated.total("opened")),
            "winback_conversion": ratio(won.total("converted"), won.total("sent")),
            "messages_sent": sent.total("sent"), "delivery_rate": ratio(sent.total("delivered"), sent.total("sent")),
            "read_rate": ratio(sent.total("read"), sent.total("sent")), "messages_failed": sent.total("failed"),
        }

    def compare(self) -> list[tuple[str, Metric, Optional[float], Optional[float]]]:
        """``(key, metric, this period, previous period)`` for every headline figure."""
        now, before = self.headline(), self.previous.headline()
        return [(key, metric, now[key], before[key]) for key, metric in METRICS.items()]
