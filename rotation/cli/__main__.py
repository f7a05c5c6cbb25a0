"""`python -m rotation.cli`: the `rotation` command."""

import sys

from rotation.cli import main

sys.exit(main())
