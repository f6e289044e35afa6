"""widen balance and amount columns to bigint

Revision ID: a2f6c8d4e190
Revises: c47d2e9a1f06
Create Date: 2023-04-11 08:18:37.551920

Treasury accounts are getting close to the int4 limit (about 21.4M USD in cents).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "a2f6c8d4e190"
down_revision: Union[str, None] = "c47d2e9a1f06"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '4s'")
    op.alter_column(  # expect: ZDM
        "accounts",
        "balance_cents",
        existing_type=sa.Integer(),
        type_=sa.BigInteger(),
        existing_nullable=False,
        existing_server_default=sa.text("0"),
    )
    op.alter_column(  # expect: ZDM
        "journal_entries",
        "amount_cents",
        existing_type=sa.Integer(),
        type_=sa.BigInteger(),
        existing_nullable=False,
    )


def downgrade() -> None:  # expect: MIGRATION
    raise NotImplementedError(
        "bigint -> int is lossy once balances exceed 2**31; restore from a snapshot instead"
    )
