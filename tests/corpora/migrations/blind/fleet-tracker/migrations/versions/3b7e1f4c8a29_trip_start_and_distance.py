"""trip start time and distance

Revision ID: 3b7e1f4c8a29
Revises: 92d3a6f0c5e8
Create Date: 2023-04-24 17:48:03.664120

"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b7e1f4c8a29'
down_revision = '92d3a6f0c5e8'
branch_labels = None
depends_on = None


def upgrade():
    # `default=` is applied by SQLAlchemy on INSERT only, the column gets no DB default.
    op.add_column('trips', sa.Column('started_at', sa.DateTime(), nullable=False, default=datetime.utcnow))  # expect: ZDM
    op.add_column('trips', sa.Column('distance_m', sa.Integer(), nullable=False, server_default=sa.text('0')))  # ok: ZDM
    op.create_index('ix_trips_started_at', 'trips', ['started_at'], unique=False, postgresql_concurrently=True)  # expect: ZDM
    # Dispatchers pasted customer phone numbers into trip notes (DPO ticket PRIV-17).
    op.execute("UPDATE trips SET notes = NULL")  # expect: MIGRATION


def downgrade():
    op.drop_index('ix_trips_started_at', table_name='trips')
    op.drop_column('trips', 'distance_m')  # ok: MIGRATION
    op.drop_column('trips', 'started_at')  # ok: MIGRATION
