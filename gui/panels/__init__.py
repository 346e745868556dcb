"""Configuration and display panels of the main window; each one can be opened on its own."""
