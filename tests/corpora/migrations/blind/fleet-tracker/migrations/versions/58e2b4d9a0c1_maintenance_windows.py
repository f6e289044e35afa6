"""maintenance windows

Revision ID: 58e2b4d9a0c1
Revises: c6f0a9d2e713
Create Date: 2023-07-10 14:02:17.402983

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '58e2b4d9a0c1'
down_revision = 'c6f0a9d2e713'  # expect: MIGRATION
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('maintenance_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_maintenance_windows_vehicle_id', 'maintenance_windows', ['vehicle_id'], unique=False)  # ok: ZDM
    op.create_check_constraint('ck_maintenance_windows_range', 'maintenance_windows', 'ends_at > starts_at')  # ok: ZDM
    op.create_check_constraint('ck_vehicles_odometer_non_negative', 'vehicles', 'odometer_km >= 0')  # expect: ZDM


def downgrade():
    op.drop_constraint('ck_vehicles_odometer_non_negative', 'vehicles', type_='check')
    op.drop_index('ix_maintenance_windows_vehicle_id', table_name='maintenance_windows')
    op.drop_table('maintenance_windows')  # ok: MIGRATION
