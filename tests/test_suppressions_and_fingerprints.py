"""Inline suppressions and the two fingerprints (GitHub's line hash, our stable one)."""

from __future__ import annotations

from pathlib import Path

import pytest

import prodready_lint
from prodready_lint.fingerprints import fingerprint, github_line_hashes
from tests.conftest import write_tree

CODE = """\
import requests
import socket

requests.get(url)  # prodready: ignore[TMO001] -- internal mock server, never hangs
requests.get(url)  # prodready: ignore[TMO004]
# prodready: ignore[TMO] -- the whole family, for the next line
socket.create_connection(address)
resp = requests.post(  # prodready: ignore[timeouts]
    url,
)
resp = requests.put(
    url,
)  # prodready: ignore[requests-without-timeout]
socket.create_connection(address)  # prodready:ignore[TMO004,TMO001]
requests.get(url)  # prodready: ignore
"""


def test_suppressions_by_id_prefix_name_and_slug(repo: Path) -> None:
    write_tree(repo, {"client.py": CODE})
    result = prodready_lint.scan([repo], cache=False)
    assert [(f.line, f.rule_id) for f in result.findings] == [(5, "TMO001"), (15, "TMO001")]
    suppressed = {(f.line, f.rule_id): f.suppression for f in result.suppressed}
    assert set(suppressed) == {(4, "TMO001"), (7, "TMO004"), (8, "TMO001"), (11, "TMO001"), (14, "TMO004")}
    assert suppressed[(4, "TMO001")].reason == "internal mock server, never hangs"
    assert suppressed[(7, "TMO004")].line == 6
    assert suppressed[(11, "TMO001")].line == 13
    assert result.exit_code() == 1  # two unsuppressed findings remain
    write_tree(repo, {"client.py": CODE.replace("requests.get(url)  # prodready: ignore\n", "")})
    only_suppressed = prodready_lint.scan([repo], cache=False)
    assert [f.line for f in only_suppressed.findings] == [5]


def test_suppressed_findings_do_not_fail_the_run(repo: Path) -> None:
    write_tree(repo, {"client.py": "import requests\nrequests.get(url)  # prodready: ignore[TMO001]\n"})
    result = prodready_lint.scan([repo], cache=False)
    assert result.findings == () and len(result.suppressed) == 1 and result.exit_code() == 0


# GitHub's own test vectors for primaryLocationLineHash (codeql-action src/fingerprints.test.ts).
VECTORS = [
    ("", ["c129715d7a2bc9a3:1"]),
    (" a\nb\n  \t\tc\n d", ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"]),
    (
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
        [
            "8b7cf3e952e7aeb2:1",
            "b1ae1287ec4718d9:1",
            "bff680108adb0fcc:1",
            "c6805c5e1288b612:1",
            "b86d3392aea1be30:1",
            "e6ceba753e1a442:1",
        ],
    ),
    (
        " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
        [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ],
    ),
    (
        " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
        [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ],
    ),
    (
        "Lorem ipsum dolor sit amet.\n" * 10,
        [
            "a7f2ff13bc495cf2:1",
            "a7f2ff13bc495cf2:2",
            "a7f2ff13bc495cf2:3",
            "a7f2ff13bc495cf2:4",
            "a7f2ff13bc495cf2:5",
            "a7f2ff13bc495cf2:6",
            "a7f2ff1481e87703:1",
            "a9cf91f7bbf1862b:1",
            "55ec222b86bcae53:1",
            "cc97dc7b1d7d8f7b:1",
            "c129715d7a2bc9a3:1",
        ],
    ),
]


@pytest.mark.parametrize("text, expected", VECTORS)
def test_line_hash_matches_github_vectors(text: str, expected: list[str]) -> None:
    hashes = github_line_hashes(text.encode("utf-8"), range(1, len(expected) + 1))
    assert [hashes[n] for n in range(1, len(expected) + 1)] == expected


def _reference_line_hashes(text: str) -> dict[int, str]:
    """A direct transcription of GitHub's streaming algorithm, character by character."""
    mask, block, mod = (1 << 64) - 1, 100, 37
    first_mod = pow(mod, block, 1 << 64)
    window, numbers = [0] * block, [-1] * block
    state = {"hash": 0, "index": 0, "line": 0, "start": True, "cr": False}
    counts: dict[str, int] = {}
    out: dict[int, str] = {}

    def output() -> None:
        value = f"{state['hash'] & mask:x}"
        counts[value] = counts.get(value, 0) + 1
        out[numbers[state["index"]]] = f"{value}:{counts[value]}"
        numbers[state["index"]] = -1

    def update(current: int) -> None:
        begin = window[state["index"]]
        window[state["index"]] = current
        state["hash"] = (mod * state["hash"] + current - first_mod * begin) & mask
        state["index"] = (state["index"] + 1) % block

    def process(current: int) -> None:
        if current in (32, 9) or (state["cr"] and current == 10):
            state["cr"] = False
            return
        if current == 13:
            current, state["cr"] = 10, True
        else:
            state["cr"] = False
        if numbers[state["index"]] != -1:
            output()
        if state["start"]:
            state["start"] = False
            state["line"] += 1
            numbers[state["index"]] = state["line"]
        if current == 10:
            state["start"] = True
        update(current)

    units = text.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(units), 2):
        process(int.from_bytes(units[i : i + 2], "little"))
    process(65535)
    for _ in range(block):
        if numbers[state["index"]] != -1:
            output()
        update(0)
    return out


def test_line_hash_equals_the_streaming_algorithm_on_real_code() -> None:
    text = (Path(__file__).parent / "fixtures" / "timeouts" / "requests_client.py").read_text(encoding="utf-8")
    text += "\n# ünïcode ✓ and an emoji 🚀 outside the basic plane\r\n\tindented\r"
    reference = _reference_line_hashes(text)
    assert github_line_hashes(text.encode("utf-8"), reference) == reference


def test_stable_fingerprint_ignores_whitespace_but_not_code() -> None:
    base = fingerprint("TMO001", "a.py", "requests.get(url)", 1)
    assert fingerprint("TMO001", "a.py", "requests.get(  url )", 1) != base
    assert fingerprint("TMO001", "a.py", "requests.get(\n    url)", 1) == fingerprint(
        "TMO001", "a.py", "requests.get( url)", 1
    )
    assert fingerprint("TMO001", "b.py", "requests.get(url)", 1) != base
    assert fingerprint("TMO001", "a.py", "requests.get(url)", 2) != base
