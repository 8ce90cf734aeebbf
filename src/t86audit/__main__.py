"""``python -m t86audit``: the command line."""

import sys

from t86audit.cli import main


sys.exit(main())
