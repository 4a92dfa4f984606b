"""analytics: indexes on the time columns the dashboard's daily queries range over

Each dashboard number is counted per day over a range of one time column (see
lifecycle/analytics/facts.py); without these indexes every page and every summary refresh
reads whole tables. ``csat_responses.at`` is not indexed: answers are found by order id.

Revision ID: analytics_1
Revises: engagement_1
Create Date: 2026-12-02 10:00:00
"""
from alembic import op

revision = 'analytics_1'
down_revision = 'engagement_1'
branch_labels = None
depends_on = None

INDEXES = {
    "ix_orders_placed_at": ("orders", ["placed_at"]),
    "ix_shipments_booked_at": ("shipments", ["booked_at"]),
    "ix_cancellations_created_at": ("cancellations", ["created_at"]),
    "ix_outbox_messages_created_at": ("outbox_messages", ["created_at"]),
    "ix_escalations_created_at": ("escalations", ["created_at"]),
    "ix_touchpoints_kind_done_at": ("touchpoints", ["kind", "done_at"]),
    "ix_cart_recoveries_started_at": ("cart_recoveries", ["started_at"]),
    "ix_cart_recoveries_recovered_at": ("cart_recoveries", ["recovered_at"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
