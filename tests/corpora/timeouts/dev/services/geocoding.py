"""Geocoding via the internal geocoder (stdlib only, this runs in the slim image)."""

import json
import ssl
import sys
import urllib.parse
import urllib.request
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

GEOCODER_BASE = "https://geocoder.example.org/api/v2"
USER_AGENT = "acme-geo/1.4 (+ops@acme.example)"
TIMEOUT_S = 8

_opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
_opener.addheaders = [("User-Agent", USER_AGENT)]

_ctx = ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")


def _build(path, **params):
    query = urllib.parse.urlencode(params)
    return Request(f"{GEOCODER_BASE}/{path}?{query}", headers={"User-Agent": USER_AGENT})  # ok: TMO002


def geocode(address):
    req = _build("search", q=address, format="json")
    with urlopen(req) as resp:  # expect: TMO002
        results = json.load(resp)
    return results[0] if results else None


def reverse(lat, lon):
    req = _build("reverse", lat=lat, lon=lon)
    with urlopen(req, timeout=TIMEOUT_S) as resp:  # ok: TMO002
        return json.load(resp)


def batch_geocode(addresses):
    payload = json.dumps({"addresses": addresses}).encode()
    req = Request(
        f"{GEOCODER_BASE}/batch",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        method="POST",
    )
    resp = urllib.request.urlopen(req, payload)  # expect: TMO002
    try:
        return json.loads(resp.read().decode("utf-8"))
    finally:
        resp.close()


def timezone_for(lat, lon):
    url = f"{GEOCODER_BASE}/tz?lat={lat}&lon={lon}"
    resp = urllib.request.urlopen(url, None, TIMEOUT_S)  # ok: TMO002
    return json.loads(resp.read().decode())["tz"]


def elevation(lat, lon):
    url = f"https://elevation.internal/lookup?locations={lat},{lon}"
    with urllib.request.urlopen(url, context=_ctx) as resp:  # expect: TMO002
        return json.load(resp)["results"][0]["elevation"]


def tile_bytes(z, x, y):
    resp = _opener.open(f"https://tiles.example.org/{z}/{x}/{y}.png")  # expect: TMO002
    return resp.read()


def tile_bytes_fast(z, x, y):
    return _opener.open(f"https://tiles.example.org/{z}/{x}/{y}.png", timeout=3).read()  # ok: TMO002


def download_boundaries(region, dest):
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=_ctx))
    src = opener.open(f"https://boundaries.example.org/{region}.geojson")  # expect: TMO002
    with open(dest, "wb") as fh:  # ok: TMO002
        fh.write(src.read())


def place_details(place_id):
    try:
        with urlopen(_build(f"places/{place_id}"), timeout=TIMEOUT_S) as resp:  # ok: TMO002
            return json.load(resp)
    except HTTPError as err:
        if err.code == 404:
            return None
        raise
    except URLError:
        return None


def autocomplete(prefix, limit=5):
    req = _build("autocomplete", q=prefix, limit=limit)
    return [s["label"] for s in json.load(urlopen(req))["suggestions"]]  # expect: TMO002


if __name__ == "__main__":
    for line in sys.stdin:
        hit = geocode(line.strip())
        print(json.dumps(hit.get("point") if hit else None))  # ok: TMO001
