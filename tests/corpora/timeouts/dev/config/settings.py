"""Django settings for the storefront project."""

import os
from pathlib import Path

import redis

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-insecure-key")  # ok: TMO001
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "storefront.catalog",
    "storefront.checkout",
    "storefront.notifications",
]

# Outbound HTTP: every integration reads these instead of hard-coding numbers.
HTTP_TIMEOUT = 10
HTTP_CONNECT_TIMEOUT = 3.05
REPORTS_HTTP_TIMEOUT = None  # reports endpoints stream for a long time

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("PGDATABASE", "storefront"),
        "USER": os.environ.get("PGUSER", "storefront"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
        "HOST": os.environ.get("PGHOST", "localhost"),
        "PORT": os.environ.get("PGPORT", "5432"),
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"connect_timeout": 5},
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("CACHE_URL", "redis://localhost:6379/1"),
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 1},
        "TIMEOUT": None,
    }
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_USE_TLS = True
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = "Storefront <no-reply@storefront.example>"

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/2")
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 5, "visibility_timeout": 3600}

# Used by the rate limiter middleware; created at import time so every worker shares it.
RATELIMIT_REDIS = redis.Redis.from_url(os.environ.get("RATELIMIT_REDIS_URL", "redis://localhost:6379/3"))  # expect: TMO006

FEATURE_FLAGS_REDIS = redis.Redis.from_url(  # ok: TMO006
    os.environ.get("FLAGS_REDIS_URL", "redis://localhost:6379/4"),
    socket_timeout=0.25,
    socket_connect_timeout=0.25,
)

SESSION_ENGINE = "django.contrib.sessions.backends.cache"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
