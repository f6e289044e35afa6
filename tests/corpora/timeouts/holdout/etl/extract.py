from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

import requests
from requests import Session
from requests.auth import HTTPBasicAuth

logger = logging.getLogger(__name__)

STATE_FILE = Path("/var/lib/etl/state.json")


@dataclass
class Source:
    name: str
    base_url: str
    token: str
    page_size: int = 500
    timeout: float = 30.0
    session: requests.Session = field(default_factory=requests.Session)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def pages(self, endpoint: str, since: dt.datetime) -> Iterator[list[dict[str, Any]]]:
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"since": since.isoformat(), "limit": self.page_size}
            if cursor:
                params["cursor"] = cursor
            resp = self.session.get(f"{self.base_url}/{endpoint}", params=params, headers=self._headers())  # expect: TMO001
            resp.raise_for_status()
            body = resp.json()
            yield body["data"]
            cursor = body.get("next_cursor")  # ok: TMO001
            if not cursor:
                return

    def count(self, endpoint: str) -> int:
        resp = self.session.head(f"{self.base_url}/{endpoint}", headers=self._headers(), timeout=self.timeout)  # ok: TMO001
        return int(resp.headers.get("X-Total-Count", 0))  # ok: TMO001


@dataclass
class PartnerFeed:
    url: str
    user: str
    password: str

    def rows(self) -> Iterator[str]:
        with requests.get(self.url, auth=HTTPBasicAuth(self.user, self.password), stream=True, timeout=None) as r:  # expect: TMO001
            r.raise_for_status()
            yield from r.iter_lines(decode_unicode=True)


def extract_hubspot(token: str, since: dt.datetime) -> Iterator[dict[str, Any]]:
    with Session() as http:
        http.headers["Authorization"] = f"Bearer {token}"
        after: str | None = None
        while True:
            r = http.get(  # expect: TMO001
                "https://api.hubapi.com/crm/v3/objects/contacts",
                params={"limit": 100, "after": after, "properties": "email,lifecyclestage"},
            )
            r.raise_for_status()
            payload = r.json()
            for contact in payload["results"]:
                if dt.datetime.fromisoformat(contact["updatedAt"].rstrip("Z")) >= since:
                    yield contact
            after = payload.get("paging", {}).get("next", {}).get("after")
            if not after:
                break


def extract_ga(property_id: str, client_id: str, client_secret: str, refresh_token: str) -> list[dict]:
    token = requests.post(  # ok: TMO001
        "https://oauth2.googleapis.com/token",
        data={
            "client_id": client_id,
            "client_secret": client_secret,
            "refresh_token": refresh_token,
            "grant_type": "refresh_token",
        },
        timeout=(5, 30),
    ).json()["access_token"]
    report = requests.post(  # expect: TMO001
        f"https://analyticsdata.googleapis.com/v1beta/properties/{property_id}:runReport",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "dateRanges": [{"startDate": "yesterday", "endDate": "yesterday"}],
            "dimensions": [{"name": "pagePath"}],
            "metrics": [{"name": "screenPageViews"}],
        },
        timeout=(5, None),
    )
    return report.json().get("rows", [])


def extract_fx(day: dt.date, session: Session | None = None) -> Mapping[str, float]:
    http = session or Session()
    resp = http.get(f"https://fx.internal/rates/{day.isoformat()}")  # expect: TMO001
    return resp.json()["rates"]


def load_state() -> dict[str, str]:
    if not STATE_FILE.exists():
        return {}
    return json.loads(STATE_FILE.read_text())


def save_state(state: Mapping[str, str]) -> None:
    STATE_FILE.write_text(json.dumps(dict(state), indent=2))


SOURCES = {
    "billing": Source("billing", "https://billing.internal/api/v2", token="${BILLING_TOKEN}"),
    "support": Source("support", "https://support.internal/api", token="${SUPPORT_TOKEN}", page_size=100),
}


def run(out_dir: Path) -> None:
    state = load_state()
    for name, src in SOURCES.items():
        since = dt.datetime.fromisoformat(state.get(name, "2020-01-01T00:00:00"))  # ok: TMO001
        started = dt.datetime.utcnow()
        with (out_dir / f"{name}.jsonl").open("w") as fh:
            for page in src.pages("events", since):
                for row in page:
                    fh.write(json.dumps(row) + "\n")
        state[name] = started.isoformat()
        logger.info("extracted %s", name)
    save_state(state)
