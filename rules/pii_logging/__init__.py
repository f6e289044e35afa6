"""The PII-logging family (checklist slug ``pii-logging``): personal data and secrets in
log calls, traced back through local variables with :class:`~prodready_lint.sdk.DataFlow`."""

from .request_body import RequestBodyLogged
from .sensitive import SensitiveValueLogged
from .user_object import UserObjectLogged

RULES = (SensitiveValueLogged, RequestBodyLogged, UserObjectLogged)

__all__ = [rule.__name__ for rule in RULES] + ["RULES"]
