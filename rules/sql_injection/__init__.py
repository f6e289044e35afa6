"""The SQL-injection family (checklist slug ``sql-injection``): SQL text built from
non-constant parts reaching the call that runs it, traced back through local variables
with :class:`~prodready_lint.sdk.DataFlow`."""

from .django_raw import DjangoRawSqlBuilt
from .driver import SqlBuiltForDriver
from .sqlalchemy_text import SqlAlchemyTextBuilt

RULES = (SqlBuiltForDriver, SqlAlchemyTextBuilt, DjangoRawSqlBuilt)

__all__ = [rule.__name__ for rule in RULES] + ["RULES"]
