"""The training loop and what it runs on: devices, processes, losses, optimizers, schedules, RNG, policies."""
