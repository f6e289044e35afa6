"""add monthly statements

Revision ID: d81b7e3f4a52
Revises: a2f6c8d4e190
Create Date: 2023-05-03 14:20:09.664051

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "d81b7e3f4a52"
down_revision: Union[str, None] = "a2f6c8d4e190"  # ok: MIGRATION
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "statements",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("closing_balance_cents", sa.BigInteger(), nullable=False),
        sa.Column("pdf_key", sa.String(length=255), nullable=True),
        sa.Column(
            "generated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
    )
    # statements is brand new and empty: plain DDL is fine here.
    op.create_foreign_key(  # ok: ZDM
        "fk_statements_account_id_accounts",
        "statements",
        "accounts",
        ["account_id"],
        ["id"],
    )
    op.create_check_constraint(  # ok: ZDM
        "ck_statements_period_order", "statements", "period_end >= period_start"
    )
    op.create_index(  # ok: ZDM
        "uq_statements_account_period",
        "statements",
        ["account_id", "period_start"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_statements_account_period", table_name="statements")
    op.drop_table("statements")  # ok: MIGRATION
