"""Billing API (Flask).

Serves invoices and customers for the self-serve plans. Card payments are
delegated to the PSP; we never store full card numbers ourselves.
"""
import logging

from flask import Flask, request

from billing import db
from billing.logging_conf import configure_logging

logger = logging.getLogger("billing")


def create_app(config_object=None):
    app = Flask(__name__)
    app.config.from_object(config_object or "billing.settings.Production")
    app.config.from_prefixed_env("BILLING")

    configure_logging(app)
    db.init_pool(app)

    from billing.views import customers, invoices

    app.register_blueprint(customers.bp)
    app.register_blueprint(invoices.bp)

    @app.before_request
    def _log_request():
        app.logger.debug("%s %s ua=%s", request.method, request.path, request.headers.get("User-Agent"))  # ok: PII
        app.logger.debug("authorization present: %s", "Authorization" in request.headers)  # ok: PII
        if app.config.get("LOG_REQUEST_BODIES"):
            # TODO(ops-412): remove once the PSP migration is done
            app.logger.debug("request body: %s", request.data)  # expect: PII

    @app.after_request
    def _log_response(response):
        app.logger.info(
            "%s %s -> %s (%s bytes)",
            request.method,
            request.path,
            response.status_code,
            response.content_length,
        )
        return response

    @app.errorhandler(500)
    def _internal_error(exc):
        app.logger.exception("unhandled error on %s, headers=%s", request.path, dict(request.headers))  # expect: PII
        return {"error": "internal"}, 500

    @app.errorhandler(400)
    def _bad_request(exc):
        logger.info("bad request on %s: %s (header names: %s)", request.path, exc, list(request.headers.keys()))  # ok: PII
        return {"error": "bad_request", "detail": getattr(exc, "description", None)}, 400

    @app.get("/healthz")
    def healthz():
        db.ping()
        return {"status": "ok"}

    return app
