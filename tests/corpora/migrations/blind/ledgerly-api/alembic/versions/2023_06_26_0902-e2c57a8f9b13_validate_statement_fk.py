"""validate journal_entries -> statements FK, make statement_id required

Revision ID: e2c57a8f9b13
Revises: b9e4017c3d5a
Create Date: 2023-06-26 09:02:31.774518

Step 2 of 2. The statement worker attached every historical entry to a statement
over the weekend (see LEDG-140); open periods get a draft statement.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "e2c57a8f9b13"
down_revision: Union[str, None] = "b9e4017c3d5a"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute(  # ok: ZDM
        sa.text("ALTER TABLE journal_entries VALIDATE CONSTRAINT fk_journal_entries_statement_id")
    )
    op.alter_column(  # expect: ZDM
        "journal_entries",
        "statement_id",
        existing_type=sa.BigInteger(),
        nullable=False,
    )


def downgrade() -> None:  # ok: MIGRATION
    """Only relaxes NOT NULL again; the validated FK stays."""
    op.alter_column(
        "journal_entries",
        "statement_id",
        existing_type=sa.BigInteger(),
        nullable=True,
    )
