"""``torchdesk-cli`` (``python -m backend.cli``): the top layer, which nothing else in ``backend`` imports."""
