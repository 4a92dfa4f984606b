"""Engagement at scale: the daily win-back sweep over N customers on PostgreSQL (default
1,000,000; time and rows touched, beside the naive "last order per customer" query it
avoids), and cart-recovery scheduling for M abandoned carts (default 100,000) on SQLite
and PostgreSQL: the first 1,000 one per transaction as shop events start them, the rest in
bulk.

``SAUDA_BENCH_CUSTOMERS`` and ``SAUDA_BENCH_CARTS`` set the sizes; ``SAUDA_TEST_PG_URL``
the PostgreSQL server (a scratch schema is used and dropped).
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text

from bench.bench_lifecycle import NOON_PKT, database
from bench.table import Table
from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.db.engagement_models import CartRecovery
from lifecycle.db.engine import Database
from lifecycle.db.models import Cart, Customer, Touchpoint
from lifecycle.flows import cart_recovery, winback

CUSTOMERS = int(os.environ.get("SAUDA_BENCH_CUSTOMERS", 1_000_000))
CARTS = int(os.environ.get("SAUDA_BENCH_CARTS", 100_000))
SETTINGS = EngagementSettings()
BATCH = 1000
PER_EVENT = 1000


def _population(db: Database, count: int, now: datetime) -> None:
    """``count`` customers, one order each, last orders spread over the past year, with the
    win-back state a sweep left yesterday (server-side generate_series: seconds, not minutes)."""
    thresholds = [30, 60, 90, 181, 272, 363]  # SETTINGS' thresholds: stages 1..6
    assert [winback.threshold(s, SETTINGS).days for s in range(1, 7)] == thresholds
    next_due = " ".join(f"WHEN e < {t} THEN {t}" for t in thresholds)
    stage = " ".join(f"WHEN e < {t} THEN {s}" for s, t in enumerate(thresholds))
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO customers (id, phone, language, created_at) SELECT n, '+92300' || lpad(n::text, 7, '0'), "
                "'roman_urdu', :now FROM generate_series(1, :count) n"
            ),
            {"now": now, "count": count},
        )
        connection.execute(
            text(
                "INSERT INTO orders (id, ref, customer_id, items, amount, currency, payment_method, city, address, "
                "status, needs_call, placed_at, updated_at) "
                'SELECT n, \'B\' || n, n, \'[{"name": "Lawn", "quantity": 1}]\', '
                "2500, 'PKR', 'cod', 'Lahore', 'x', 'delivered', false, placed, "
                "LEAST(:now, placed + interval '3 days') "  # delivered three days after it was placed
                "FROM (SELECT n, :now - make_interval(mins => ((n::bigint * 7919) % 525600)::int) AS placed "
                "FROM generate_series(1, :count) n) o"
            ),
            {"now": now, "count": count},
        )
        connection.execute(
            text(
                "INSERT INTO winback_states (customer_id, last_order_at, last_order_id, stage, next_due_at) "
                "SELECT id, placed_at, id, CASE " + stage + " ELSE 6 END, "
                "placed_at + make_interval(days => CASE " + next_due + " ELSE 454 END) "
                "FROM (SELECT id, placed_at, EXTRACT(EPOCH FROM (:now - interval '1 day' - placed_at)) / 86400 AS e "
                "FROM orders) o"
            ),
            {"now": now},
        )
        connection.execute(text("ANALYZE customers; ANALYZE orders; ANALYZE winback_states"))


def winback_sweep(table: Table) -> None:
    now = NOON_PKT
    with database("postgresql") as db:
        if db is None:
            table.add("PostgreSQL", CUSTOMERS, "unreachable", "", "", "")
            return
        started = time.perf_counter()
        _population(db, CUSTOMERS, now)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        touched = batch = 0
        while True:
            with db.session.begin() as session:
                batch = winback.sweep(session, now, SETTINGS)
            touched += batch
            if batch < SETTINGS.winback_batch:
                break
        swept = time.perf_counter() - started
        with db.session() as session:
            scheduled = session.scalar(select(func.count()).select_from(Touchpoint).where(Touchpoint.kind == "winback"))
        with db.engine.connect() as connection:
            started = time.perf_counter()
            connection.execute(
                text(
                    "SELECT count(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id "
                    "HAVING max(placed_at) <= :cutoff) t"
                ),
                {"cutoff": now - timedelta(days=30)},
            )
            naive = time.perf_counter() - started
        table.add("PostgreSQL", CUSTOMERS, round(generated, 1), round(swept, 2), touched, scheduled)
        table.add(
            "PostgreSQL, naive GROUP BY last order (for comparison)", CUSTOMERS, "", round(naive, 2), CUSTOMERS, ""
        )


def cart_scheduling(kind: str, table: Table) -> None:
    """The first ``PER_EVENT`` carts one at a time as shop events start them, the rest in bulk."""
    now = NOON_PKT
    with database(kind) as db:
        if db is None:
            table.add(kind, "", CARTS, "unreachable", "", "")
            return
        with db.session.begin() as session:
            session.execute(
                insert(Customer),
                [
                    {"id": n, "phone": f"+92301{n:07d}", "language": "roman_urdu", "created_at": now}
                    for n in range(1, CARTS + 1)
                ],
            )
            session.execute(
                insert(Cart),
                [
                    {
                        "id": n,
                        "ref": f"cart-{n}",
                        "customer_id": n,
                        "items": [{"name": "Lawn", "quantity": 1}],
                        "total": 2500,
                        "checkout_url": f"https://shop.example/c/{n}",
                        "status": "abandoned",
                        "created_at": now,
                        "updated_at": now,
                        "abandoned_at": now,
                    }
                    for n in range(1, CARTS + 1)
                ],
            )
        per_event = min(PER_EVENT, CARTS)
        started = time.perf_counter()
        for n in range(1, per_event + 1):
            with db.session.begin() as session:
                cart_recovery.start(session, session.get(Cart, n), now, SETTINGS)
        _row(table, kind, "one cart per transaction (shop event)", per_event, time.perf_counter() - started)
        started = time.perf_counter()
        for first in range(per_event + 1, CARTS + 1, BATCH):
            with db.session.begin() as session:
                carts = list(session.scalars(select(Cart).where(Cart.id.between(first, first + BATCH - 1))))
                cart_recovery.start_many(session, carts, now, SETTINGS)
        _row(table, kind, f"{BATCH} carts per transaction (bulk)", CARTS - per_event, time.perf_counter() - started)
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(CartRecovery)) == CARTS
            assert session.scalar(select(func.count()).select_from(Touchpoint)) == 3 * CARTS


def _row(table: Table, kind: str, how: str, carts: int, seconds: float) -> None:
    table.add(kind, how, carts, round(seconds, 2), round(carts / seconds), 3 * carts)


def run() -> list[Table]:
    sweep = Table(
        f"Daily win-back sweep over {CUSTOMERS:,} customers (last orders spread over a year)",
        ["database", "customers", "generate s", "sweep s", "customers touched", "touchpoints scheduled"],
    )
    winback_sweep(sweep)
    carts = Table(
        f"Cart recovery: scheduling 3 stages for {CARTS:,} abandoned carts",
        ["database", "how", "carts", "seconds", "carts/s", "touchpoints scheduled"],
    )
    for kind in ("sqlite", "postgresql"):
        cart_scheduling(kind, carts)
    return [sweep, carts]
