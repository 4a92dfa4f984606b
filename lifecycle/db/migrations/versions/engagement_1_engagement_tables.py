"""engagement tables: cart recovery, discount codes, CSAT, escalation activity, agent alerts, win-back

Revision ID: engagement_1
Revises: 0001
Create Date: 2026-11-29 07:51:06.166738
"""
import sqlalchemy as sa
from alembic import op

revision = 'engagement_1'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('discount_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('issued_for', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.String(length=30), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('cart_id', sa.Integer(), nullable=True),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('redeemed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('redeemed_order_ref', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['cart_id'], ['carts.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code'),
    sa.UniqueConstraint('issued_for')
    )
    with op.batch_alter_table('discount_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discount_codes_customer_id'), ['customer_id'], unique=False)

    op.create_table('cart_recoveries',
    sa.Column('cart_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_stage_sent', sa.Integer(), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stopped_reason', sa.String(length=100), nullable=True),
    sa.Column('suppressed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recovered_stage', sa.Integer(), nullable=True),
    sa.Column('recovered_order_id', sa.Integer(), nullable=True),
    sa.Column('recovered_revenue', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('recovered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cart_id'], ['carts.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.ForeignKeyConstraint(['recovered_order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('cart_id')
    )
    with op.batch_alter_table('cart_recoveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cart_recoveries_customer_id'), ['customer_id'], unique=False)

    op.create_table('csat_responses',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('order_id')
    )
    with op.batch_alter_table('csat_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_csat_responses_customer_id'), ['customer_id'], unique=False)

    op.create_table('winback_states',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('last_order_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_order_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('next_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.ForeignKeyConstraint(['last_order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('customer_id')
    )
    with op.batch_alter_table('winback_states', schema=None) as batch_op:
        batch_op.create_index('ix_winback_next_due', ['next_due_at'], unique=False)

    op.create_table('agent_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agent_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_agent_alerts_due', ['state', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agent_alerts_escalation_id'), ['escalation_id'], unique=False)

    op.create_table('escalation_activity',
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('conversation', sa.JSON(), nullable=False),
    sa.Column('first_reply_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('bot_paused', sa.Boolean(), nullable=False),
    sa.Column('handed_back_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], ),
    sa.PrimaryKeyConstraint('escalation_id')
    )
    op.create_table('agent_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('agent', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('outbox_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], ),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox_messages.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agent_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_replies_escalation_id'), ['escalation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('agent_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_replies_escalation_id'))

    op.drop_table('agent_replies')
    op.drop_table('escalation_activity')
    with op.batch_alter_table('agent_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_alerts_escalation_id'))
        batch_op.drop_index('ix_agent_alerts_due')

    op.drop_table('agent_alerts')
    with op.batch_alter_table('winback_states', schema=None) as batch_op:
        batch_op.drop_index('ix_winback_next_due')

    op.drop_table('winback_states')
    with op.batch_alter_table('csat_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_csat_responses_customer_id'))

    op.drop_table('csat_responses')
    with op.batch_alter_table('cart_recoveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cart_recoveries_customer_id'))

    op.drop_table('cart_recoveries')
    with op.batch_alter_table('discount_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discount_codes_customer_id'))

    op.drop_table('discount_codes')
