"""`python -m svengine` runs the command line."""

import sys

from svengine.cli.main import main

sys.exit(main())
