"""Tiny wrapper so the init container can run schema upgrades."""
import sys

from clinic_records import create_app
from clinic_records.db import db


def main(argv: list[str]) -> int:
    if argv[1:] != ["upgrade"]:
        print("usage: migrations.py upgrade", file=sys.stderr)
        return 2
    app = create_app()
    with app.app_context():
        db.create_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
