"""``python -m backend.cli`` (and ``torchrun -m backend.cli``) runs ``torchdesk-cli``."""

import sys

from backend.cli.main import main

sys.exit(main())
