"""Dialogs of the main window; each one can be opened on its own."""
