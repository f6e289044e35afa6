"""A local stand-in for the OSV query API (``POST /v1/query``), serving fixture records.

It answers the way https://api.osv.dev does: ``{"vulns": [...]}`` with the records that
affect the queried PyPI package and version, ``{}`` when none do. The matching is a
plain lookup (explicit ``versions`` lists, then ``ECOSYSTEM`` ranges read naively), kept
independent of the code under test.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from packaging.utils import canonicalize_name
from packaging.version import Version

FIXTURE = Path(__file__).parent / "fixtures" / "dependencies" / "osv-fixture.json"


def _affected(record: dict, name: str, version: str) -> bool:
    for affected in record.get("affected", []):
        package = affected["package"]
        if package["ecosystem"] != "PyPI" or canonicalize_name(package["name"]) != name:
            continue
        if version in affected.get("versions", []):
            return True
        for span in affected.get("ranges", []):
            start = next((e["introduced"] for e in span["events"] if "introduced" in e), None)
            end = next((e["fixed"] for e in span["events"] if "fixed" in e), None)
            if start is None:
                continue
            low = Version("0") if start == "0" else Version(start)
            if Version(version) >= low and (end is None or Version(version) < Version(end)):
                return True
    return False


class _Handler(BaseHTTPRequestHandler):
    records: ClassVar[list] = []
    queries: ClassVar[list] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        query = json.loads(self.rfile.read(length))
        type(self).queries.append(query)
        if self.path != "/v1/query" or query.get("package", {}).get("ecosystem") != "PyPI":
            self.send_response(400)
            self.end_headers()
            return
        name = canonicalize_name(query["package"]["name"])
        vulns = [r for r in self.records if _affected(r, name, query["version"])]
        body = json.dumps({"vulns": vulns} if vulns else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def fake_osv(records: list | None = None) -> Iterator[tuple[str, list]]:
    """Serve ``records`` (default: the fixture file) on localhost; yields the query URL
    and the list of queries received."""
    handler = type("Handler", (_Handler,), {"records": records or json.loads(FIXTURE.read_text()), "queries": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query", handler.queries
    finally:
        server.shutdown()
        server.server_close()
