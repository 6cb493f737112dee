"""``python -m govservice``: the command line."""

import sys

from govservice.cli import main

sys.exit(main())
