"""add journal_entries.external_ref and accounts.kyc_level

Revision ID: c47d2e9a1f06
Revises: 8b1e0f5a2c93
Create Date: 2023-03-02 16:45:51.880912

External reference coming from the payment processor webhooks, used to make
entry creation idempotent. kyc_level mirrors the compliance vendor's tiers.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c47d2e9a1f06"
down_revision: Union[str, None] = "8b1e0f5a2c93"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column(  # expect: ZDM
        "journal_entries",
        sa.Column("external_ref", sa.String(length=64), nullable=False),
    )
    op.create_index(  # expect: ZDM
        "ix_journal_entries_external_ref",
        "journal_entries",
        ["external_ref"],
        unique=True,
    )
    op.add_column(  # expect: ZDM
        "accounts",
        sa.Column("kyc_level", sa.SmallInteger(), nullable=False, server_default=None),
    )


def downgrade() -> None:
    op.drop_column("accounts", "kyc_level")  # ok: MIGRATION
    op.drop_index("ix_journal_entries_external_ref", table_name="journal_entries")  # ok: MIGRATION
    op.drop_column("journal_entries", "external_ref")  # ok: MIGRATION
