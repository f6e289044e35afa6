"""File heartbeat used by the exec liveness/readiness probes."""
import os
import sys
import time
from pathlib import Path

HEARTBEAT = Path(os.environ.get("HEARTBEAT_FILE", "/tmp/ledger-sync.heartbeat"))


def beat() -> None:
    HEARTBEAT.write_text(str(time.time()))


def main(max_age: float = 90.0) -> int:
    try:
        age = time.time() - float(HEARTBEAT.read_text())
    except (FileNotFoundError, ValueError):
        return 1
    return 0 if age < max_age else 1


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 90.0))
