"""add journal_entries.memo and backfill it from description

Revision ID: 0c3f9a6e2b78
Revises: a2f6c8d4e190
Create Date: 2023-05-04 09:57:40.210033

`description` stays for now; the API starts reading `memo` in 2.14 and
`description` will be dropped once every client is on 2.14+.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0c3f9a6e2b78"
down_revision: Union[str, None] = "a2f6c8d4e190"  # ok: MIGRATION
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH_SIZE = 5_000


def upgrade() -> None:
    op.add_column("journal_entries", sa.Column("memo", sa.Text(), nullable=True))  # ok: ZDM

    # Copy in small committed batches so no long transaction holds row locks.
    with op.get_context().autocommit_block():
        conn = op.get_bind()
        while True:
            result = conn.execute(
                sa.text(
                    "UPDATE journal_entries SET memo = description "
                    "WHERE id IN (SELECT id FROM journal_entries "
                    "WHERE memo IS NULL AND description IS NOT NULL LIMIT :batch)"
                ),
                {"batch": BATCH_SIZE},
            )
            if result.rowcount == 0:
                break

    # Review flags are recomputed nightly by the risk job from now on; start clean.
    op.execute("UPDATE accounts SET requires_review = false")  # expect: MIGRATION


def downgrade() -> None:
    op.drop_column("journal_entries", "memo")  # ok: MIGRATION
