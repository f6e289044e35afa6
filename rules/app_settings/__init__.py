"""Application settings the checklist can prove (`auto` items): debug mode, TLS
verification, CORS with credentials, CSRF protection."""

from .cors import CorsWildcardWithCredentials
from .csrf import CsrfProtectionDisabled
from .debug import DebugEnabled
from .tls import TlsVerificationDisabled

RULES = (DebugEnabled, TlsVerificationDisabled, CorsWildcardWithCredentials, CsrfProtectionDisabled)

__all__ = [rule.__name__ for rule in RULES] + ["RULES"]
