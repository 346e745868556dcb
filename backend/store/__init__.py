"""Run folders and the files in them: checkpoints, metrics, locks, TensorBoard output, and trust in files."""
