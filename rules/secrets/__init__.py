"""The secrets family (checklist slugs ``secrets`` and ``secrets-management``): hardcoded
credentials in every file kind a repository keeps them in."""

from .config_rule import CredentialInConfig
from .python_rule import HardcodedCredential
from .store import SecretOutsideStore
from .tokens import VendorToken
from .urls import PasswordInUrl

RULES = (HardcodedCredential, VendorToken, PasswordInUrl, CredentialInConfig, SecretOutsideStore)

__all__ = [rule.__name__ for rule in RULES] + ["RULES"]
