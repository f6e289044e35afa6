import hmac
import logging
from hashlib import sha256

from flask import Blueprint, abort, current_app, g, jsonify, request

from billing import psp
from billing.auth import require_api_key
from billing.db import cursor, set_statement_timeout
from billing.logging_conf import mask_pan
from billing.repositories import invoices as repo

bp = Blueprint("invoices", __name__, url_prefix="/invoices")
logger = logging.getLogger(__name__)


@bp.get("")
@require_api_key("invoices:read")
def list_invoices():
    rows = repo.list_invoices(
        g.customer_id,
        status=request.args.get("status"),
        sort=request.args.get("sort", "issued_at"),
        direction=request.args.get("dir", "desc"),
    )
    return jsonify(rows)


@bp.get("/stats")
@require_api_key("invoices:read")
def stats():
    set_statement_timeout(5000)
    group = request.args.get("group", "status")
    with cursor() as cur:
        if group == "currency":
            cur.execute(
                "SELECT currency AS key, count(*) AS n FROM billing.invoices WHERE customer_id = %s GROUP BY 1",
                (g.customer_id,),
            )
        else:
            cur.execute(
                "SELECT %s AS key, count(*) AS n FROM billing.invoices WHERE customer_id = %d GROUP BY 1"
                % (group, g.customer_id)
            )
        return jsonify(cur.fetchall())


@bp.post("/<int:invoice_id>/pay")
@require_api_key("invoices:pay")
def pay_invoice(invoice_id):
    body = request.get_json()
    card = body["card"]
    print("paying invoice", invoice_id, card)  # expect: PII
    logger.info(  # ok: PII
        "charging invoice %s with %s card ending %s",
        invoice_id,
        card.get("brand"),
        card["number"][-4:],
    )
    try:
        result = psp.charge(invoice_id=invoice_id, card=card)
    except psp.CardDeclined as exc:
        logger.warning("charge declined for invoice %s: %s (cvc_check=%s)", invoice_id, exc.code, exc.cvc_check)  # ok: PII
        abort(402)
    except psp.PSPError:
        logger.exception(  # expect: PII
            "PSP error for invoice %s card=%s exp=%s/%s cvc=%s",
            invoice_id,
            card["number"],
            card["exp_month"],
            card["exp_year"],
            card["cvc"],
        )
        abort(502)
    repo.mark_paid(invoice_id, result.paid_at, result.reference)
    logger.info("invoice %s paid with %s", invoice_id, mask_pan(card["number"]))  # ok: PII
    return jsonify({"status": "paid", "reference": result.reference})


@bp.post("/refund")
@require_api_key("invoices:refund")
def refund():
    iban = request.form["iban"]
    holder = request.form["account_holder"]
    invoice_id = int(request.form["invoice_id"])
    logger.info("refund requested", extra={"invoice_id": invoice_id, "iban": iban, "holder": holder})  # expect: PII
    psp.refund_to_account(invoice_id, iban=iban, holder=holder)
    logger.info("refund submitted for invoice %s, iban_valid=%s", invoice_id, psp.iban_checksum_ok(iban))  # ok: PII
    return "", 202


@bp.post("/webhooks/psp")
def psp_webhook():
    signature = request.headers.get("X-PSP-Signature", "")
    secret = current_app.config["PSP_WEBHOOK_SECRET"].encode()
    expected = hmac.new(secret, request.data, sha256).hexdigest()
    if not hmac.compare_digest(signature, expected):
        logger.warning("bad webhook signature, raw body: %s", request.data[:2000])  # expect: PII
        abort(400)
    event = request.get_json()
    logger.info("psp event %s type=%s", event.get("id"), event.get("type"))  # ok: PII
    if event["type"] == "charge.refunded":
        current_app.logger.debug("refund event payload: %s", event)  # expect: PII
        with cursor() as cur:
            cur.execute(
                "UPDATE billing.invoices SET status = 'refunded' WHERE payment_ref = '"
                + event["data"]["reference"]
                + "'"
            )
    return "", 204
