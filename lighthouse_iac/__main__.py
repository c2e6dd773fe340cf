"""`python -m lighthouse_iac`: the same as the `lighthouse-iac` command."""

import sys

from .cli import main

sys.exit(main())
