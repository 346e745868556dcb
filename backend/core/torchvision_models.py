"""torchvision's classification models as data, torch-free: names, titles, papers, sizes, families.

The picker lists them and a config validates without importing torchvision (which pulls in
``torch._dynamo`` and takes seconds); torchvision is imported only when one of them is built.
The table is torchvision 0.29's metadata, written out by ``python -m backend.models.tv``; a test
compares it with the installed torchvision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backend.core import messages
from backend.core.message_text import Message


@dataclass(frozen=True)
class TorchvisionModel:
    title: str  # as the paper spells it (from the builder's docstring)
    paper: str  # "" when the docstring names none
    num_params: int | None  # at 1000 classes, when torchvision states it
    gflops: float | None  # at ImageNet size, when torchvision states it
    min_size: int  # smallest image side that trains; smaller images are enlarged inside the model


TORCHVISION_MODELS: dict[str, TorchvisionModel] = {
    "alexnet": TorchvisionModel(
        "AlexNet", "One weird trick for parallelizing convolutional neural networks", 61100840, 0.714, 63
    ),
    "convnext_base": TorchvisionModel("ConvNeXt Base", "A ConvNet for the 2020s", 88591464, 15.355, 32),
    "convnext_large": TorchvisionModel("ConvNeXt Large", "A ConvNet for the 2020s", 197767336, 34.361, 32),
    "convnext_small": TorchvisionModel("ConvNeXt Small", "A ConvNet for the 2020s", 50223688, 8.684, 32),
    "convnext_tiny": TorchvisionModel("ConvNeXt Tiny", "A ConvNet for the 2020s", 28589128, 4.456, 32),
    "densenet121": TorchvisionModel("Densenet-121", "Densely Connected Convolutional Networks", 7978856, 2.834, 29),
    "densenet161": TorchvisionModel("Densenet-161", "Densely Connected Convolutional Networks", 28681000, 7.728, 29),
    "densenet169": TorchvisionModel("Densenet-169", "Densely Connected Convolutional Networks", 14149480, 3.36, 29),
    "densenet201": TorchvisionModel("Densenet-201", "Densely Connected Convolutional Networks", 20013928, 4.291, 29),
    "efficientnet_b0": TorchvisionModel(
        "EfficientNet B0", "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", 5288548, 0.386, 1
    ),
    "efficientnet_b1": TorchvisionModel(
        "EfficientNet B1", "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", 7794184, 0.687, 1
    ),
    "efficientnet_b2": TorchvisionModel(
        "EfficientNet B2", "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", 9109994, 1.088, 1
    ),
    "efficientnet_b3": TorchvisionModel(
        "EfficientNet B3",
        "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
        12233232,
        1.827,
        1,
    ),
    "efficientnet_b4": TorchvisionModel(
        "EfficientNet B4",
        "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
        19341616,
        4.394,
        1,
    ),
    "efficientnet_b5": TorchvisionModel(
        "EfficientNet B5",
        "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
        30389784,
        10.266,
        1,
    ),
    "efficientnet_b6": TorchvisionModel(
        "EfficientNet B6",
        "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
        43040704,
        19.068,
        1,
    ),
    "efficientnet_b7": TorchvisionModel(
        "EfficientNet B7",
        "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
        66347960,
        37.746,
        1,
    ),
    "efficientnet_v2_l": TorchvisionModel(
        "EfficientNetV2-L", "EfficientNetV2: Smaller Models and Faster Training", 118515272, 56.08, 33
    ),
    "efficientnet_v2_m": TorchvisionModel(
        "EfficientNetV2-M", "EfficientNetV2: Smaller Models and Faster Training", 54139356, 24.582, 33
    ),
    "efficientnet_v2_s": TorchvisionModel(
        "EfficientNetV2-S", "EfficientNetV2: Smaller Models and Faster Training", 21458488, 8.366, 33
    ),
    "googlenet": TorchvisionModel("GoogLeNet (Inception v1)", "Going Deeper with Convolutions", 6624904, 1.498, 15),
    "inception_v3": TorchvisionModel(
        "Inception v3", "Rethinking the Inception Architecture for Computer Vision", 27161264, 5.713, 75
    ),
    "maxvit_t": TorchvisionModel("MaxViT-T", "MaxViT: Multi-Axis Vision Transformer", 30919624, 5.558, 224),
    "mnasnet0_5": TorchvisionModel(
        "MNASNet with depth multiplier of 0.5",
        "MnasNet: Platform-Aware Neural Architecture Search for Mobile",
        2218512,
        0.104,
        1,
    ),
    "mnasnet0_75": TorchvisionModel(
        "MNASNet with depth multiplier of 0.75",
        "MnasNet: Platform-Aware Neural Architecture Search for Mobile",
        3170208,
        0.215,
        1,
    ),
    "mnasnet1_0": TorchvisionModel(
        "MNASNet with depth multiplier of 1.0",
        "MnasNet: Platform-Aware Neural Architecture Search for Mobile",
        4383312,
        0.314,
        1,
    ),
    "mnasnet1_3": TorchvisionModel(
        "MNASNet with depth multiplier of 1.3",
        "MnasNet: Platform-Aware Neural Architecture Search for Mobile",
        6282256,
        0.526,
        1,
    ),
    "mobilenet_v2": TorchvisionModel(
        "MobileNetV2", "MobileNetV2: Inverted Residuals and Linear Bottlenecks", 3504872, 0.301, 1
    ),
    "mobilenet_v3_large": TorchvisionModel("Large MobileNetV3", "Searching for MobileNetV3", 5483032, 0.217, 1),
    "mobilenet_v3_small": TorchvisionModel("Small MobileNetV3", "Searching for MobileNetV3", 2542856, 0.057, 1),
    "regnet_x_16gf": TorchvisionModel("RegNetX_16GF", "Designing Network Design Spaces", 54278536, 15.941, 1),
    "regnet_x_1_6gf": TorchvisionModel("RegNetX_1.6GF", "Designing Network Design Spaces", 9190136, 1.603, 1),
    "regnet_x_32gf": TorchvisionModel("RegNetX_32GF", "Designing Network Design Spaces", 107811560, 31.736, 1),
    "regnet_x_3_2gf": TorchvisionModel("RegNetX_3.2GF", "Designing Network Design Spaces", 15296552, 3.177, 1),
    "regnet_x_400mf": TorchvisionModel("RegNetX_400MF", "Designing Network Design Spaces", 5495976, 0.414, 1),
    "regnet_x_800mf": TorchvisionModel("RegNetX_800MF", "Designing Network Design Spaces", 7259656, 0.8, 1),
    "regnet_x_8gf": TorchvisionModel("RegNetX_8GF", "Designing Network Design Spaces", 39572648, 7.995, 1),
    "regnet_y_128gf": TorchvisionModel("RegNetY_128GF", "Designing Network Design Spaces", 644812894, 374.57, 1),
    "regnet_y_16gf": TorchvisionModel("RegNetY_16GF", "Designing Network Design Spaces", 83590140, 15.912, 1),
    "regnet_y_1_6gf": TorchvisionModel("RegNetY_1.6GF", "Designing Network Design Spaces", 11202430, 1.612, 1),
    "regnet_y_32gf": TorchvisionModel("RegNetY_32GF", "Designing Network Design Spaces", 145046770, 32.28, 1),
    "regnet_y_3_2gf": TorchvisionModel("RegNetY_3.2GF", "Designing Network Design Spaces", 19436338, 3.176, 1),
    "regnet_y_400mf": TorchvisionModel("RegNetY_400MF", "Designing Network Design Spaces", 4344144, 0.402, 1),
    "regnet_y_800mf": TorchvisionModel("RegNetY_800MF", "Designing Network Design Spaces", 6432512, 0.834, 1),
    "regnet_y_8gf": TorchvisionModel("RegNetY_8GF", "Designing Network Design Spaces", 39381472, 8.473, 1),
    "resnet101": TorchvisionModel("ResNet-101", "Deep Residual Learning for Image Recognition", 44549160, 7.801, 1),
    "resnet152": TorchvisionModel("ResNet-152", "Deep Residual Learning for Image Recognition", 60192808, 11.514, 1),
    "resnet18": TorchvisionModel("ResNet-18", "Deep Residual Learning for Image Recognition", 11689512, 1.814, 1),
    "resnet34": TorchvisionModel("ResNet-34", "Deep Residual Learning for Image Recognition", 21797672, 3.664, 1),
    "resnet50": TorchvisionModel("ResNet-50", "Deep Residual Learning for Image Recognition", 25557032, 4.089, 1),
    "resnext101_32x8d": TorchvisionModel(
        "ResNeXt-101 32x8d", "Aggregated Residual Transformation for Deep Neural Networks", 88791336, 16.414, 1
    ),
    "resnext101_64x4d": TorchvisionModel(
        "ResNeXt-101 64x4d", "Aggregated Residual Transformation for Deep Neural Networks", 83455272, 15.46, 1
    ),
    "resnext50_32x4d": TorchvisionModel(
        "ResNeXt-50 32x4d", "Aggregated Residual Transformation for Deep Neural Networks", 25028904, 4.23, 1
    ),
    "shufflenet_v2_x0_5": TorchvisionModel(
        "ShuffleNetV2 architecture with 0.5x output channels",
        "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design",
        1366792,
        0.04,
        1,
    ),
    "shufflenet_v2_x1_0": TorchvisionModel(
        "ShuffleNetV2 architecture with 1.0x output channels",
        "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design",
        2278604,
        0.145,
        1,
    ),
    "shufflenet_v2_x1_5": TorchvisionModel(
        "ShuffleNetV2 architecture with 1.5x output channels",
        "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design",
        3503624,
        0.296,
        1,
    ),
    "shufflenet_v2_x2_0": TorchvisionModel(
        "ShuffleNetV2 architecture with 2.0x output channels",
        "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design",
        7393996,
        0.583,
        1,
    ),
    "squeezenet1_0": TorchvisionModel(
        "SqueezeNet", "SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and", 1248424, 0.819, 21
    ),
    "squeezenet1_1": TorchvisionModel("SqueezeNet 1.1", "official SqueezeNet repo", 1235496, 0.349, 17),
    "swin_b": TorchvisionModel(
        "Swin-B", "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows", 87768224, 15.431, 32
    ),
    "swin_s": TorchvisionModel(
        "Swin-S", "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows", 49606258, 8.741, 32
    ),
    "swin_t": TorchvisionModel(
        "Swin-T", "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows", 28288354, 4.491, 32
    ),
    "swin_v2_b": TorchvisionModel(
        "Swin V2-B", "Swin Transformer V2: Scaling Up Capacity and Resolution", 87930848, 20.325, 32
    ),
    "swin_v2_s": TorchvisionModel(
        "Swin V2-S", "Swin Transformer V2: Scaling Up Capacity and Resolution", 49737442, 11.546, 32
    ),
    "swin_v2_t": TorchvisionModel(
        "Swin V2-T", "Swin Transformer V2: Scaling Up Capacity and Resolution", 28351570, 5.94, 32
    ),
    "vgg11": TorchvisionModel(
        "VGG-11", "Very Deep Convolutional Networks for Large-Scale Image Recognition", 132863336, 7.609, 32
    ),
    "vgg11_bn": TorchvisionModel(
        "VGG-11-BN", "Very Deep Convolutional Networks for Large-Scale Image Recognition", 132868840, 7.609, 32
    ),
    "vgg13": TorchvisionModel(
        "VGG-13", "Very Deep Convolutional Networks for Large-Scale Image Recognition", 133047848, 11.308, 32
    ),
    "vgg13_bn": TorchvisionModel(
        "VGG-13-BN", "Very Deep Convolutional Networks for Large-Scale Image Recognition", 133053736, 11.308, 32
    ),
    "vgg16": TorchvisionModel(
        "VGG-16", "Very Deep Convolutional Networks for Large-Scale Image Recognition", 138357544, 15.47, 32
    ),
    "vgg16_bn": TorchvisionModel(
        "VGG-16-BN", "Very Deep Convolutional Networks for Large-Scale Image Recognition", 138365992, 15.47, 32
    ),
    "vgg19": TorchvisionModel(
        "VGG-19", "Very Deep Convolutional Networks for Large-Scale Image Recognition", 143667240, 19.632, 32
    ),
    "vgg19_bn": TorchvisionModel(
        "VGG-19_BN", "Very Deep Convolutional Networks for Large-Scale Image Recognition", 143678248, 19.632, 32
    ),
    "vit_b_16": TorchvisionModel(
        "ViT-B/16", "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", 86567656, 17.564, 16
    ),
    "vit_b_32": TorchvisionModel(
        "ViT-B/32", "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", 88224232, 4.409, 32
    ),
    "vit_h_14": TorchvisionModel(
        "ViT-H/14",
        "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale",
        633470440,
        1016.717,
        14,
    ),
    "vit_l_16": TorchvisionModel(
        "ViT-L/16", "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", 304326632, 61.555, 16
    ),
    "vit_l_32": TorchvisionModel(
        "ViT-L/32", "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", 306535400, 15.378, 32
    ),
    "wide_resnet101_2": TorchvisionModel("Wide ResNet-101-2", "Wide Residual Networks", 126886696, 22.753, 1),
    "wide_resnet50_2": TorchvisionModel("Wide ResNet-50-2", "Wide Residual Networks", 68883240, 11.398, 1),
}

# name prefix -> family, first match wins
_FAMILIES = (
    ("resnext", "resnet"),
    ("wide_resnet", "resnet"),
    ("resnet", "resnet"),
    ("mobilenet", "mobilenet"),
    ("efficientnet", "efficientnet"),
    ("convnext", "convnext"),
    ("regnet", "regnet"),
    ("vit_", "vit"),
    ("swin", "swin"),
    ("maxvit", "maxvit"),
    ("vgg", "vgg"),
    ("densenet", "densenet"),
    ("squeezenet", "squeezenet"),
    ("shufflenet", "shufflenet"),
    ("mnasnet", "mnasnet"),
    ("alexnet", "alexnet"),
    ("googlenet", "inception"),
    ("inception", "inception"),
)


def family(name: str) -> str:
    """The family a torchvision model name belongs to (for grouping the picker)."""
    for prefix, fam in _FAMILIES:
        if name.startswith(prefix):
            return fam
    return re.sub(r"[\d_].*$", "", name) or name


def describe(name: str) -> Message:
    """The picker's description, composed of messages.TV_* templates only (so the GUI translates it)."""
    model = TORCHVISION_MODELS[name]
    if model.num_params and model.gflops:
        text = messages.TV_MODEL.format(title=model.title, params=model.num_params / 1e6, gflops=model.gflops)
    else:
        text = messages.TV_MODEL_PLAIN.format(title=model.title)
    if model.paper:
        text += messages.TV_PAPER.format(paper=model.paper)
    if model.min_size > 1:
        return text + messages.TV_WEIGHTS_ENLARGED.format(size=model.min_size)
    return text + messages.TV_WEIGHTS
