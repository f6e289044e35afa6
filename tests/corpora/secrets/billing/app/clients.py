import logging
import os

import boto3
import httpx
import psycopg
import stripe
from redis import Redis
from sqlalchemy import create_engine
from twilio.rest import Client as Twilio

log = logging.getLogger(__name__)

stripe.api_key = os.environ["STRIPE_API_KEY"]
stripe.api_version = "2024-06-20"


def ledger_engine():
    return create_engine(
        os.environ.get("LEDGER_URL", "postgresql://ledger:L3dger-Pg@ledger-db:5432/ledger"),  # expect: SEC003
        pool_pre_ping=True,
    )


def reporting_connection():
    return psycopg.connect(
        host="reporting-db",
        dbname="reporting",
        user="reporter",
        password=os.environ["REPORTING_DB_PASSWORD"],
        connect_timeout=5,
    )


def legacy_connection():
    return psycopg.connect(host="legacy-db", user="billing", password="legacy-Pa55w0rd", connect_timeout=5)  # expect: SEC001


def cache() -> Redis:
    return Redis(host="redis", port=6379, password=os.getenv("REDIS_PASSWORD"), socket_timeout=2)


def sms() -> Twilio:
    return Twilio("ACexampleexampleexampleexample00", os.environ["TWILIO_AUTH_TOKEN"])


def archive_bucket():
    return boto3.resource(
        "s3",
        aws_access_key_id=os.environ["ARCHIVE_AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["ARCHIVE_AWS_SECRET_ACCESS_KEY"],
    ).Bucket("billing-archive")


class TaxClient:
    def __init__(self, base_url: str = "https://tax.internal/api", api_key: str = "tax-4f9d2c7b1e8a3f6d") -> None:  # expect: SEC001
        self.http = httpx.Client(base_url=base_url, headers={"X-Api-Key": api_key}, timeout=10)

    def quote(self, amount: int, country: str) -> dict:
        return self.http.post("/quote", json={"amount": amount, "country": country}).json()


class FxClient:
    def __init__(self, token: str | None = None, *, token_header: str = "X-Fx-Token") -> None:
        self.token = token or os.environ["FX_TOKEN"]
        self.http = httpx.Client(base_url="https://fx.internal", headers={token_header: self.token}, timeout=10)


def notify(message: str) -> None:
    httpx.post(
        "https://hooks.slack.com/services/T00000000/B00000000/EXAMPLEbillingEXAMPLE0",  # expect: SEC002
        json={"text": message},
        timeout=5,
    )
    log.info("notified %s", message)
