"""vehicle tags

Revision ID: ad1f7c3e6b95
Revises: c6f0a9d2e713
Create Date: 2023-07-11 08:55:31.220764

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'ad1f7c3e6b95'
down_revision = 'c6f0a9d2e713'  # expect: MIGRATION
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('vehicles', sa.Column('tags', postgresql.ARRAY(sa.String(length=32)), server_default='{}', nullable=False))  # ok: ZDM
    with op.get_context().autocommit_block():
        op.create_index(  # ok: ZDM
            'ix_vehicles_tags',
            'vehicles',
            ['tags'],
            unique=False,
            postgresql_using='gin',
            postgresql_concurrently=True,
        )


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index('ix_vehicles_tags', table_name='vehicles', postgresql_concurrently=True)
    op.drop_column('vehicles', 'tags')  # ok: MIGRATION
