"""rename drivers to operators

Revision ID: 92d3a6f0c5e8
Revises: e4b8c0926f1d
Create Date: 2023-03-08 09:14:55.310442

Not everybody behind the wheel is an employed driver any more (contractors,
mechanics moving vehicles), so "operator" it is. FLEET-212.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '92d3a6f0c5e8'
down_revision = 'e4b8c0926f1d'
branch_labels = None
depends_on = None


def upgrade():
    op.rename_table('drivers', 'operators')  # expect: ZDM
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.alter_column('driver_id',  # expect: ZDM
               new_column_name='operator_id',
               existing_type=sa.Integer(),
               existing_nullable=False)


def downgrade():  # expect: MIGRATION
    # Renames are forward-only for us: the mobile app already shipped against
    # /operators. Roll forward instead.
    pass
