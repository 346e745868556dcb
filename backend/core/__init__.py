"""The torch-free core at the bottom of the engine: configs, errors, messages, paths and safe file writing.

Nothing here imports torch or any other part of ``backend`` (an import-linter contract, `make lint`).
"""
