"""delivery: an order's location pin and landmark, asked for a weak address

Revision ID: delivery_2
Revises: delivery_1
Create Date: 2026-12-05 19:55:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'delivery_2'
down_revision = 'delivery_1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("location", sa.JSON, nullable=True))
        batch.add_column(sa.Column("landmark", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("landmark")
        batch.drop_column("location")
