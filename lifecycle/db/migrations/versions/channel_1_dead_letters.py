"""channel: dead letters, the channel events that could not be applied

Revision ID: channel_1
Revises: analytics_2
Create Date: 2026-12-05 17:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'channel_1'
down_revision = 'analytics_2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_dead_letters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_channel_dead_letters_resolved_at", "channel_dead_letters", ["resolved_at"])


def downgrade() -> None:
    op.drop_table("channel_dead_letters")
