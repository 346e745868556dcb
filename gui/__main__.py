"""``python -m gui`` opens the main window (the same as the ``torchdesk`` entry point)."""

from gui.app import main

raise SystemExit(main())
