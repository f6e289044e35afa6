"""SQS -> Postgres consumer. No web framework on purpose."""
import json
import logging
import time

import boto3
import psycopg
from tenacity import retry, stop_after_attempt, wait_exponential

from .heartbeat import beat

log = logging.getLogger(__name__)

UPSERT = """
INSERT INTO ledger_entries (txn_id, account_id, amount_minor, currency, settled_at)
VALUES (%(txn_id)s, %(account_id)s, %(amount_minor)s, %(currency)s, %(settled_at)s)
ON CONFLICT (txn_id) DO NOTHING
"""


class Consumer:
    def __init__(self, queue_url: str, dsn: str) -> None:
        self.queue_url = queue_url
        self.dsn = dsn
        self.sqs = boto3.client("sqs")
        self._running = True

    def stop(self) -> None:
        log.info("stop requested")
        self._running = False

    @retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=0.5, max=10))
    def _write(self, conn: psycopg.Connection, rows: list[dict]) -> None:
        with conn.transaction():
            with conn.cursor() as cur:
                cur.executemany(UPSERT, rows)

    def run_forever(self) -> None:
        with psycopg.connect(self.dsn) as conn:
            while self._running:
                resp = self.sqs.receive_message(
                    QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=20
                )
                messages = resp.get("Messages", [])
                beat()
                if not messages:
                    continue
                rows = [json.loads(m["Body"]) for m in messages]
                started = time.monotonic()
                self._write(conn, rows)
                self.sqs.delete_message_batch(
                    QueueUrl=self.queue_url,
                    Entries=[{"Id": m["MessageId"], "ReceiptHandle": m["ReceiptHandle"]} for m in messages],
                )
                log.info("synced %d entries in %.2fs", len(rows), time.monotonic() - started)
