"""Celery tasks for the warehouse worker.

    celery -A etl.tasks worker -Q etl --concurrency 4
"""
from __future__ import annotations

import datetime as dt

import requests
from celery import Celery
from celery.utils.log import get_task_logger
from loguru import logger
from sqlalchemy import text

from etl import extract, load, maintenance
from etl.config import settings, sources
from etl.privacy import hash_email, redact

app = Celery("etl", broker=settings.broker_url)
app.conf.task_acks_late = True
task_log = get_task_logger(__name__)


@app.task(bind=True, max_retries=3, default_retry_delay=120)
def run_source(self, source_name: str) -> int:
    source = sources[source_name]
    total = 0
    try:
        for chunk in extract.extract_incremental(source):
            total += load.stage(chunk, source)
        load.merge(source)
        load.record_load(source, total, "ok")
    except Exception as exc:
        task_log.exception("load of %s failed after %d rows", source_name, total)
        load.record_load(source, total, "failed")
        raise self.retry(exc=exc)
    task_log.info("loaded %s: %d rows", source_name, total)
    return total


@app.task
def nightly_maintenance() -> None:
    maintenance.create_next_partitions()
    maintenance.archive_old_partitions()
    load.analyze_warehouse()


@app.task(bind=True, max_retries=5)
def push_customer_to_crm(self, customer: dict) -> None:
    """Mirror a warehouse customer into the CRM (HubSpot-style REST API)."""
    log = logger.bind(customer_id=customer["id"], task_id=self.request.id)  # ok: PII
    log.info("pushing customer to CRM")
    headers = {"Authorization": f"Bearer {settings.crm_token}"}
    try:
        resp = requests.post(
            f"{settings.crm_url}/contacts",
            json={"email": customer["email"], "phone": customer.get("phone"), "country": customer["country"]},
            headers=headers,
            timeout=15,
        )
        resp.raise_for_status()
    except requests.HTTPError as exc:
        log.warning("CRM rejected contact {}: {}", customer, exc)  # expect: PII
        raise self.retry(exc=exc, countdown=2 ** self.request.retries * 30)
    except requests.ConnectionError as exc:
        logger.error("CRM unreachable, token={} url={}", settings.crm_token, settings.crm_url)  # expect: PII
        raise self.retry(exc=exc)
    log.info("CRM contact upserted, email hash {}", hash_email(customer["email"]))  # ok: PII
    print(f"crm sync ok for {customer['email']}")  # expect: PII


@app.task
def gdpr_export(customer_id: int, requester_email: str) -> str:
    """Collect everything we hold about a customer and mail it to them."""
    with extract.SOURCE_ENGINE.connect() as conn:
        profile = conn.execute(
            text("SELECT * FROM shop.customers WHERE id = :id"), {"id": customer_id}
        ).mappings().one()
        orders = conn.execute(
            text(f"SELECT * FROM shop.orders WHERE customer_id = {customer_id} ORDER BY created_at")
        ).mappings().all()
    logger.info("gdpr export for customer {}: {} orders", customer_id, len(orders))  # ok: PII
    logger.debug("gdpr export profile: {}", dict(profile))  # expect: PII
    mail_log = logger.bind(requester=requester_email)  # expect: PII
    mail_log.info("gdpr export queued for mailing")
    logger.info("gdpr export requested by {}", redact(requester_email))  # ok: PII
    return f"exports/{customer_id}-{dt.date.today():%Y%m%d}.zip"


@app.task
def bounce_cleanup(bounced: list[str]) -> None:
    """Unsubscribe hard-bounced addresses reported by the ESP."""
    task_log.info("processing %d bounced addresses", len(bounced))  # ok: PII
    with load.WAREHOUSE.begin() as conn:
        for email in bounced:
            conn.execute(
                text("UPDATE dw.customers SET email_status = 'bounced' WHERE email = :e"), {"e": email}
            )
            task_log.debug("marked bounced: {}".format(email))  # expect: PII
    task_log.info("email_status updated, email_count=%d", len(bounced))  # ok: PII
