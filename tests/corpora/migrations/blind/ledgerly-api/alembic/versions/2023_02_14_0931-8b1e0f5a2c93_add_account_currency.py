"""add account currency and closed_at

Revision ID: 8b1e0f5a2c93
Revises: 3f2a9c1d7b44
Create Date: 2023-02-14 09:31:05.402117

Multi-currency support (LEDG-88). Existing accounts are all USD, so a constant
server default is enough; Postgres stores it in the catalog without a rewrite.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "8b1e0f5a2c93"
down_revision: Union[str, None] = "3f2a9c1d7b44"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column(  # ok: ZDM
        "accounts",
        sa.Column("currency", sa.String(length=3), server_default="USD", nullable=False),
    )
    op.add_column("accounts", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))  # ok: ZDM
    op.create_index("ix_accounts_currency", "accounts", ["currency"])  # expect: ZDM


def downgrade() -> None:
    op.drop_index("ix_accounts_currency", table_name="accounts")
    op.drop_column("accounts", "closed_at")  # ok: MIGRATION
    op.drop_column("accounts", "currency")  # ok: MIGRATION
