"""link journal entries to statements

Revision ID: b9e4017c3d5a
Revises: 6fa2d9c0e417
Create Date: 2023-06-19 11:13:58.301266

Step 1 of 2: add the column and a NOT VALID foreign key (no table scan, only a
brief lock). The constraint is validated in the next revision.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "b9e4017c3d5a"
down_revision: Union[str, None] = "6fa2d9c0e417"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("journal_entries", sa.Column("statement_id", sa.BigInteger(), nullable=True))  # ok: ZDM
    op.execute(  # ok: ZDM
        "ALTER TABLE journal_entries ADD CONSTRAINT fk_journal_entries_statement_id "
        "FOREIGN KEY (statement_id) REFERENCES statements (id) NOT VALID"
    )
    # Product asked for this one "while we're at it"; accounts is small, they said.
    op.create_check_constraint(  # expect: ZDM
        "ck_accounts_name_not_blank",
        "accounts",
        sa.text("length(btrim(name)) > 0"),
    )


def downgrade() -> None:
    op.drop_constraint("ck_accounts_name_not_blank", "accounts", type_="check")
    op.drop_constraint("fk_journal_entries_statement_id", "journal_entries", type_="foreignkey")
    op.drop_column("journal_entries", "statement_id")  # ok: MIGRATION
