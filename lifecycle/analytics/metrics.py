"""Every dashboard number, each with one definition (shown on the page beside it).

What is counted per day is defined once in facts.py; here those daily rows are added up
over the period (from the daily summary for closed days, live for the rest: summary.py)
into each breakdown, and the headline rates are computed from the totals. A win-back step
is the win-back message sent, converted when the customer ordered within
``WINBACK_WINDOW_DAYS`` after it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, Callable, Hashable, Iterable, Optional, Sequence, TypeVar

from sqlalchemy.orm import Session

from lifecycle.analytics import summary
from lifecycle.analytics.facts import (
    CART_STAGES,
    ERROR_CODES,
    FACTS,
    NOT_GIVEN,
    UNGIVEN,
    WINBACK_MESSAGES,
    WINBACK_WINDOW_DAYS,
    Fact,
    FactRow,
)
from lifecycle.analytics.period import DAY, Period
from lifecycle.db.models import CANCEL_REASONS

CSAT_ANSWERS = ("positive", "negative", "unclear", "no answer")
REASONS = (*CANCEL_REASONS, NOT_GIVEN, *UNGIVEN.values())
CANCELLATIONS = (
    "Cancellations = orders cancelled in the period, by the reason the customer gave; without "
    "one: 'no answer' (auto-cancelled), 'by merchant', or 'not given'"
)


@dataclass(frozen=True)
class Metric:
    label: str
    definition: str
    kind: str = "count"  # count | percent | money


METRICS: dict[str, Metric] = {
    "orders": Metric("Orders", "Orders = orders placed in the period"),
    "order_value": Metric("Order value", "Order value = sum of the amounts of orders placed in the period", "money"),
    "cod_share": Metric("COD share", "COD share = cash-on-delivery orders ÷ orders placed in the period", "percent"),
    "cod_confirmed": Metric(
        "COD confirmed",
        "COD confirmed = COD orders now confirmed or further along ÷ COD orders placed in the period",
        "percent",
    ),
    "cod_cancelled": Metric(
        "COD cancelled",
        "COD cancelled = COD orders cancelled by the customer or merchant ÷ COD orders placed in the period",
        "percent",
    ),
    "cod_no_answer": Metric(
        "COD no answer",
        "COD no answer = COD orders auto-cancelled or flagged for a call "
        "after no reply ÷ COD orders placed in the period",
        "percent",
    ),
    "cancellation_rate": Metric(
        "Cancelled", "Cancelled = orders placed in the period now cancelled ÷ orders placed in the period", "percent"
    ),
    "rto_rate": Metric(
        "RTO rate",
        "RTO rate = returned ÷ dispatched in the period (shipments booked in the period that came back)",
        "percent",
    ),
    "recovered_carts": Metric(
        "Recovered carts",
        "Recovered carts = carts bought in the period after at least one "
        "recovery message, credited to the stage that preceded the purchase",
    ),
    "recovered_revenue": Metric(
        "Recovered revenue", "Recovered revenue = amount of the orders from recovered carts", "money"
    ),
    "csat_positive": Metric(
        "CSAT positive",
        "CSAT positive = positive ÷ (positive + negative) answers to CSAT questions sent in the period",
        "percent",
    ),
    "csat_response_rate": Metric(
        "CSAT response rate", "CSAT response rate = answered ÷ CSAT questions sent in the period", "percent"
    ),
    "escalations": Metric("Escalations", "Escalations = conversations handed to a person in the period"),
    "sla_compliance": Metric(
        "SLA compliance",
        "SLA compliance = escalations opened in the period and not breached ÷ escalations opened in the period",
        "percent",
    ),
    "winback_conversion": Metric(
        "Win-back conversion",
        f"Win-back conversion = win-back messages sent in the "
        f"period followed by an order within {WINBACK_WINDOW_DAYS} days ÷ win-back "
        f"messages sent",
        "percent",
    ),
    "messages_sent": Metric(
        "Messages sent", "Messages sent = messages created in the period that WhatsApp accepted (given a message id)"
    ),
    "delivery_rate": Metric("Delivered", "Delivered = messages delivered or read ÷ messages sent", "percent"),
    "read_rate": Metric("Read", "Read = messages read ÷ messages sent", "percent"),
    "messages_failed": Metric(
        "Failed messages", "Failed messages = messages created in the period that failed (error codes in the table)"
    ),
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


G = TypeVar("G", bound=Hashable)  # what a fact's rows are grouped by


def totals(rows: list[FactRow], by: Callable[[date, tuple[Any, ...]], G]) -> dict[G, list[Any]]:
    """Values of the fact's rows added up per ``by(day, keys)``."""
    out: dict[G, list[Any]] = {}
    for day, keys, values in rows:
        group = by(day, keys)
        found = out.get(group)
        out[group] = list(values) if found is None else [a + b for a, b in zip(found, values)]
    return out


def _keys(_day: date, keys: tuple[Any, ...]) -> tuple[Any, ...]:
    return keys


def _first_key(_day: date, keys: tuple[Any, ...]) -> Any:
    return keys[0]


def _everything(_day: date, _keys: tuple[Any, ...]) -> None:
    return None


def _busiest_first(counts: dict[Hashable, int]) -> list:
    """Groups by their count, largest first, then by name (a missing name last)."""
    return sorted(counts, key=lambda group: (-counts[group], group is None, group if group is not None else ""))


# ---- orders -------------------------------------------------------------------------------------


def orders_by_bucket(report: "Report") -> Breakdown:
    """Orders, COD orders and order value per day (or week) of the period."""
    rows = [(index, n["placed"], n["cod"], n["value"]) for index, n in report.order_buckets.items()]
    return _per_bucket(
        "orders_trend",
        "Orders over time",
        METRICS["orders"].definition,
        ["orders", "cod_orders", "order_value"],
        report.period,
        rows,
    )


def cod_outcomes(report: "Report") -> Breakdown:
    """COD orders placed in the period by what became of the confirmation question."""
    n = report.order_counts
    awaiting = n["cod"] - n["cod confirmed"] - n["cod cancelled"] - n["cod no answer"]
    return Breakdown(
        "cod_outcomes",
        "COD confirmation",
        METRICS["cod_confirmed"].definition,
        ["outcome", "orders"],
        [
            ("confirmed", n["cod confirmed"]),
            ("cancelled", n["cod cancelled"]),
            ("no answer", n["cod no answer"]),
            ("awaiting", awaiting),
        ],
    )


def order_funnel(report: "Report") -> Breakdown:
    """Orders placed in the period and how far they got (by their current status)."""
    n = report.order_counts
    steps = ("placed", "confirmed", "dispatched", "delivered")
    return Breakdown(
        "order_funnel",
        "Order funnel",
        "Orders placed in the period by how far they got: confirmed or later, dispatched or later, delivered",
        ["step", "orders"],
        [(k, n[k]) for k in steps],
    )


def rto(report: "Report", by: str) -> Breakdown:
    """Shipments booked in the period, returned, and the RTO rate, per city or per courier."""
    sums = totals(report.rows("shipments"), lambda _day, keys: keys[0] if by == "city" else keys[1])
    ordered = sorted(sums.items(), key=lambda item: (-item[1][0], item[0]))
    return Breakdown(
        f"rto_by_{by}",
        f"RTO by {by}",
        METRICS["rto_rate"].definition,
        [by, "dispatched", "returned", "rto_rate"],
        [(name, sent, back, ratio(back, sent)) for name, (sent, back) in ordered],
    )


# ---- engagement ---------------------------------------------------------------------------------


def cart_recovery(report: "Report") -> Breakdown:
    """Per stage: carts whose recovery started in the period that reached it, and carts recovered
    in the period credited to it, with their revenue."""
    sent = totals(report.rows("carts_started"), _everything).get(None, [0] * len(CART_STAGES))
    recovered = totals(report.rows("carts_recovered"), _first_key)
    return Breakdown(
        "cart_recovery",
        "Cart recovery by stage",
        METRICS["recovered_carts"].definition
        + "; messages sent = carts whose recovery started in the period and reached the stage",
        ["stage", "messages_sent", "recovered_carts", "recovered_revenue"],
        [(f"stage {n}", sent[n - 1], *recovered.get(n, (0, 0))) for n in CART_STAGES],
    )


def csat(report: "Report") -> Breakdown:
    """CSAT questions sent in the period by the answer they got."""
    rows = _count_per_name(report, "csat", CSAT_ANSWERS)
    return Breakdown("csat", "CSAT answers", METRICS["csat_response_rate"].definition, ["answer", "questions"], rows)


def _count_per_name(report: "Report", fact: str, names: Iterable[str]) -> list[tuple]:
    """(name, count) for each of ``names`` (zero if absent) from a fact grouped by name."""
    counts = totals(report.rows(fact), _first_key)
    return [(name, counts.get(name, [0])[0]) for name in names]


def winback(report: "Report") -> Breakdown:
    """Per win-back step: messages sent in the period and how many were followed by an order."""
    counts = totals(report.rows("winback"), _first_key)
    rows = [
        (f"day {days}", sent, won, ratio(won, sent))
        for days in sorted(WINBACK_MESSAGES.values())
        for sent, won in [counts.get(days, (0, 0))]
    ]
    return Breakdown(
        "winback",
        "Win-back by step",
        METRICS["winback_conversion"].definition,
        ["step", "sent", "converted", "conversion"],
        rows,
    )


def escalations(report: "Report") -> Breakdown:
    """Escalations opened in the period per reason: breached, resolved, SLA compliance."""
    counts = totals(report.rows("escalations"), _first_key)
    return Breakdown(
        "escalations",
        "Escalations and SLA",
        METRICS["sla_compliance"].definition,
        ["reason", "opened", "breached", "resolved", "sla_compliance"],
        [
            (reason, opened, breached, resolved, ratio(opened - breached, opened))
            for reason in _busiest_first({k: v[0] for k, v in counts.items()})
            for opened, breached, resolved in [counts[reason]]
        ],
    )


def messages(report: "Report") -> Breakdown:
    """Messages created in the period per touchpoint: sent, delivered, read, failed by error code."""
    counts = totals(report.rows("messages"), _first_key)
    return Breakdown(
        "messages",
        "Messages per touchpoint",
        "Sent = accepted by WhatsApp; delivered includes read "
        "(WhatsApp may skip 'delivered'); failures by error code: "
        + ", ".join(f"{code} {what}" for code, what in ERROR_CODES.items()),
        ["touchpoint", *report.fact("messages").measures],
        [(kind, *counts[kind]) for kind in sorted(counts)],
    )


# ---- cancellations ------------------------------------------------------------------------------


def _by_reason(
    report: "Report",
    key: str,
    title: str,
    first: str,
    fact: str,
    group: Callable[[Any, tuple], Hashable],
    reason: Callable[[tuple], str],
) -> Breakdown:
    """Cancellations per reason (columns) for each group (rows), busiest group first."""
    per_reason: dict[Hashable, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, keys, (count,) in report.rows(fact):
        per_reason[group(day, keys)][reason(keys)] += count
    order = _busiest_first({name: sum(counts.values()) for name, counts in per_reason.items()})
    rows = [(name, *[per_reason[name][r] for r in REASONS]) for name in order]
    return Breakdown(key, title, CANCELLATIONS, [first, *REASONS, "total"], [(*r, sum(r[1:])) for r in rows])


def reason_totals(report: "Report") -> Breakdown:
    """Cancellations in the period per reason."""
    rows = _count_per_name(report, "cancellations", REASONS)
    return Breakdown("cancellation_reasons", "Cancellation reasons", CANCELLATIONS, ["reason", "cancellations"], rows)


def cancellation_reasons(report: "Report", by: str) -> Breakdown:
    """Cancellations in the period per reason, split by city, payment method or product."""
    if by == "product":
        fact, group, reason = "cancelled_products", _first_key, lambda keys: keys[1]
    else:
        fact, reason = "cancellations", lambda keys: keys[0]
        group = (lambda _day, keys: keys[1]) if by == "city" else (lambda _day, keys: keys[2])
    return _by_reason(
        report, f"cancellations_by_{by}", f"Cancellation reasons by {by.replace('_', ' ')}", by, fact, group, reason
    )


def cancellations_over_time(report: "Report") -> Breakdown:
    """Cancellations per day (or week) of the period, per reason."""
    counts = totals(report.rows("cancellations"), lambda day, keys: (report.bucket(day), keys[0]))
    rows = [
        (index, *[counts.get((index, name), [0])[0] for name in REASONS])
        for index in range(len(report.period.bucket_labels()))
    ]
    trend = _per_bucket("cancellations_trend", "Cancellation reasons over time", "", list(REASONS), report.period, rows)
    return Breakdown(
        trend.key, trend.title, CANCELLATIONS, ["from", *REASONS, "total"], [(*row, sum(row[1:])) for row in trend.rows]
    )


def _per_bucket(
    key: str, title: str, definition: str, columns: list[str], period: Period, rows: Iterable[Sequence[Any]]
) -> Breakdown:
    """One row per bucket of the period (empty buckets as zeros), labelled by its first day."""
    found = {index: values for index, *values in rows}
    zeros = [0] * len(columns)
    return Breakdown(
        key,
        title,
        definition,
        ["from", *columns],
        [(label, *found.get(n, zeros)) for n, label in enumerate(period.bucket_labels())],
    )


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
    """One period's numbers, each fact read and each breakdown built at most once.

    ``source`` gives a fact's daily rows for a period: by default the daily summary for
    closed days and raw rows for the rest (``summary.reader``); ``summary.raw`` reads only
    raw rows (the baseline the summary must equal).
    """

    def __init__(self, session: Session, period: Period, source: Optional[summary.Source] = None) -> None:
        self.session, self.period = session, period
        self.source = source or summary.reader(session)
        self._facts: dict[str, Fact] = {}
        self._rows: dict[str, list[FactRow]] = {}
        self._done: dict[str, Breakdown] = {}

    def __getitem__(self, key: str) -> Breakdown:
        if key not in self._done:
            self._done[key] = BREAKDOWNS[key](self)
        return self._done[key]

    def fact(self, name: str) -> Fact:
        if name not in self._facts:
            self._facts[name] = FACTS[name](self.session)
        return self._facts[name]

    def rows(self, name: str) -> list[FactRow]:
        """The fact's daily rows over the period."""
        if name not in self._rows:
            self._rows[name] = self.source(name, self.fact(name), self.period)
        return self._rows[name]

    def bucket(self, day: date) -> int:
        """The chart bucket (day or week of the period) a day falls in."""
        return (day - self.period.first_day).days // (self.period.step // DAY)

    @cached_property
    def order_buckets(self) -> dict[int, dict[str, Any]]:
        """Per day (or week) with orders: how many, their value, how far they got, what became of the COD ones."""
        return {
            index: dict(zip(self.fact("orders").measures, values))
            for index, values in totals(self.rows("orders"), lambda day, _: self.bucket(day)).items()
        }

    @cached_property
    def order_counts(self) -> dict[str, Any]:
        """The period's totals of ``order_buckets``."""
        return {
            name: sum(n[name] for n in self.order_buckets.values())
            for name in next(iter(self.order_buckets.values()), {})
        } or defaultdict(int)

    @cached_property
    def previous(self) -> "Report":
        return Report(self.session, self.period.previous(), self.source)

    def headline(self) -> dict[str, Optional[float]]:
        """Every figure in ``METRICS``."""
        n = self.order_counts
        shipped, recovery, escalated, won, sent = (
            self[k] for k in ("rto_by_courier", "cart_recovery", "escalations", "winback", "messages")
        )
        answers = dict(self["csat"].rows)
        clear = answers["positive"] + answers["negative"]
        return {
            "orders": n["placed"],
            "order_value": float(n["value"]),
            "cod_share": ratio(n["cod"], n["placed"]),
            "cod_confirmed": ratio(n["cod confirmed"], n["cod"]),
            "cod_cancelled": ratio(n["cod cancelled"], n["cod"]),
            "cod_no_answer": ratio(n["cod no answer"], n["cod"]),
            "cancellation_rate": ratio(n["cancelled"], n["placed"]),
            "rto_rate": ratio(shipped.total("returned"), shipped.total("dispatched")),
            "recovered_carts": recovery.total("recovered_carts"),
            "recovered_revenue": float(recovery.total("recovered_revenue")),
            "csat_positive": ratio(answers["positive"], clear),
            "csat_response_rate": ratio(clear + answers["unclear"], sum(answers.values())),
            "escalations": escalated.total("opened"),
            "sla_compliance": ratio(escalated.total("opened") - escalated.total("breached"), escalated.total("opened")),
            "winback_conversion": ratio(won.total("converted"), won.total("sent")),
            "messages_sent": sent.total("sent"),
            "delivery_rate": ratio(sent.total("delivered"), sent.total("sent")),
            "read_rate": ratio(sent.total("read"), sent.total("sent")),
            "messages_failed": sent.total("failed"),
        }

    def compare(self) -> list[tuple[str, Metric, Optional[float], Optional[float]]]:
        """``(key, metric, this period, previous period)`` for every headline figure."""
        now, before = self.headline(), self.previous.headline()
        return [(key, metric, now[key], before[key]) for key, metric in METRICS.items()]
