import sys

from t86audit.cli import main


sys.exit(main())
