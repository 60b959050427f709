"""Entry point for `python -m reassess`."""

import sys

from reassess.cli import main

sys.exit(main())
