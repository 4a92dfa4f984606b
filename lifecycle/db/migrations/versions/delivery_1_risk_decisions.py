"""delivery: the risk decision taken on each new COD order

Revision ID: delivery_1
Revises: channel_1
Create Date: 2026-12-05 19:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'delivery_1'
down_revision = 'channel_1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risk_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False, unique=True),
        sa.Column("band", sa.String(20), nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("advance", sa.Numeric(12, 2), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_risk_decisions_band", "risk_decisions", ["band"])
    op.create_index("ix_risk_decisions_created_at", "risk_decisions", ["created_at"])


def downgrade() -> None:
    op.drop_table("risk_decisions")
