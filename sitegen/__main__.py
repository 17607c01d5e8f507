"""``python -m sitegen``: the same command line as the ``sitegen`` script."""

import sys

from sitegen.cli import main

sys.exit(main())
