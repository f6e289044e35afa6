"""merge statements and memo branches

Revision ID: 6fa2d9c0e417
Revises: d81b7e3f4a52, 0c3f9a6e2b78
Create Date: 2023-05-04 15:30:22.918470

"""
from typing import Sequence, Union

# revision identifiers, used by Alembic.
revision: str = "6fa2d9c0e417"
down_revision: Union[str, None] = ("d81b7e3f4a52", "0c3f9a6e2b78")  # ok: MIGRATION
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:  # expect: MIGRATION
    pass
