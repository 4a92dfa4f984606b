"""analytics: the daily summary, its state, and triggers that mark the hours every write touches

lifecycle/analytics/summary.py explains the scheme. Each rule below names a table, the
columns whose update matters, the facts (lifecycle/analytics/facts.py) a write changes, and
the times (``t``) of the rows whose day it changes: the row's own day, or days reached
through a join (an order's shipments and cancellation, a customer's win-back messages in
the 30 days before an order). Rules are triggers in the database so that every writer is
covered: the ORM, bulk updates, imports.

SQLite: batch migrations that recreate a table drop its triggers; re-create them after
(tests/unit/lifecycle/analytics/test_summary.py checks they are all present at head).

Revision ID: analytics_2
Revises: analytics_1
Create Date: 2026-12-02 10:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'analytics_2'
down_revision = 'analytics_1'
branch_labels = None
depends_on = None

# name: (table, columns whose update matters, facts it changes, times to mark for a row {row})
RULES = {
    "orders": ("orders", "placed_at, amount, status, payment_method, needs_call", ("orders",),
               "SELECT {row}.placed_at AS t"),
    "order_shipments": ("orders", "city", ("shipments",),
                        "SELECT booked_at AS t FROM shipments WHERE order_id = {row}.id"),
    "order_cancellation": ("orders", "city, payment_method, items", ("cancellations", "cancelled_products"),
                           "SELECT created_at AS t FROM cancellations WHERE order_id = {row}.id"),
    "order_winback": ("orders", "customer_id, placed_at", ("winback",),
                      "SELECT created_at AS t FROM outbox_messages WHERE customer_id = {row}.customer_id "
                      "AND created_at >= {month_before} AND created_at <= {row}.placed_at"),
    "cancellations": ("cancellations", "order_id, source, reason, created_at", ("cancellations", "cancelled_products"),
                      "SELECT {row}.created_at AS t"),
    "cancelled_orders": ("cancellations", "order_id, source", ("orders",),
                         "SELECT placed_at AS t FROM orders WHERE id = {row}.order_id"),
    "shipments": ("shipments", "order_id, courier, state, booked_at", ("shipments",), "SELECT {row}.booked_at AS t"),
    "touchpoints": ("touchpoints", "kind, order_id, state, done_at", ("csat",), "SELECT {row}.done_at AS t"),
    "touchpoint_messages": ("touchpoints", "kind", ("messages",),
                            "SELECT created_at AS t FROM outbox_messages WHERE touchpoint_id = {row}.id"),
    "csat_responses": ("csat_responses", "order_id, answer", ("csat",),
                       "SELECT done_at AS t FROM touchpoints WHERE order_id = {row}.order_id"),
    "outbox_messages": ("outbox_messages",
                        "touchpoint_id, customer_id, template, wamid, status, error_code, created_at",
                        ("messages", "winback"), "SELECT {row}.created_at AS t"),
    "escalations": ("escalations", "reason, status, created_at, breached_at", ("escalations",),
                    "SELECT {row}.created_at AS t"),
    "carts_started": ("cart_recoveries", "last_stage_sent, started_at", ("carts_started",),
                      "SELECT {row}.started_at AS t"),
    "carts_recovered": ("cart_recoveries", "recovered_stage, recovered_revenue, recovered_at", ("carts_recovered",),
                        "SELECT {row}.recovered_at AS t"),
}
# 31 days: the win-back window (30) with a margin for rounding to whole seconds
MONTH_BEFORE = {"postgresql": "{row}.placed_at - interval '31 days'", "sqlite": "datetime({row}.placed_at, '-31 days')"}
HOUR = {"postgresql": "CAST(floor(extract(epoch FROM t) / 3600) AS BIGINT)",
        "sqlite": "CAST(strftime('%s', t) AS INTEGER) / 3600"}


def _times(dialect: str, rule: str, row: str) -> str:
    return RULES[rule][3].format(row=row, month_before=MONTH_BEFORE[dialect].format(row=row))


def _mark(dialect: str, rule: str, times: str) -> str:
    facts = " UNION ALL ".join(f"SELECT '{fact}' AS fact" for fact in RULES[rule][2])
    return f"INSERT INTO analytics_changes (fact, hour) SELECT DISTINCT fact, {HOUR[dialect]} " \
           f"FROM ({times}) AS marked CROSS JOIN ({facts}) AS facts WHERE t IS NOT NULL;"


def _sqlite_triggers(rule: str) -> list[str]:
    table, columns, _, _ = RULES[rule]
    both = f"{_times('sqlite', rule, 'NEW')} UNION ALL {_times('sqlite', rule, 'OLD')}"
    return [f"CREATE TRIGGER analytics_{rule}_{event} AFTER {when} ON {table} BEGIN {_mark('sqlite', rule, times)} END"
            for event, when, times in (("insert", "INSERT", _times("sqlite", rule, "NEW")),
                                       ("update", f"UPDATE OF {columns}", both),
                                       ("delete", "DELETE", _times("sqlite", rule, "OLD")))]


def _postgres_trigger(rule: str) -> list[str]:
    table, columns, _, _ = RULES[rule]
    new, old = _times("postgresql", rule, "NEW"), _times("postgresql", rule, "OLD")
    return [f"""CREATE FUNCTION analytics_mark_{rule}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN {_mark('postgresql', rule, new)}
  ELSIF TG_OP = 'DELETE' THEN {_mark('postgresql', rule, old)}
  ELSE {_mark('postgresql', rule, f'{new} UNION ALL {old}')}
  END IF;
  RETURN NULL;
END $$""", f"CREATE TRIGGER analytics_{rule} AFTER INSERT OR DELETE OR UPDATE OF {columns} ON {table} "
           f"FOR EACH ROW EXECUTE FUNCTION analytics_mark_{rule}()"]


def upgrade() -> None:
    op.create_table('analytics_daily',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('fact', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('group_keys', sa.JSON(), nullable=False),
    sa.Column('measures', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_analytics_daily_fact_day', 'analytics_daily', ['fact', 'day'])
    op.create_table('analytics_summary_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('built_through', sa.Date(), nullable=True),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO analytics_summary_state (id) VALUES (1)")
    op.create_table('analytics_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('fact', sa.String(length=40), nullable=False),
    sa.Column('hour', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_analytics_changes_fact_hour', 'analytics_changes', ['fact', 'hour'])
    dialect = op.get_bind().dialect.name
    for rule in RULES:
        for statement in (_postgres_trigger(rule) if dialect == "postgresql" else _sqlite_triggers(rule)):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for rule, (table, _, _, _) in RULES.items():
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER analytics_{rule} ON {table}")
            op.execute(f"DROP FUNCTION analytics_mark_{rule}()")
        else:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER analytics_{rule}_{event}")
    op.drop_index('ix_analytics_changes_fact_hour', table_name='analytics_changes')
    op.drop_table('analytics_changes')
    op.drop_table('analytics_summary_state')
    op.drop_index('ix_analytics_daily_fact_day', table_name='analytics_daily')
    op.drop_table('analytics_daily')
