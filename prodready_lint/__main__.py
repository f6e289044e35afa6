"""``python -m prodready_lint`` runs the command line."""

import sys

from prodready_lint.cli import main

sys.exit(main())
