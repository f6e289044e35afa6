"""Nightly account/contact sync into Salesforce."""

import csv
import io
import logging
from typing import Dict, Iterable, List, Optional

import requests

logger = logging.getLogger(__name__)


class SalesforceError(Exception):
    pass


class SalesforceClient:
    API_VERSION = "v59.0"

    def __init__(self, instance_url: str, client_id: str, client_secret: str,
                 username: str, password: str, timeout: float = 20):
        self.instance_url = instance_url.rstrip("/")
        self._creds = dict(client_id=client_id, client_secret=client_secret,
                           username=username, password=password)
        self._sess: Optional[requests.Session] = None
        self._timeout = timeout

    @property
    def http(self) -> requests.Session:
        if self._sess is None:
            self._sess = requests.Session()
            self._sess.headers["Authorization"] = "Bearer " + self._login()
        return self._sess

    def _login(self) -> str:
        r = requests.post(self.instance_url + "/services/oauth2/token",  # expect: TMO001
                          data=dict(grant_type="password", **self._creds))
        if r.status_code != 200:
            raise SalesforceError(r.text)
        return r.json()["access_token"]

    def _data(self, path: str) -> str:
        return f"{self.instance_url}/services/data/{self.API_VERSION}/{path.lstrip('/')}"

    def query(self, soql: str) -> List[Dict]:
        r = self.http.get(self._data("query"), params={"q": soql}, timeout=self._timeout)  # ok: TMO001
        r.raise_for_status()
        body = r.json()
        records = list(body["records"])
        while not body["done"]:
            body = self.http.get(self.instance_url + body["nextRecordsUrl"]).json()  # expect: TMO001
            records.extend(body["records"])
        return records

    def upsert(self, sobject: str, ext_field: str, ext_id: str, fields: Dict) -> None:
        r = self.http.patch(self._data(f"sobjects/{sobject}/{ext_field}/{ext_id}"), json=fields)  # expect: TMO001
        if r.status_code not in (200, 201, 204):
            raise SalesforceError(f"{sobject} {ext_id}: {r.text}")

    def delete(self, sobject: str, record_id: str) -> None:
        self.http.delete(self._data(f"sobjects/{sobject}/{record_id}"), timeout=self._timeout)  # ok: TMO001

    def describe(self, sobject: str) -> Dict:
        return self.http.get(self._data(f"sobjects/{sobject}/describe"), timeout=(None, self._timeout)).json()  # expect: TMO001

    def bulk_insert(self, sobject: str, rows: List[Dict]) -> str:
        job = self.http.post(  # ok: TMO001
            self._data("jobs/ingest"),
            json={"object": sobject, "operation": "insert", "contentType": "CSV"},
            timeout=self._timeout,
        ).json()
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=sorted(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        self.http.put(  # expect: TMO001
            self._data(f"jobs/ingest/{job['id']}/batches"),
            data=buf.getvalue().encode(),
            headers={"Content-Type": "text/csv"},
        )
        self.http.patch(self._data(f"jobs/ingest/{job['id']}"), json={"state": "UploadComplete"}, timeout=self._timeout)  # ok: TMO001
        return job["id"]

    def limits(self) -> Dict:
        resp = self.http.get(self._data("limits"), timeout=self._timeout)  # ok: TMO001
        return {k: v.get("Remaining") for k, v in resp.json().items()}  # ok: TMO001


def to_account(row: Dict) -> Dict:
    return {
        "Name": row["company"],
        "Website": row.get("website"),  # ok: TMO001
        "NumberOfEmployees": int(row.get("employees") or 0),
    }


def sync_accounts(sf: SalesforceClient, rows: Iterable[Dict]) -> int:
    n = 0
    for row in rows:
        sf.upsert("Account", "External_Id__c", row["id"], to_account(row))
        n += 1
    return n


def push_contacts(client, rows: Iterable[Dict]) -> None:
    # `client` is whatever the caller configured (prod passes a session, tests a fake)
    for row in rows:
        client.post("/contacts", json=row)  # ok: TMO001


def verify_instance(instance_url: str) -> bool:
    try:
        return requests.get(instance_url + "/services/data/", timeout=5).ok  # ok: TMO001
    except requests.RequestException:
        return False
