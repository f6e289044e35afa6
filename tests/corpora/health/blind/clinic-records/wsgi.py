"""Gunicorn entrypoint: ``gunicorn wsgi:app``."""
from clinic_records import create_app

app = create_app()  # ok: HEALTH
