"""Billing service configuration, read once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BILLING_", env_file=".env")

    database_url: str = "postgresql+asyncpg://billing:B1ll-Pg-2024@pg.billing.svc:5432/billing"  # expect: SEC003
    redis_url: str = "redis://redis.billing.svc:6379/0"
    stripe_api_key: str = "sk_live_EXAMPLEbillingEXAMPLE0000"  # expect: SEC002
    stripe_publishable_key: str = "pk_live_EXAMPLEbillingEXAMPLE0000"
    stripe_webhook_secret: str = ""
    jwt_secret: str = "billing-jwt-s1gning-k3y-v2"  # expect: SEC001
    jwt_algorithm: str = "HS256"
    jwt_audience: str = "billing-api"
    access_token_expire_minutes: int = 30
    admin_password: str | None = None
    sentry_dsn: str | None = None
    oauth_token_url: str = "https://login.example.com/oauth2/token"
    oauth_client_id: str = "billing-service"
    oauth_client_secret: str = os.getenv("OAUTH_CLIENT_SECRET", "0auth-Cl1ent-S3cret")  # expect: SEC001


@dataclass
class SmtpConfig:
    host: str = "smtp.mailgun.org"
    port: int = 587
    username: str = "postmaster@mg.example.com"
    password: str = "mg-Smtp-Pa55-2024"  # expect: SEC001
    use_tls: bool = True
    password_env: str = "SMTP_PASSWORD"
    headers: dict = field(default_factory=lambda: {"X-Mailgun-Tag": "billing"})


@lru_cache
def get_settings() -> Settings:
    return Settings()


INVOICE_TOKEN_TTL = 3600
PASSWORD_RESET_TEMPLATE = "emails/password_reset.html"
API_KEY_PREFIX = "bk_"
TOKEN_BYTES = 32
AUTH_HEADER_NAME = "Authorization"
CSRF_TOKEN_COOKIE = "billing_csrftoken"
SECRET_MANAGER_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/prod-AbCdEf"
