"""The HTML report in a real headless browser (Chromium from the system packages): it
renders, shows the verdict in its colour at the top of a phone screen, and fits the
phone's width. Skipped, saying why, where no Chromium is installed."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from prodready_lint import scan
from prodready_lint.report import build, render
from prodready_lint.reporters.json_report import as_dict
from tests.conftest import git_init, write_tree

PHONE = (390, 844)
RED = (0xCF, 0x22, 0x2E)  # the NOT READY banner

CLIENT = """\
import requests


def rates(currency):
    return requests.get(f"https://rates.internal/{currency}")
"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    if shutil.which("apt-get"):
        pytest.skip("no Chromium binary on PATH: install the system package (apt-get install chromium)")
    pytest.skip("no Chromium binary on PATH, and no apt-get here to install the system package")


def _browser(*args: str, profile: Path) -> subprocess.CompletedProcess:
    binary = _chromium()
    command = [
        binary,
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
        f"--window-size={PHONE[0]},{PHONE[1]}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data = 8, b""
    width = height = channels = 0
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        chunk = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            data += chunk
        position += 12 + length
    raw = zlib.decompress(data)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        previous = line
        rows.append(bytes(b for i in range(0, stride, channels) for b in line[i : i + 3]))
    return width, height, rows


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> str:
    repo = write_tree(git_init(tmp_path_factory.mktemp("html") / "payments"), {"client.py": CLIENT})
    report = build(as_dict(scan(repo, cache=False)), str(repo), tier=0)
    assert report["verdict"] == "NOT READY"
    return render(report, "html")


def test_the_page_is_self_contained(report_html: str) -> None:
    assert "<script" not in report_html and "<link" not in report_html and "@import" not in report_html
    assert not re.search(r"\bsrc=|url\(", report_html)
    assert 'name="viewport"' in report_html and "<svg" in report_html
    assert 'href="client.py#L5"' in report_html  # evidence is linked


def test_a_headless_browser_renders_the_verdict_on_a_phone(report_html: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report_html, encoding="utf-8")
    shot = tmp_path / "phone.png"
    done = _browser(f"--screenshot={shot}", page.as_uri(), profile=tmp_path / "profile")
    assert shot.is_file(), done.stderr[-2000:]
    width, height, rows = _pixels(shot.read_bytes())
    assert (width, height) == PHONE
    red_rows = [y for y, row in enumerate(rows) if row.count(bytes(RED)) > width // 2]
    assert red_rows, "no NOT READY banner across the screen"
    assert red_rows[0] < height // 2, "the verdict is not near the top of the first screen"
    dom = _browser("--dump-dom", page.as_uri(), profile=tmp_path / "profile").stdout
    assert 'data-verdict="NOT READY"' in dom and "BLOCK-001" in dom


def test_the_page_fits_a_phone_screen(report_html: str, tmp_path: Path) -> None:
    # The page sits in a phone-sized frame (headless windows are at least 500 pixels
    # wide) and a wrapper reads how wide it lays out: the report itself has no script.
    (tmp_path / "report.html").write_text(report_html, encoding="utf-8")
    wrapper = tmp_path / "phone.html"
    wrapper.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="report.html" width="{PHONE[0]}" '
        f'height="{PHONE[1]}" style="border:0"></iframe><script>document.getElementById("f").onload=function()'
        "{var d=this.contentDocument;document.title='width='+(d?d.documentElement.scrollWidth:'unknown')}"
        "</script></body></html>",
        encoding="utf-8",
    )
    dom = _browser(
        "--allow-file-access-from-files",
        "--virtual-time-budget=5000",
        "--dump-dom",
        wrapper.as_uri(),
        profile=tmp_path / "profile",
    ).stdout
    match = re.search(r"<title>width=(\d+)</title>", dom)
    assert match, dom[:500]
    assert int(match.group(1)) <= PHONE[0], "the page scrolls sideways on a phone"
