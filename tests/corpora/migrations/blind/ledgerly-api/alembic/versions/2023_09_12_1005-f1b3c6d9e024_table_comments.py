"""document ledger tables in the catalog

Revision ID: f1b3c6d9e024
Revises: 47ad0e6b2c98
Create Date: 2023-09-12 10:05:48.390021

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "f1b3c6d9e024"
down_revision: Union[str, None] = "47ad0e6b2c98"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("COMMENT ON TABLE journal_entries IS 'Append-only. Never DELETE or TRUNCATE; post a reversing entry.'")  # ok: MIGRATION
    op.create_table_comment(  # ok: MIGRATION
        "accounts",
        "Customer ledger accounts. DROP TABLE or DROP COLUMN here needs CFO sign-off.",
    )


def downgrade() -> None:  # expect: MIGRATION
    """Comments are documentation only; nothing to undo."""
