"""Shared HTTP plumbing for marketplace services.

Everything that talks to third-party HTTP APIs should go through the helpers
in this module so that retries, user agents and timeouts stay consistent.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable, TypeVar

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT: tuple[float, float] = (3.05, 15.0)
USER_AGENT = "marketplace-backend/2.4 (+https://marketplace.example/bot)"

T = TypeVar("T")


class TimeoutHTTPAdapter(HTTPAdapter):
    """HTTPAdapter that applies ``timeout`` when the caller did not pass one."""

    def __init__(self, *args: Any, timeout: float | tuple[float, float] = DEFAULT_TIMEOUT, **kwargs: Any) -> None:
        self.timeout = timeout
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


class TimeoutSession(requests.Session):
    """Session with a default timeout for every request."""

    def __init__(self, timeout: float | tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        super().__init__()
        self.default_timeout = timeout
        self.headers["User-Agent"] = USER_AGENT

    def request(self, method, url, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)  # ok: TMO001


def build_session(retries: int = 3, backoff: float = 0.5) -> requests.Session:
    retry = Retry(
        total=retries,
        backoff_factor=backoff,
        status_forcelist=(429, 502, 503, 504),
        allowed_methods=None,
    )
    session = requests.Session()
    adapter = TimeoutHTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def with_backoff(fn: Callable[[], T], attempts: int = 4, base_delay: float = 0.25) -> T:
    """Call ``fn`` until it stops raising RequestException."""
    for attempt in range(attempts):
        try:
            return fn()
        except requests.RequestException as exc:
            if attempt == attempts - 1:
                raise
            delay = base_delay * (2 ** attempt)
            log.warning("HTTP call failed (%s); retry %d in %.2fs", exc, attempt + 1, delay)
            time.sleep(delay)
    raise RuntimeError("unreachable")


def http_call(method: str, url: str, **kwargs: Any) -> requests.Response:
    """Passthrough used by older modules; callers pass ``timeout`` in kwargs."""
    kwargs.setdefault("headers", {}).setdefault("User-Agent", USER_AGENT)
    response = requests.request(method, url, **kwargs)  # ok: TMO001
    response.raise_for_status()
    return response


def get_json(url: str, *, params: dict | None = None, timeout: float | None = None) -> Any:
    resp = requests.get(url, params=params, timeout=timeout)  # ok: TMO001
    resp.raise_for_status()
    return resp.json()


def download_to(url: str, path: str, chunk_size: int = 1 << 16) -> int:
    written = 0
    with requests.get(url, stream=True, headers={"User-Agent": USER_AGENT}) as resp:  # expect: TMO001
        resp.raise_for_status()
        with open(path, "wb") as fh:
            for chunk in resp.iter_content(chunk_size=chunk_size):
                fh.write(chunk)
                written += len(chunk)
    return written


def health_check(urls: list[str]) -> dict[str, int]:
    return {u: requests.head(u, allow_redirects=True).status_code for u in urls}  # expect: TMO001


def post_with_retry(url: str, payload: dict) -> requests.Response:
    return with_backoff(lambda: requests.post(url, json=payload, timeout=settings.HTTP_TIMEOUT))


def put_with_retry(url: str, payload: dict) -> requests.Response:
    return with_backoff(lambda: requests.put(url, json=payload))  # expect: TMO001


def fetch_legacy_feed(url: str) -> bytes:
    # The legacy feed host drops connections a lot, so retry at the adapter level.
    s = requests.Session()
    s.mount("https://", HTTPAdapter(max_retries=Retry(total=2, backoff_factor=1)))
    resp = s.get(url)  # expect: TMO001
    resp.raise_for_status()
    return resp.content


def fetch_catalog_page(url: str, page: int) -> dict:
    s = requests.Session()
    s.mount("https://", TimeoutHTTPAdapter(timeout=10, max_retries=Retry(total=3)))
    return s.get(url, params={"page": page}).json()  # ok: TMO001


def fetch_fx_rates(base: str) -> dict:
    with TimeoutSession(timeout=5) as s:
        return s.get(f"{settings.FX_API_URL}/latest", params={"base": base}).json()  # ok: TMO001
