"""Logging setup: JSON lines on stdout plus a best-effort redaction filter.

The filter is a safety net, nothing more. Reviewers: a call that logs an email
or a card number is still a bug even though this filter would mask it.
"""
import json
import logging
import re
import sys
import time

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PAN_RE = re.compile(r"\b(?:\d[ -]?){13,19}\b")
BEARER_RE = re.compile(r"(?i)bearer\s+[a-z0-9._~+/-]+=*")

logger = logging.getLogger(__name__)


def mask_email(address: str) -> str:
    """j***@example.com -- enough for support to recognise a customer."""
    local, _, domain = (address or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_pan(pan: str) -> str:
    digits = "".join(ch for ch in pan or "" if ch.isdigit())
    return f"**** {digits[-4:]}" if len(digits) >= 4 else "****"


class RedactingFilter(logging.Filter):
    """Masks emails, PANs and bearer tokens in the rendered message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        message = EMAIL_RE.sub("<email>", message)
        message = PAN_RE.sub("<pan>", message)
        message = BEARER_RE.sub("Bearer <redacted>", message)
        record.msg, record.args = message, ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in ("request_id", "customer_id", "invoice_id"):
            if hasattr(record, key):
                doc[key] = getattr(record, key)
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return json.dumps(doc, default=str)


def configure_logging(app) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter())

    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    logger.info(  # ok: PII
        "logging configured: level=%s, redaction patterns=%s",
        logging.getLevelName(root.level),
        [EMAIL_RE.pattern, PAN_RE.pattern],
    )
