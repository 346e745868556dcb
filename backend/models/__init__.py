"""Model catalogue: builders registered by name, read by the CLI and the GUI.

registry        MODELS (name -> ModelSpec with description, family, typed options), build_model, check_arch
                (the names and their options are declared torch-free in backend/core/model_catalogue.py and schema.py)
mlp, simple_cnn, vgg_small, resnet_small   TorchDesk's own models (the tutorials' networks)
tv              every torchvision classifier as tv:<name>, adapted to the dataset's channels, size and classes
custom          file:path.py:ClassName models (trusted code), checked on a sample batch
weights         local weights files (model.weights): prefixes stripped, stem/position embedding adapted, report
initialization  model.init schemes
finetune        head_parameter_names, freeze_backbone, param_groups (per-group learning rates)
"""
