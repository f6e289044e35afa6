"""telemetry cleanup

Revision ID: c6f0a9d2e713
Revises: 3b7e1f4c8a29
Create Date: 2023-06-02 11:30:40.118250

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c6f0a9d2e713'
down_revision = '3b7e1f4c8a29'
branch_labels = None
depends_on = None


def upgrade():
    # Pings older than 90 days live in the S3 archive (scripts/archive_pings.py).
    op.execute(sa.text("DELETE FROM telemetry_pings WHERE recorded_at < now() - interval '90 days'"))  # ok: MIGRATION
    # Staging copy from the 2022 Geotab import; nothing reads it any more.
    op.execute("TRUNCATE telemetry_pings_import")  # expect: MIGRATION
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.drop_column('legacy_gps')  # expect: MIGRATION
    # v1 geofences were polygons in a text column; v2 lives in PostGIS (FLEET-260).
    op.drop_table('geofences_v1')  # expect: MIGRATION


def downgrade():
    op.create_table('geofences_v1',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('polygon_wkt', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legacy_gps', sa.String(length=64), nullable=True))
