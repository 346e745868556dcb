"""Names and defaults of the experiment tools, torch-free for the CLI's parser and the GUI.

Sweeps: backend/engine/sweep.py. Explanations: backend/artifacts/explain.py.
"""

from __future__ import annotations

# Sweeps: the range kinds of --param KEY=SPEC (else SPEC is a comma list of choices).
RANGE_KINDS = ("log", "float", "int")
DEFAULT_STUDY = "sweep"
PRUNE_AFTER = 2  # finished trials before the median pruner starts to prune

# Explanations.
METHODS = ("gradcam", "integrated_gradients", "saliency")
METHOD_TITLES = {"gradcam": "Grad-CAM", "integrated_gradients": "Integrated gradients", "saliency": "Saliency"}
