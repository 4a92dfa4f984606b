"""delivery: failed delivery attempts and the customer's choice

Revision ID: delivery_3
Revises: delivery_2
Create Date: 2026-12-05 20:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'delivery_3'
down_revision = 'delivery_2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_recoveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("shipment_id", sa.Integer, sa.ForeignKey("shipments.id"), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("raw_status", sa.Text, nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("choice", sa.String(20), nullable=True),
        sa.Column("detail", sa.Text, nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_delivery_recoveries_order_id", "delivery_recoveries", ["order_id"])
    op.create_index("ix_delivery_recoveries_created_at", "delivery_recoveries", ["created_at"])


def downgrade() -> None:
    op.drop_table("delivery_recoveries")
