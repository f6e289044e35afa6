import threading

import boto3
import pyarrow as pa
import pyarrow.parquet as pq

EXPORTS: dict[str, dict] = {}
_s3 = boto3.client("s3")


def s3_reachable():
    from flask_healthz import HealthError

    try:
        _s3.list_buckets()
    except Exception as exc:
        raise HealthError(str(exc)) from exc


def _run(export_id: str, period: str, bucket: str) -> None:
    EXPORTS[export_id] = {"state": "running"}
    try:
        table = pa.table({"period": [period], "invoices": [0]})
        path = f"/tmp/{export_id}.parquet"
        pq.write_table(table, path)
        _s3.upload_file(path, bucket, f"exports/{period}/{export_id}.parquet")
        EXPORTS[export_id] = {"state": "done"}
    except Exception as exc:  # noqa: BLE001
        EXPORTS[export_id] = {"state": "failed", "error": str(exc)}


def start_export(export_id: str, period: str, bucket: str) -> None:
    threading.Thread(target=_run, args=(export_id, period, bucket), daemon=True).start()
