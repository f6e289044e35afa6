"""Client for the legacy tax-calculation service (XML over HTTP, no client library)."""

import http.client
import json
import logging
import socket
import ssl
from http.client import HTTPConnection, HTTPSConnection
from typing import Dict, Optional
from xml.etree import ElementTree as ET

log = logging.getLogger(__name__)

TAX_HOST = "tax.legacy.internal"
TAX_PORT = 8443
LICENSE_SERVER = ("license.legacy.internal", 27000)
TAX_TIMEOUT = 10


class TaxServiceError(RuntimeError):
    pass


class TaxClient:
    def __init__(self, host: str = TAX_HOST, port: int = TAX_PORT, verify: bool = True):
        self.host = host
        self.port = port
        self._ctx = ssl.create_default_context() if verify else ssl._create_unverified_context()
        self._conn: Optional[HTTPSConnection] = None

    def _connection(self) -> HTTPSConnection:
        if self._conn is None:
            self._conn = HTTPSConnection(self.host, self.port, context=self._ctx)  # expect: TMO003
        return self._conn

    def _post(self, path: str, root: ET.Element) -> ET.Element:
        body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        conn = self._connection()
        conn.request("POST", path, body=body, headers={"Content-Type": "application/xml"})  # ok: TMO001
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise TaxServiceError(f"{resp.status}: {data[:200]!r}")
        return ET.fromstring(data)

    def quote(self, lines: Dict[str, int], ship_to_zip: str) -> int:
        root = ET.Element("QuoteRequest", zip=ship_to_zip)
        for sku, cents in lines.items():
            ET.SubElement(root, "Line", sku=sku, amount=str(cents))
        result = self._post("/tax/v1/quote", root)
        return int(result.findtext("TotalTax", "0"))

    def commit(self, order_id: str) -> None:
        self._post("/tax/v1/commit", ET.Element("CommitRequest", order=order_id))


def jurisdiction_for(zip_code: str) -> dict:
    conn = http.client.HTTPSConnection(TAX_HOST, TAX_PORT, timeout=TAX_TIMEOUT)  # ok: TMO003
    try:
        conn.request("GET", f"/tax/v1/jurisdictions/{zip_code}", headers={"Accept": "application/json"})
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def rates_table() -> dict:
    conn = http.client.HTTPConnection(TAX_HOST, 8080)  # expect: TMO003
    conn.request("GET", "/tax/v1/rates.json")
    payload = json.loads(conn.getresponse().read())
    conn.close()
    return payload


def exemption_certificate(customer_id: str) -> Optional[bytes]:
    conn = HTTPConnection(TAX_HOST, 8080, timeout=None)  # expect: TMO003
    conn.request("GET", f"/tax/v1/exemptions/{customer_id}.pdf")
    resp = conn.getresponse()
    return resp.read() if resp.status == 200 else None


def service_version() -> str:
    conn = HTTPConnection(TAX_HOST, 8080, TAX_TIMEOUT)  # ok: TMO003
    conn.request("GET", "/version")
    return conn.getresponse().read().decode().strip()


def license_seats_free() -> int:
    with socket.create_connection(LICENSE_SERVER) as s:  # expect: TMO004
        s.sendall(b"SEATS\n")
        return int(s.recv(64).decode().strip() or 0)


def license_server_up() -> bool:
    try:
        socket.create_connection(LICENSE_SERVER, timeout=1.5).close()  # ok: TMO004
        return True
    except OSError:
        return False


def checkout_license(feature: str) -> str:
    conn = socket.create_connection(LICENSE_SERVER, source_address=("0.0.0.0", 0))  # expect: TMO004
    try:
        conn.sendall(f"CHECKOUT {feature}\n".encode())
        return conn.recv(256).decode().strip()
    finally:
        conn.close()


def report_usage(usage: dict) -> None:
    # plain-HTTP metering endpoint on the same box
    conn = http.client.HTTPConnection(f"{TAX_HOST}:9000")  # expect: TMO003
    conn.request("POST", "/usage", body=json.dumps(usage), headers={"Content-Type": "application/json"})
    log.debug("usage report -> %s", conn.getresponse().status)
