"""delivery: who overrode a risk decision, and when

Revision ID: delivery_4
Revises: delivery_3
Create Date: 2026-12-05 20:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'delivery_4'
down_revision = 'delivery_3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("risk_decisions") as batch:
        batch.add_column(sa.Column("overridden_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("overridden_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("risk_decisions") as batch:
        batch.drop_column("overridden_at")
        batch.drop_column("overridden_by")
