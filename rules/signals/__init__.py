"""The signals family: readiness evidence across the repository and the `auto` checks
of application settings."""

RULES = ()

__all__ = ["RULES"]
