"""drop the Rails-era legacy ledger

Revision ID: 47ad0e6b2c98
Revises: e2c57a8f9b13
Create Date: 2023-08-07 16:41:12.095384

legacy_ledger_rows and its index were created by the old Rails app before this
repository used Alembic. Finance signed off on the reconciliation (LEDG-171).

Also the contract step for journal_entries.memo (0c3f9a6e2b78): every client
reads memo since 2.14, so description goes.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "47ad0e6b2c98"
down_revision: Union[str, None] = "e2c57a8f9b13"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_index("ix_legacy_ledger_rows_account", table_name="legacy_ledger_rows")  # ok: MIGRATION
    op.drop_table("legacy_ledger_rows")  # expect: MIGRATION
    op.drop_constraint("ck_accounts_old_balance_positive", "accounts", type_="check")  # ok: MIGRATION
    op.drop_column("accounts", "old_balance")  # expect: MIGRATION
    op.drop_column("journal_entries", "description")  # expect: MIGRATION
    # Retention: closed accounts are kept for seven years, then purged.
    op.execute(  # ok: MIGRATION
        "DELETE FROM accounts WHERE closed_at IS NOT NULL "
        "AND closed_at < now() - interval '7 years' "
        "AND NOT EXISTS (SELECT 1 FROM journal_entries je WHERE je.account_id = accounts.id)"
    )
    # op.drop_table("legacy_ledger_audit")  # ok: MIGRATION
    # ^ keep the audit copy until the 2024 external audit is closed.


def downgrade() -> None:
    op.add_column("journal_entries", sa.Column("description", sa.Text(), nullable=True))
    op.add_column(
        "accounts",
        sa.Column("old_balance", sa.Numeric(precision=12, scale=2), nullable=True),
    )
    op.create_table(
        "legacy_ledger_rows",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
    )
    op.create_index(  # ok: ZDM
        "ix_legacy_ledger_rows_account", "legacy_ledger_rows", ["account_id"]
    )
