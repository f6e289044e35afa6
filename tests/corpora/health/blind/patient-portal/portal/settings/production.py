import os

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
