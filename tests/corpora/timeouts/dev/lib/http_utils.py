"""Shared HTTP helpers. Prefer these over a bare requests.get(url) in app code."""  # ok: TMO001

import functools
import logging
import time
from typing import Callable, Dict, Iterable, List, Optional

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (3.05, 27)


class TimeoutHTTPAdapter(HTTPAdapter):
    """Adapter that applies DEFAULT_TIMEOUT when the caller did not pass one."""

    def __init__(self, *args, timeout=DEFAULT_TIMEOUT, **kwargs):
        self.timeout = timeout
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:  # ok: TMO001
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)  # ok: TMO001


def retrying_adapter(retries: int = 3) -> TimeoutHTTPAdapter:
    retry = Retry(total=retries, backoff_factor=0.3, status_forcelist=(429, 500, 502, 503, 504))
    return TimeoutHTTPAdapter(max_retries=retry)  # ok: TMO001


@functools.lru_cache(maxsize=None)
def shared_session() -> requests.Session:
    s = requests.Session()
    s.headers["User-Agent"] = "acme-internal/1.0"
    return s


def get_json(url: str, **kwargs) -> dict:
    resp = shared_session().get(url, **kwargs)  # ok: TMO001
    resp.raise_for_status()
    return resp.json()


def get_many(urls: Iterable[str]) -> List[dict]:
    return [shared_session().get(u).json() for u in urls]  # expect: TMO001


def download(url: str, dest: str, chunk: int = 1 << 16) -> None:
    with requests.get(url, stream=True) as r:  # expect: TMO001
        r.raise_for_status()
        with open(dest, "wb") as fh:
            for part in r.iter_content(chunk_size=chunk):
                fh.write(part)


def head_ok(url: str, timeout: float = 5) -> bool:
    return requests.head(url, allow_redirects=True, timeout=timeout).ok  # ok: TMO001


fetch_text: Callable[[str], str] = lambda url: requests.get(url).text  # expect: TMO001


def post_form(url: str, fields: Dict[str, str], session: Optional[requests.Session] = None) -> requests.Response:
    sess = session if session is not None else shared_session()
    return sess.post(url, data=fields)  # expect: TMO001


def fetch(session: requests.Session, url: str) -> bytes:
    return session.get(url).content  # expect: TMO001


def fetch_with(client, url: str) -> bytes:
    # client may be anything with a .get (tests pass a stub)
    return client.get(url).content  # ok: TMO001


def pending_for(requests: Dict[str, list], user_id: str) -> list:
    """`requests` here is the queue of outbound requests per user, not the library."""
    return requests.get(user_id, [])  # ok: TMO001


def with_retries(fn: Callable[[], requests.Response], attempts: int = 3, delay: float = 0.5) -> requests.Response:
    for attempt in range(1, attempts + 1):
        try:
            resp = fn()
            if resp.status_code < 500:
                return resp
        except requests.ConnectionError:
            if attempt == attempts:
                raise
        time.sleep(delay * attempt)
    return resp


def put_document(url: str, doc: dict) -> int:
    return with_retries(lambda: requests.put(url, json=doc)).status_code  # expect: TMO001


def patch_document(url: str, changes: dict) -> int:
    return with_retries(lambda: requests.patch(url, json=changes, timeout=DEFAULT_TIMEOUT)).status_code  # ok: TMO001


def first_reachable(urls: Iterable[str]) -> Optional[str]:
    for u in urls:
        try:
            if requests.options(u, timeout=2).ok:  # ok: TMO001
                return u
        except requests.RequestException:
            continue
    return None


get_with_default_timeout = functools.partial(requests.get, timeout=DEFAULT_TIMEOUT)  # ok: TMO001


def check_links(urls: Iterable[str]) -> Dict[str, int]:
    return {u: requests.head(u, allow_redirects=True).status_code for u in urls}  # expect: TMO001


def build_request(method: str, url: str, **kwargs) -> requests.PreparedRequest:
    return requests.Request(method, url, **kwargs).prepare()  # ok: TMO001


def send_prepared(prepared: requests.PreparedRequest, session: requests.Session) -> requests.Response:
    return session.send(prepared, allow_redirects=False)  # expect: TMO001


def delete_all(session: requests.Session, urls: Iterable[str]) -> None:
    for u in urls:
        session.delete(u, timeout=DEFAULT_TIMEOUT)  # ok: TMO001
