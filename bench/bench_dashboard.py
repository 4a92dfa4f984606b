"""Dashboard pages on a store with 1M orders (PostgreSQL): the time to compute each page's
numbers and charts, for a 30-day and a 90-day period, with the schema as migrated and then
with the time-column indexes the analytics ask for.

``SAUDA_BENCH_DASHBOARD_ORDERS`` (default 1,000,000) sets the size; ``SAUDA_TEST_PG_URL`` the
server. History is generated in SQL (``INSERT … SELECT generate_series``) over 365 days:
~2 outbox messages per order, shipments, cancellations, CSAT, escalations, carts.
"""
from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import Callable

from sqlalchemy import text

from appserver.dashboard import CANCELLATIONS, cancellations, overview
from bench.bench_lifecycle import database
from bench.table import Table
from lifecycle.analytics.metrics import Report
from lifecycle.analytics.period import STORE_ZONE, Period

ORDERS = int(os.environ.get("SAUDA_BENCH_DASHBOARD_ORDERS", 1_000_000))
CITIES = "ARRAY['Karachi','Lahore','Islamabad','Rawalpindi','Faisalabad','Multan','Peshawar','Quetta']"
PRODUCTS = "ARRAY['Lawn 3-Piece','Khussa','Kurta','Shawl','Dupatta','Chappal','Clutch','Jhumka']"
TEMPLATES = ("ARRAY['cod_confirmation','dispatch','delivered','csat_question','cart_reminder',"
             "'winback_new_arrivals','winback_personal_code','order_cancelled']")
HISTORY = [
    "SELECT setseed(0.42)",
    "INSERT INTO customers (phone, language, created_at) SELECT '+92345' || lpad(g::text, 7, '0'), 'roman_urdu', "
    "now() - interval '400 days' FROM generate_series(1, :customers) g",
    f"""INSERT INTO orders (ref, customer_id, items, amount, currency, payment_method, city, address, status,
        needs_call, placed_at, updated_at)
      SELECT 'B-' || g, 1 + (g::bigint * 7919) % :customers,
        json_build_array(json_build_object('name', ({PRODUCTS})[1 + g % 8], 'quantity', 1, 'price', '2490')),
        1000 + (g % 50) * 100, 'PKR',
        CASE WHEN r < 0.7 THEN 'cod' WHEN r < 0.88 THEN 'jazzcash' ELSE 'easypaisa' END,
        ({CITIES})[1 + (g * 31) % 8], 'x',
        CASE WHEN s < 0.12 THEN 'cancelled' WHEN s < 0.22 THEN 'returned' WHEN s < 0.85 THEN 'delivered'
             WHEN s < 0.93 THEN 'dispatched' ELSE 'confirmed' END,
        false, ts, ts
      FROM (SELECT g, random() r, random() s, now() - random() * interval '365 days' ts
            FROM generate_series(1, :orders) g) o""",
    """INSERT INTO cancellations (order_id, source, reason, created_at)
      SELECT id, (ARRAY['customer','no_answer','merchant'])[1 + id % 3],
        CASE WHEN id % 3 = 0 THEN (ARRAY['changed_mind','found_cheaper','wrong_item','delivery_slow','other'])[1 + id % 5]
        END, placed_at + interval '2 hours' FROM orders WHERE status = 'cancelled'""",
    """INSERT INTO shipments (order_id, courier, cn, tracking_token, state, state_at, booked_at)
      SELECT id, (ARRAY['leopards','postex','tcs'])[1 + id % 3], 'CN' || id, md5(id::text),
        CASE status WHEN 'returned' THEN 'returned' WHEN 'delivered' THEN 'delivered' ELSE 'in_transit' END,
        placed_at + interval '1 day', placed_at + interval '1 day'
      FROM orders WHERE status IN ('dispatched', 'delivered', 'returned')""",
    """INSERT INTO touchpoints (kind, key, customer_id, order_id, params, due_at, state, attempts, created_at, done_at)
      SELECT 'csat', 'csat:' || ref, customer_id, id, '{}', placed_at + interval '4 days', 'done', 1,
        placed_at + interval '3 days', placed_at + interval '4 days' FROM orders WHERE status = 'delivered'""",
    """INSERT INTO csat_responses (order_id, customer_id, answer, at)
      SELECT order_id, customer_id, CASE WHEN random() < 0.85 THEN 'positive' ELSE 'negative' END,
        done_at + interval '1 hour' FROM touchpoints WHERE kind = 'csat' AND random() < 0.6""",
    """INSERT INTO escalations (customer_id, order_id, reason, status, created_at, sla_due_at, breached_at)
      SELECT customer_id, order_id, 'csat_negative', 'resolved', "at", "at" + interval '15 minutes',
        CASE WHEN random() < 0.1 THEN "at" + interval '15 minutes' END FROM csat_responses WHERE answer = 'negative'""",
    f"""INSERT INTO outbox_messages (customer_id, template, category, mode, payload, text, wamid, status,
        error_code, attempts, created_at)
      SELECT customer_id, ({TEMPLATES})[1 + (id * 3 + k) % 8], 'UTILITY', 'template', '{{}}', 't',
        'w' || id || '-' || k,
        CASE WHEN r < 0.7 THEN 'read' WHEN r < 0.88 THEN 'delivered' WHEN r < 0.94 THEN 'sent' ELSE 'failed' END,
        CASE WHEN r >= 0.94 THEN (ARRAY[131047, 131050, 131026, 130429])[1 + id % 4] END, 1,
        placed_at + k * interval '1 day'
      FROM (SELECT id, customer_id, placed_at, k, random() r FROM orders, generate_series(0, 1) k) m""",
    """INSERT INTO carts (ref, customer_id, items, total, status, created_at, updated_at, abandoned_at)
      SELECT 'cart-' || g, 1 + (g::bigint * 104729) % :customers, '[]', 3990, 'abandoned', ts, ts, ts
      FROM (SELECT g, now() - random() * interval '365 days' ts FROM generate_series(1, :orders / 10) g) c""",
    """INSERT INTO cart_recoveries (cart_id, customer_id, started_at, last_stage_sent, recovered_stage,
        recovered_order_id, recovered_revenue, recovered_at)
      SELECT id, customer_id, abandoned_at, 1 + id % 3, CASE WHEN id % 8 = 0 THEN 1 + id % 3 END,
        CASE WHEN id % 8 = 0 THEN id END, CASE WHEN id % 8 = 0 THEN 3990 END,
        CASE WHEN id % 8 = 0 THEN abandoned_at + interval '1 day' END FROM carts""",
]
# What the analytics filter on, besides the indexes the schema already has.
REQUESTED_INDEXES = {
    "orders": "placed_at", "shipments": "booked_at", "cancellations": "created_at", "outbox_messages": "created_at",
    "escalations": "created_at", "csat_responses": "at", "cart_recoveries": "started_at",
}
TABLES = ("customers", "orders", "cancellations", "shipments", "touchpoints", "csat_responses", "escalations",
          "outbox_messages", "carts", "cart_recoveries")
ANALYZE = f"ANALYZE {', '.join(TABLES)}"  # only ours: a bare ANALYZE would lock other schemas' tables too
EXTRA = ["CREATE INDEX ix_cart_recoveries_recovered_at ON cart_recoveries (recovered_at)",
         "CREATE INDEX ix_touchpoints_kind_done ON touchpoints (kind, done_at)"]


def _pages(session, period: Period) -> dict[str, Callable[[], object]]:
    return {"overview": lambda: overview(session, period), "cancellations": lambda: cancellations(session, period),
            "one CSV (cancellations by product)": lambda: Report(session, period)[CANCELLATIONS[2]]}


def _time_pages(db, table: Table, schema: str) -> None:
    with db.session() as session:
        last = session.scalar(text("SELECT max(placed_at) FROM orders")).astimezone(STORE_ZONE).date()
    for days in (30, 90):
        period = Period.days_ending(last - timedelta(days=1), days)
        with db.session() as session:
            for name, build in _pages(session, period).items():
                build()  # warm the cache once; the page is then timed as a merchant would reload it
                samples = []
                for _ in range(3):
                    started = time.perf_counter()
                    build()
                    samples.append(time.perf_counter() - started)
                table.add(schema, f"{days} days", name, round(min(samples), 3), round(sorted(samples)[1], 3))


def run() -> list[Table]:
    table = Table(f"Dashboard pages on PostgreSQL, {ORDERS:,} orders over 365 days (seconds; target < 1 s)",
                  ["schema", "period", "page", "best of 3", "median of 3"])
    sizes = Table("Generated history", ["table", "rows"])
    with database("postgres") as db:
        if db is None:
            table.add("PostgreSQL unreachable", "", "", "", "")
            return [table]
        started = time.perf_counter()
        with db.engine.begin() as connection:
            for statement in HISTORY:
                connection.execute(text(statement), {"orders": ORDERS, "customers": max(ORDERS // 3, 10)})
            connection.execute(text(ANALYZE))
        with db.engine.connect() as connection:
            for name in ("orders", "outbox_messages", "shipments", "cancellations", "touchpoints", "csat_responses",
                         "escalations", "cart_recoveries"):
                sizes.add(name, f"{connection.scalar(text(f'SELECT count(*) FROM {name}')):,}")
        sizes.add("(generated in)", f"{time.perf_counter() - started:.0f} s")
        _time_pages(db, table, "as migrated")
        with db.engine.begin() as connection:
            for name, column in REQUESTED_INDEXES.items():
                connection.execute(text(f"CREATE INDEX ix_{name}_{column}_bench ON {name} ({column})"))
            for statement in EXTRA:
                connection.execute(text(statement))
            connection.execute(text(ANALYZE))
        _time_pages(db, table, "+ requested indexes")
    return [table, sizes]
