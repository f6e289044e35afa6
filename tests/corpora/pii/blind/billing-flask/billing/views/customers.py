import logging

from flask import Blueprint, abort, current_app, g, jsonify, request

from billing.auth import require_api_key
from billing.logging_conf import mask_email
from billing.repositories import customers as repo

bp = Blueprint("customers", __name__, url_prefix="/customers")
logger = logging.getLogger(__name__)


@bp.post("")
@require_api_key("customers:write")
def create_customer():
    payload = request.get_json(force=True)
    logger.debug("create_customer payload=%s", payload)  # expect: PII
    email = (payload.get("email") or "").strip().lower()
    if "@" not in email:
        logger.warning("rejected customer with invalid email %r", email)  # expect: PII
        abort(400, description="invalid email")
    if repo.email_exists(email):
        logger.info("duplicate signup attempt for %s", mask_email(email))  # ok: PII
        abort(409)

    customer = repo.create_customer(
        email=email,
        name=payload.get("name"),
        billing_address=payload.get("billing_address"),
        vat_number=payload.get("vat_number"),
    )
    logger.info("customer created", extra={"customer_id": customer["id"], "plan": payload.get("plan")})  # ok: PII
    current_app.logger.info("new customer %s", customer)  # expect: PII
    return jsonify(customer), 201


@bp.get("/<int:customer_id>")
@require_api_key("customers:read")
def get_customer(customer_id):
    customer = repo.get_customer(customer_id)
    if customer is None:
        logger.info("customer %s not found (ua=%s)", customer_id, request.headers.get("User-Agent"))  # ok: PII
        abort(404)
    return jsonify(customer)


@bp.put("/<int:customer_id>/address")
@require_api_key("customers:write")
def update_address(customer_id):
    address = request.json["billing_address"]
    if not isinstance(address, dict) or "country" not in address:
        logger.warning(f"invalid address payload for customer {customer_id}: {request.json}")  # expect: PII
        abort(400)
    repo.update_address(customer_id, address)
    logger.info("customer %s updated billing address (%d fields)", customer_id, len(address))  # ok: PII
    return "", 204


@bp.get("/search")
@require_api_key("admin")
def search():
    field = request.args.get("field", "email")
    term = request.args.get("q", "")
    rows = repo.search(field, term)
    logger.info("search by %s (term length %d) by key %s", field, len(term), g.api_key_id)  # ok: PII
    return jsonify(rows)


@bp.patch("/<int:customer_id>")
@require_api_key("admin")
def patch_customer(customer_id):
    changes = {k: v for k, v in request.get_json().items() if k in {"name", "email", "vat_number", "plan"}}
    if not changes:
        abort(400)
    repo.update_fields(customer_id, changes)
    logger.info(  # ok: PII
        "admin patch on customer %s: fields=%s email_changed=%s",
        customer_id,
        ",".join(changes),
        "email" in changes,
    )
    if "email" in changes:
        logger.info("customer %s email changed to %s", customer_id, changes["email"])  # expect: PII
    return "", 204


@bp.delete("/<int:customer_id>")
@require_api_key("admin")
def delete_customer(customer_id):
    customer = repo.get_customer(customer_id)
    if customer is None:
        abort(404)
    repo.delete_customer(customer_id, hard=request.args.get("hard") == "1")
    logger.warning("deleted customer %s (%s)", customer_id, customer["email"])  # expect: PII
    return "", 204
