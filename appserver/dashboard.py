"""Merchant dashboard: the overview and cancellation pages, each chart with its table and CSV.

Numbers come from lifecycle.analytics (one definition each; closed days from the daily
summary, read in one snapshot with the live days); this module only picks a period from the
query string, draws charts and formats cells.
"""
from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Callable, Optional

from markupsafe import Markup
from sanic import Blueprint, Request, response
from sqlalchemy.orm import Session

from appserver import charts
from appserver.auth import Auth, require
from appserver.pages import page
from lifecycle.analytics.metrics import BREAKDOWNS, REASONS, Breakdown, Report
from lifecycle.analytics.period import STORE_ZONE, Period
from lifecycle.analytics.summary import Source, snapshot
from lifecycle.db.engine import Database

OVERVIEW = ("orders_trend", "order_funnel", "cod_outcomes", "rto_by_city", "rto_by_courier", "cart_recovery",
            "csat", "escalations", "winback", "messages")
CANCELLATIONS = ("cancellation_reasons", "cancellations_trend", "cancellations_by_product", "cancellations_by_city",
                 "cancellations_by_payment_method")
LOWER_IS_BETTER = {"cod_cancelled", "cod_no_answer", "cancellation_rate", "rto_rate", "escalations",
                   "messages_failed"}
PERIOD_CHOICES = (7, 30, 90)
RATE_WORDS = ("rate", "conversion", "compliance")


def parse_period(args, today: date) -> tuple[Period, Optional[str]]:
    """``?days=30&end=2026-03-07`` → the period, or the default 30 days to today and why."""
    try:
        days = int(args.get("days", 30))
        end = date.fromisoformat(args.get("end")) if args.get("end") else today
        if not 1 <= days <= 366:
            raise ValueError("days must be between 1 and 366")
        return Period.days_ending(end, days), None
    except ValueError as exc:
        return Period.days_ending(today, 30), f"Showing the last 30 days: {exc}"


def format_cell(column: str, value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and any(word in column for word in RATE_WORDS):
        return f"{value:.1%}"
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f"{value:,.0f}"
    return str(value)


def format_metric(kind: str, value: Optional[float]) -> str:
    if value is None:
        return "–"
    return {"percent": f"{value:.1%}", "money": f"Rs {value:,.0f}"}.get(kind, f"{value:,.0f}")


def change(key: str, kind: str, now: Optional[float], before: Optional[float]) -> Optional[tuple[str, str]]:
    """``("+4.2 pts", "up")``: the change from the previous period and whether it is good news."""
    if now is None or before is None or now == before:
        return None
    if kind == "percent":
        text = f"{(now - before) * 100:+.1f} pts"
    elif before:
        text = f"{(now - before) / before:+.0%}"
    else:
        text = "new"
    good = (now > before) != (key in LOWER_IS_BETTER)
    return text, "up" if good else "down"


def _columns(b: Breakdown, names) -> dict[str, list[float]]:
    return {name: [float(v or 0) for v in b.column(name)] for name in names}


def chart(b: Breakdown, previous: Optional[Breakdown] = None) -> Markup:
    """The chart that suits each breakdown."""
    first = b.column(b.columns[0])
    if b.key == "orders_trend":
        series = {"this period": b.column("orders")}
        if previous is not None:
            series["previous period"] = previous.column("orders")
        return charts.line_chart(b.title, first, series)
    if b.key == "order_funnel":
        return charts.funnel(b.title, b.rows)
    if b.key.startswith("rto_by_"):
        return charts.bars(b.title, first, b.column("rto_rate"), percent=True)
    if b.key == "cart_recovery":
        return charts.bars(b.title, first, b.column("recovered_revenue"))
    if b.key == "winback":
        return charts.bars(b.title, first, b.column("conversion"), percent=True)
    if b.key == "escalations":
        return charts.bars(b.title, first, b.column("opened"))
    if b.key == "messages":
        read, delivered, failed, sent = (b.column(c) for c in ("read", "delivered", "failed", "sent"))
        return charts.stacked_bars(b.title, [str(k) for k in first], {
            "read": read, "delivered, unread": [d - r for d, r in zip(delivered, read)],
            "no receipt yet": [max(s - d - f, 0) for s, d, f in zip(sent, delivered, failed)], "failed": failed})
    if b.key.startswith("cancellations_"):
        top = Breakdown(b.key, b.title, b.definition, b.columns, b.rows[:12])
        return charts.stacked_bars(b.title, [str(v) for v in top.column(b.columns[0])], _columns(top, REASONS))
    return charts.bars(b.title, first, b.column(b.columns[1]))


def card(b: Breakdown, period: Period, previous: Optional[Breakdown] = None) -> dict:
    return {"key": b.key, "title": b.title, "definition": b.definition, "svg": chart(b, previous),
            "columns": b.columns, "rows": [[format_cell(c, v) for c, v in zip(b.columns, row)] for row in b.rows],
            "csv": f"/dashboard/csv/{b.key}.csv?days={period.days}&end={period.last_day.isoformat()}"}


# A spreadsheet runs a cell starting with one of these as a formula (city and product names
# come from customers' orders): such cells get a leading apostrophe, which shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def breakdown_csv(b: Breakdown) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(c) for c in b.columns])
    writer.writerows([csv_cell(v) for v in row] for row in b.rows)
    return out.getvalue()


def overview(session: Session, period: Period, source: Optional[Source] = None) -> dict:
    """Everything the overview page shows: the headline figures against the previous period, and the cards."""
    report = Report(session, period, source)
    kpis = [{"key": key, "label": m.label, "definition": m.definition, "value": format_metric(m.kind, v),
             "previous": format_metric(m.kind, before), "change": change(key, m.kind, v, before)}
            for key, m, v, before in report.compare()]
    cards = [card(report[key], period, report.previous[key] if key == "orders_trend" else None) for key in OVERVIEW]
    return {"kpis": kpis, "cards": cards}


def cancellations(session: Session, period: Period, source: Optional[Source] = None) -> dict:
    """The cancellation page's cards."""
    report = Report(session, period, source)
    return {"cards": [card(report[key], period) for key in CANCELLATIONS]}


def dashboard_blueprint(auth: Auth, db: Database, now: Callable[[], datetime]) -> Blueprint:
    bp = Blueprint("dashboard", url_prefix="/dashboard")

    def today() -> date:
        return now().astimezone(STORE_ZONE).date()

    def in_session(content: Callable[[Session, Period], dict], period: Period) -> dict:
        with snapshot(db) as session:
            return content(session, period)

    async def render(request: Request, template: str, active: str,
                     content: Callable[[Session, Period], dict]) -> response.HTTPResponse:
        period, problem = parse_period(request.args, today())
        data = await asyncio.to_thread(in_session, content, period)
        return response.html(page(request, auth, template, active, period=period, problem=problem,
                                  choices=PERIOD_CHOICES, **data))

    @bp.get("/")
    @require(auth, "merchant")
    async def overview_page(request: Request):
        return await render(request, "dashboard.html", "/dashboard", overview)

    @bp.get("/cancellations")
    @require(auth, "merchant")
    async def cancellations_page(request: Request):
        return await render(request, "dashboard_cancellations.html", "/dashboard/cancellations",
                            cancellations)

    @bp.get("/csv/<key:ext=csv>")
    @require(auth, "merchant")
    async def download(request: Request, key: str, ext: str):
        if key not in BREAKDOWNS:
            return response.text(f"no table {key!r}; known: {', '.join(BREAKDOWNS)}", status=404)
        period, _ = parse_period(request.args, today())

        def build() -> str:
            with snapshot(db) as session:
                return breakdown_csv(Report(session, period)[key])

        body = await asyncio.to_thread(build)
        name = f"{key}_{period.first_day}_{period.last_day}.csv"
        return response.text(body, content_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return bp

