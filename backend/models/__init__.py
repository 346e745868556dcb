"""Model catalogue: builders registered by name, read by the CLI and the GUI."""
