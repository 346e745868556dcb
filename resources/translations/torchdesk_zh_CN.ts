<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../gui/menus.py" line="34"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="39"/>
        <source>&amp;New run</source>
        <translation>新建训练(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="42"/>
        <source>Reset every setting to its default (the built-in digits with an MLP)</source>
        <translation>将所有设置重置为默认值（内置的 digits 手写数字数据集和 MLP）</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="48"/>
        <source>&amp;Open config…</source>
        <translation>打开配置(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="51"/>
        <source>Load a run configuration (TOML)</source>
        <translation>加载训练配置（TOML）</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="54"/>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="59"/>
        <source>&amp;Save config as…</source>
        <translation>配置另存为(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="62"/>
        <source>Write the current configuration to a TOML file</source>
        <translation>将当前配置写入 TOML 文件</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="68"/>
        <source>Export as &amp;Python script…</source>
        <translation>导出为 Python 脚本(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="71"/>
        <source>Write the current settings as one standalone plain-PyTorch training script</source>
        <translation>将当前设置写成一个独立的纯 PyTorch 训练脚本</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="78"/>
        <source>&amp;Load weights/checkpoint…</source>
        <translation>加载权重/检查点(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="79"/>
        <source>Load a weights or checkpoint file (into the current model)</source>
        <translation>加载权重或检查点文件（载入当前模型）</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="81"/>
        <source>Save &amp;model…</source>
        <translation>保存模型(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="81"/>
        <source>Save the current model as weights, a checkpoint, TorchScript…</source>
        <translation>将当前模型保存为权重、检查点、TorchScript…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="82"/>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="82"/>
        <source>Export the current model to ONNX, TorchScript or .pt2</source>
        <translation>将当前模型导出为 ONNX、TorchScript 或 .pt2</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="83"/>
        <source>&amp;Quantize…</source>
        <translation>量化(&amp;Q)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="83"/>
        <source>Compare quantization methods and save one</source>
        <translation>比较量化方法并保存其中之一</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="87"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="99"/>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="104"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="106"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="106"/>
        <source>Start training with the current configuration</source>
        <translation>用当前配置开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="108"/>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="108"/>
        <source>Pause or resume the run</source>
        <translation>暂停或继续训练</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="112"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="115"/>
        <source>Stop the run after the current step and save a checkpoint</source>
        <translation>在当前步结束后停止训练并保存检查点</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="122"/>
        <source>&amp;Resume from checkpoint…</source>
        <translation>从检查点恢复(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="125"/>
        <source>Continue a saved run up to the number of epochs in the Training panel</source>
        <translation>继续已保存的训练，直到“训练”面板中设定的轮数</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="129"/>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="134"/>
        <source>&amp;Evaluate…</source>
        <translation>评估(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="135"/>
        <source>Metrics, confusion matrix, ROC/PR curves and robustness of the current model</source>
        <translation>当前模型的指标、混淆矩阵、ROC/PR 曲线与鲁棒性</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="137"/>
        <source>&amp;Predict…</source>
        <translation>预测(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="137"/>
        <source>Top-k classes for images or CSV rows</source>
        <translation>图像或 CSV 行的 Top-k 类别</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="143"/>
        <source>Find &amp;learning rate…</source>
        <translation>查找学习率(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="146"/>
        <source>Learning-rate range test on a copy of the configured model: the loss curve and a suggested rate</source>
        <translation>在所配置模型的副本上进行学习率范围测试：给出损失曲线和建议的学习率</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="152"/>
        <source>S&amp;weep…</source>
        <translation>超参数搜索(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="155"/>
        <source>Search hyper-parameters with Optuna on the current configuration; every trial is a run</source>
        <translation>在当前配置上用 Optuna 搜索超参数；每个试验都是一次训练</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="159"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="161"/>
        <source>&amp;Events log</source>
        <translation>事件日志(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="166"/>
        <source>R&amp;uns</source>
        <translation>运行记录(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="172"/>
        <source>&amp;Code</source>
        <translation>代码(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="175"/>
        <source>The training script of the current settings, in plain PyTorch</source>
        <translation>当前设置对应的训练脚本（纯 PyTorch）</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="178"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="181"/>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="181"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="181"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="189"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="193"/>
        <source>&amp;System default</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="252"/>
        <source>Queued: training starts as soon as PyTorch has loaded. Press again to cancel.</source>
        <translation>已排队：PyTorch 加载完成后立即开始训练。再按一次可取消。</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="254"/>
        <source>PyTorch is loading: press Start (F5) and training starts as soon as it has loaded</source>
        <translation>PyTorch 正在加载：按“开始”（F5），加载完成后即开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="256"/>
        <source>Cannot start: {reason}</source>
        <translation>无法开始：{reason}</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="260"/>
        <source>Queued…</source>
        <translation>排队中…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="260"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../gui/i18n.py" line="192"/>
        <location filename="../../gui/i18n.py" line="195"/>
        <location filename="../../gui/i18n.py" line="199"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../gui/i18n.py" line="195"/>
        <source>The new language is used the next time TorchDesk starts.</source>
        <translation>新的语言将在下次启动 TorchDesk 时生效。</translation>
    </message>
    <message>
        <location filename="../../gui/i18n.py" line="200"/>
        <source>The new language applies when TorchDesk restarts. Restart now? Your settings are kept.</source>
        <translation>新语言将在 TorchDesk 重启后生效。现在重启吗？你的设置会保留。</translation>
    </message>
    <message>
        <location filename="../../gui/i18n.py" line="202"/>
        <source>Restart now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <location filename="../../gui/i18n.py" line="203"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="209"/>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="211"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="212"/>
        <source>&amp;About TorchDesk</source>
        <translation>关于 TorchDesk(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="216"/>
        <source>&amp;Copy diagnostics</source>
        <translation>复制诊断信息(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="219"/>
        <source>Copy versions and devices to the clipboard for a bug report</source>
        <translation>将版本和设备信息复制到剪贴板，用于报告问题</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="245"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="245"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="258"/>
        <source>Start training (F5)</source>
        <translation>开始训练（F5）</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="88"/>
        <source>PyTorch is still loading: drop it again when Start is ready.</source>
        <translation>PyTorch 仍在加载：请在“开始”可用后再拖放一次。</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="95"/>
        <source>A run is in progress: drop {name} again when it has ended.</source>
        <translation>正在进行训练：请在训练结束后再拖放 {name}。</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="102"/>
        <source>Dataset: {path}</source>
        <translation>数据集：{path}</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="109"/>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="110"/>
        <source>{name} is a training checkpoint. Continue training from it, or load its model?</source>
        <translation>{name} 是训练检查点。要从它继续训练，还是加载它的模型？</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="111"/>
        <source>Resume training</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="111"/>
        <source>Load the model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="121"/>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="122"/>
        <source>What should TorchDesk do with {name}?</source>
        <translation>TorchDesk 应如何处理 {name}？</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="123"/>
        <source>Predict…</source>
        <translation>预测…</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="123"/>
        <source>Evaluate…</source>
        <translation>评估…</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="123"/>
        <source>Load into the app…</source>
        <translation>载入应用…</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="136"/>
        <source>{name} cannot be used here. Drop an image folder or a CSV file (the dataset), a run config (.toml), a checkpoint (.ckpt) or run folder, a model file ({models}), or images to predict.</source>
        <translation>{name} 无法在这里使用。请拖放图像文件夹或 CSV 文件（数据集）、训练配置（.toml）、检查点（.ckpt）或运行文件夹、模型文件（{models}），或要预测的图像。</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="138"/>
        <source>This</source>
        <translation>此项</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../gui/dialogs/about_dialog.py" line="46"/>
        <source>About TorchDesk</source>
        <translation>关于 TorchDesk</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/about_dialog.py" line="48"/>
        <source>&lt;h2&gt;TorchDesk&lt;/h2&gt;&lt;p&gt;Train PyTorch models from a desktop window.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;TorchDesk&lt;/h2&gt;&lt;p&gt;在桌面窗口中训练 PyTorch 模型。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/about_dialog.py" line="53"/>
        <source>Copy diagnostics</source>
        <translation>复制诊断信息</translation>
    </message>
</context>
<context>
    <name>ArtifactDialog</name>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="133"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="141"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="162"/>
        <source>No model yet: choose a checkpoint or weights file.</source>
        <translation>尚无模型：请选择检查点或权重文件。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="168"/>
        <location filename="../../gui/dialogs/artifact_base.py" line="277"/>
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="200"/>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="212"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="225"/>
        <source>Loading the trusted file…</source>
        <translation>正在加载受信任的文件…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="233"/>
        <source> — problem</source>
        <translation> — 出现问题</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="239"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="247"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="252"/>
        <source>Cancelled; nothing was written.</source>
        <translation>已取消；未写入任何文件。</translation>
    </message>
</context>
<context>
    <name>Backend</name>
    <message>
        <location filename="../../build/backend_strings.py" line="5"/>
        <source>Hidden sizes</source>
        <translation>隐藏层大小</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="6"/>
        <source>Width of each hidden fully connected layer (mlp); simple_cnn and vgg_small use the first entry as the width of their hidden classifier layer</source>
        <translation>每个全连接隐藏层的宽度（mlp）；simple_cnn 和 vgg_small 用第一个值作为分类器隐藏层的宽度</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="7"/>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="8"/>
        <source>Non-linearity between layers</source>
        <translation>层与层之间的非线性函数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="9"/>
        <source>Dropout</source>
        <translation>Dropout 比例</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="10"/>
        <source>Probability of zeroing an activation in the classifier during training (the tutorials&apos; vgg_small uses 0.5)</source>
        <translation>训练时分类器中激活值被置零的概率（教程中的 vgg_small 使用 0.5）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="11"/>
        <source>Batch normalisation</source>
        <translation>批归一化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="12"/>
        <source>Normalise the hidden activations per batch (BatchNorm)</source>
        <translation>按批对隐藏层的激活值做归一化（BatchNorm）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="13"/>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="14"/>
        <source>Channels of the first convolution block; each later block doubles them (64 gives the tutorials&apos; 64/128/256 network; 16 trains much faster on a CPU)</source>
        <translation>第一个卷积块的通道数，之后每个块翻倍（64 即教程中的 64/128/256 网络；16 在 CPU 上训练快得多）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="15"/>
        <source>Input size</source>
        <translation>输入尺寸</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="16"/>
        <source>Side in pixels of the images the network sees; images are resized inside the model. 0 = automatic: the dataset&apos;s size, enlarged to the smallest size the model accepts (use the pretraining size, often 224, when fine-tuning pretrained weights)</source>
        <translation>网络看到的图像边长（像素）；图像在模型内部缩放。0 = 自动：使用数据集的尺寸，并放大到模型可接受的最小尺寸（微调预训练权重时请使用预训练时的尺寸，通常为 224）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="17"/>
        <source>Weights file</source>
        <translation>权重文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="18"/>
        <source>A local weights file (.pth, .pt or .safetensors state dict, or a TorchDesk checkpoint) to start from; layers whose shapes do not fit (the classifier head, for a different number of classes) keep their initialisation and are listed. Empty = random initialisation. Nothing is ever downloaded</source>
        <translation>作为起点的本地权重文件（.pth、.pt 或 .safetensors 格式的 state dict，或 TorchDesk 检查点）；形状不匹配的层（例如类别数不同时的分类头）保持初始值，并会被列出。留空 = 随机初始化。不会下载任何内容</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="19"/>
        <source>Weights (*.pth *.pt *.bin *.safetensors *.ckpt)</source>
        <translation>权重文件 (*.pth *.pt *.bin *.safetensors *.ckpt)</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="20"/>
        <source>Initialisation</source>
        <translation>初始化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="21"/>
        <source>Weight initialisation applied after building: default (the model&apos;s own), kaiming (He normal: fan_out for convolutions, fan_in for linear layers), xavier (Glorot normal) or normal (N(0, 0.01)); biases 0, normalisation layers 1/0. A weights file overrides it where it fits</source>
        <translation>构建模型后应用的权重初始化：default（模型自带的方式）、kaiming（He 正态分布：卷积层用 fan_out，线性层用 fan_in）、xavier（Glorot 正态分布）或 normal（N(0, 0.01)）；偏置为 0，归一化层为 1/0。权重文件中形状匹配的部分会覆盖它</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="22"/>
        <source>Freeze backbone</source>
        <translation>冻结主干网络</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="23"/>
        <source>Train only the classifier head; every other parameter keeps its value (fine-tuning pretrained weights as a feature extractor)</source>
        <translation>只训练分类头，其他参数保持不变（把预训练权重当作特征提取器来微调）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="24"/>
        <source>Backbone lr scale</source>
        <translation>主干网络学习率倍数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="25"/>
        <source>Learning rate of everything except the head, as a fraction of the optimizer&apos;s learning rate (for example 0.1: the backbone learns 10x slower than the new head)</source>
        <translation>除分类头以外所有参数的学习率，以优化器学习率的比例表示（例如 0.1：主干网络的学习速度是新分类头的 1/10）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="26"/>
        <source>Multi-layer perceptron: fully connected layers for tabular features or flattened small images</source>
        <translation>多层感知机：由全连接层组成，适用于表格特征或展平的小图像</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="27"/>
        <source>Two-convolution CNN from the tutorials (conv-ReLU-pool x2, then two linear layers) for images</source>
        <translation>教程中的两层卷积 CNN（卷积-ReLU-池化 x2，然后是两个线性层），用于图像</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="28"/>
        <source>The tutorials&apos; VGG-style CNN: three blocks of (conv-BN-ReLU) x2 + max-pool, widths 64/128/256 (scaled by the width option), then a dropout classifier; images of at least 8x8 pixels</source>
        <translation>教程中的 VGG 风格 CNN：三个由（卷积-BN-ReLU）x2 + 最大池化组成的块，宽度 64/128/256（按“宽度”选项缩放），然后是带 Dropout 的分类器；图像至少 8x8 像素</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="29"/>
        <source>The tutorials&apos; ResNet-18 (BasicBlocks 2-2-2-2) with a CIFAR-sized stem: 3x3 convolution with stride 1 and no max-pool, so 28x28 and 32x32 images keep their detail; widths scaled by the width option</source>
        <translation>教程中的 ResNet-18（BasicBlock 2-2-2-2），采用适合 CIFAR 尺寸的输入层：步长为 1 的 3x3 卷积且没有最大池化，使 28x28 和 32x32 的图像保留细节；宽度按“宽度”选项缩放</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="30"/>
        <source>Small datasets that ship with the app (scikit-learn&apos;s and a generated image set)</source>
        <translation>随应用附带的小型数据集（scikit-learn 的数据集和一个生成的图像数据集）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="31"/>
        <source>Handwritten digits 0-9: 1,797 grey 8x8 images, 10 classes</source>
        <translation>手写数字 0-9：1,797 张 8x8 灰度图像，10 个类别</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="32"/>
        <source>Iris flowers: 150 samples, 4 measurements, 3 species</source>
        <translation>鸢尾花：150 个样本，4 项测量值，3 个品种</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="33"/>
        <source>Wine cultivars: 178 samples, 13 chemical features, 3 classes</source>
        <translation>葡萄酒品种：178 个样本，13 项化学特征，3 个类别</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="34"/>
        <source>Breast cancer diagnosis: 569 samples, 30 features, benign or malignant</source>
        <translation>乳腺癌诊断：569 个样本，30 项特征，良性或恶性</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="35"/>
        <source>Coloured shapes on noise: 2,400 colour 32x32 images, 4 classes (generated)</source>
        <translation>噪声背景上的彩色形状：2,400 张 32x32 彩色图像，4 个类别（生成的数据）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="36"/>
        <source>Diabetes progression: 442 patients, 10 features, a continuous target (regression)</source>
        <translation>糖尿病病情进展：442 名患者，10 项特征，连续的目标值（回归）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="37"/>
        <source>MNIST, FashionMNIST, KMNIST, CIFAR10 or CIFAR100 from a folder in torchvision&apos;s layout</source>
        <translation>从 torchvision 目录结构的文件夹读取 MNIST、FashionMNIST、KMNIST、CIFAR10 或 CIFAR100</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="38"/>
        <source>Handwritten digits: 60,000 grey 28x28 images, 10 classes</source>
        <translation>手写数字：60,000 张 28x28 灰度图像，10 个类别</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="39"/>
        <source>Clothing items: 60,000 grey 28x28 images, 10 classes</source>
        <translation>服饰：60,000 张 28x28 灰度图像，10 个类别</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="40"/>
        <source>Kuzushiji (cursive Japanese) characters: 60,000 grey 28x28 images, 10 classes</source>
        <translation>古日文草书（Kuzushiji）字符：60,000 张 28x28 灰度图像，10 个类别</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="41"/>
        <source>Objects: 50,000 colour 32x32 images, 10 classes</source>
        <translation>物体：50,000 张 32x32 彩色图像，10 个类别</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="42"/>
        <source>Objects: 50,000 colour 32x32 images, 100 classes</source>
        <translation>物体：50,000 张 32x32 彩色图像，100 个类别</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="43"/>
        <source>Your images: one sub-folder per class, or train/ and val/ folders of those</source>
        <translation>你自己的图像：每个类别一个子文件夹，或由这类子文件夹组成的 train/ 和 val/ 文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="44"/>
        <source>A table with a header row: pick the target column; numbers and categories are encoded</source>
        <translation>带表头的表格：选择目标列；数值和类别会自动编码</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="45"/>
        <source>No augmentation</source>
        <translation>不做数据增强</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="46"/>
        <source>Small shifts, rotations and zooms (affine:10,0.1,0.9,1.1,0); safe for digits and text</source>
        <translation>小幅平移、旋转和缩放（affine:10,0.1,0.9,1.1,0）；适用于数字和文字</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="47"/>
        <source>The tutorials&apos; train_transform: random_resized_crop:0.6, hflip, rotation:10, color_jitter:0.2,0.2,0.2</source>
        <translation>教程中的 train_transform：random_resized_crop:0.6, hflip, rotation:10, color_jitter:0.2,0.2,0.2</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="96"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="98"/>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="100"/>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="122"/>
        <source>Peak lr</source>
        <translation>峰值学习率</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="110"/>
        <source>Gamma</source>
        <translation>Gamma</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="128"/>
        <source>Label smoothing</source>
        <translation>标签平滑</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="132"/>
        <source>Focal gamma</source>
        <translation>Focal gamma</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="59"/>
        <source>Validation split</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="61"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="140"/>
        <source>Gradient accumulation</source>
        <translation>梯度累积</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="134"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="49"/>
        <source>Run name</source>
        <translation>运行名称</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="50"/>
        <source>Prefix of the run folder; left empty, it is named after the dataset and the model</source>
        <translation>运行文件夹名称的前缀；留空时按数据集和模型命名</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="51"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="52"/>
        <source>Random seed for the split, initialisation and shuffling</source>
        <translation>用于划分、初始化和打乱的随机种子</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="53"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="54"/>
        <source>Where the training data comes from</source>
        <translation>训练数据的来源</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="55"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="56"/>
        <source>The dataset&apos;s name</source>
        <translation>数据集的名称</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="57"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="58"/>
        <source>The folder (image_folder, torchvision) or file (csv); relative to the config file</source>
        <translation>文件夹（image_folder、torchvision）或文件（csv）；相对于配置文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="60"/>
        <source>Fraction of the samples held out for validation</source>
        <translation>留作验证的样本比例</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="62"/>
        <source>Samples per training step</source>
        <translation>每个训练步的样本数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="63"/>
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="64"/>
        <source>Column to predict: type its name or pick one of the file&apos;s columns</source>
        <translation>要预测的列：输入列名，或从文件的列中选择</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="65"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="66"/>
        <source>auto: classification for text or few integer values, else regression</source>
        <translation>自动：文本或少量整数值为分类，否则为回归</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="67"/>
        <source>Download if missing</source>
        <translation>缺失时下载</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="68"/>
        <source>Fetch the files into the folder first (needs a network)</source>
        <translation>先将文件下载到该文件夹（需要网络）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="69"/>
        <source>Cache</source>
        <translation>缓存</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="70"/>
        <source>auto decodes the images once and keeps them decoded on disk for the next run (in memory when the cache folder cannot be written), memory decodes them into memory, off decodes them from the files every epoch</source>
        <translation>auto 只解码一次图像，并把解码结果保存在磁盘上供下次训练使用（缓存文件夹无法写入时保存在内存中）；memory 把图像解码到内存中；off 每轮都从文件解码图像</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="71"/>
        <source>Cache folder</source>
        <translation>缓存文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="72"/>
        <source>Where the decoded images are kept between runs (cache auto); empty: the user&apos;s cache folder</source>
        <translation>在多次训练之间保存解码图像的位置（cache 为 auto 时）；留空：使用用户的缓存文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="73"/>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="74"/>
        <source>Resize images to this many pixels square; automatic (0) uses the most common size of the images, scaled down to at most 512 pixels a side</source>
        <translation>将图像缩放为该边长的正方形（像素）；自动（0）使用图像中最常见的尺寸，并缩小到每边最多 512 像素</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="75"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="76"/>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="77"/>
        <source>Random changes to the training images: none, light, standard, or custom (the list in data.transforms)</source>
        <translation>对训练图像的随机变换：none、light、standard 或 custom（使用 data.transforms 中的列表）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="78"/>
        <source>Transforms</source>
        <translation>变换</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="79"/>
        <source>Custom augmentation, applied in order, e.g. hflip, rotation:15 ([&quot;hflip&quot;, &quot;rotation:15&quot;] in a file)</source>
        <translation>自定义数据增强，按顺序应用，例如 hflip, rotation:15（在文件中写作 [&quot;hflip&quot;, &quot;rotation:15&quot;]）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="80"/>
        <source>Normalisation</source>
        <translation>归一化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="81"/>
        <source>Subtract the mean and divide by the standard deviation of the dataset, of ImageNet, or none</source>
        <translation>减去均值并除以标准差：使用数据集的、ImageNet 的，或不做归一化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="82"/>
        <source>Balanced sampling</source>
        <translation>均衡采样</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="83"/>
        <source>Draw every class equally often (for imbalanced classes)</source>
        <translation>各类别以相同频率抽样（用于类别不平衡）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="84"/>
        <source>Drop the last partial batch</source>
        <translation>丢弃最后不完整的批</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="85"/>
        <source>Skip the last, smaller batch of each epoch</source>
        <translation>跳过每轮最后一个不完整的批</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="86"/>
        <source>Loader workers</source>
        <translation>加载进程数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="87"/>
        <source>Processes decoding images when they are streamed from disk (cache off)</source>
        <translation>从磁盘流式读取图像时（cache 为 off）用于解码图像的进程数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="88"/>
        <source>Pin memory</source>
        <translation>锁页内存</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="89"/>
        <source>Page-locked batches copy to a GPU faster</source>
        <translation>页锁定的批数据复制到 GPU 更快</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="90"/>
        <source>Keep workers alive</source>
        <translation>保持加载进程常驻</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="91"/>
        <source>Keep the loader workers between epochs (needs at least one worker)</source>
        <translation>在各轮之间保留数据加载进程（至少需要一个加载进程）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="92"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="93"/>
        <source>A registry name (mlp, vgg_small, tv:resnet18, ...) or file:path/to/model.py:ClassName</source>
        <translation>注册表中的名称（mlp、vgg_small、tv:resnet18 等）或 file:path/to/model.py:ClassName</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="94"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="95"/>
        <source>The update rule</source>
        <translation>参数更新规则</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="97"/>
        <source>Step size, e.g. 0.001 or 3e-4</source>
        <translation>步长，例如 0.001 或 3e-4</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="99"/>
        <source>L2 penalty (decoupled for AdamW)</source>
        <translation>L2 惩罚（AdamW 为解耦形式）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="101"/>
        <source>Fraction of the previous update added to the next (SGD and RMSprop)</source>
        <translation>上一次更新叠加到下一次更新中的比例（SGD 和 RMSprop）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="102"/>
        <source>Nesterov momentum</source>
        <translation>Nesterov 动量</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="103"/>
        <source>Look-ahead momentum (SGD only, needs momentum &gt; 0)</source>
        <translation>前瞻动量（仅 SGD，需要动量 &gt; 0）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="104"/>
        <source>Betas</source>
        <translation>Beta 系数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="105"/>
        <source>Decay of the running means of the gradients and of their squares (Adam and AdamW)</source>
        <translation>梯度及其平方的滑动平均的衰减率（Adam 和 AdamW）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="106"/>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="107"/>
        <source>How the learning rate changes during the run</source>
        <translation>训练过程中学习率如何变化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="108"/>
        <source>Step size (epochs)</source>
        <translation>衰减间隔（轮）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="109"/>
        <source>Epochs between two decays</source>
        <translation>两次衰减之间的轮数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="111"/>
        <source>Decay factor applied at each decay</source>
        <translation>每次衰减的乘数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="112"/>
        <source>Milestones (epochs)</source>
        <translation>里程碑（轮）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="113"/>
        <source>Epochs at which to decay, e.g. 30, 60</source>
        <translation>进行衰减的轮次，例如 30, 60</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="114"/>
        <source>Minimum lr</source>
        <translation>最小学习率</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="115"/>
        <source>The learning rate at the end of the decay</source>
        <translation>衰减结束时的学习率</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="116"/>
        <source>Warm-up (epochs)</source>
        <translation>预热（轮）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="117"/>
        <source>Length of the linear warm-up; fractions allowed</source>
        <translation>线性预热的长度；可为小数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="118"/>
        <source>Factor</source>
        <translation>因子</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="119"/>
        <source>Multiply the learning rate by this on a plateau</source>
        <translation>进入平台期时学习率乘以该值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="120"/>
        <source>Patience (epochs)</source>
        <translation>耐心（轮）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="121"/>
        <source>Epochs without improvement before decaying</source>
        <translation>衰减前允许的无改善轮数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="123"/>
        <source>Highest learning rate; 0 means 10 × the learning rate</source>
        <translation>最高学习率；0 表示学习率的 10 倍</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="124"/>
        <source>Warm-up fraction</source>
        <translation>预热比例</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="125"/>
        <source>Fraction of the run spent rising to the peak</source>
        <translation>升至峰值所占的训练比例</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="126"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="127"/>
        <source>What training minimises</source>
        <translation>训练要最小化的目标</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="129"/>
        <source>Spread this much probability over the other classes</source>
        <translation>将这部分概率分摊到其他类别</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="130"/>
        <source>Class weights</source>
        <translation>类别权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="131"/>
        <source>One weight per class, comma separated; empty for equal weights</source>
        <translation>每个类别一个权重，逗号分隔；留空为等权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="133"/>
        <source>How strongly easy examples are down-weighted</source>
        <translation>易分样本权重降低的程度</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="135"/>
        <source>Passes over the training set</source>
        <translation>遍历训练集的次数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="136"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="137"/>
        <source>auto (a GPU when there is one), cpu, cuda, cuda:N or mps</source>
        <translation>auto（有 GPU 时使用 GPU）、cpu、cuda、cuda:N 或 mps</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="138"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="139"/>
        <source>Number format of the training computations</source>
        <translation>训练计算所用的数值格式</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="141"/>
        <source>Batches per optimizer step (a larger effective batch)</source>
        <translation>每次优化器更新累积的批数（更大的等效批大小）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="142"/>
        <source>Clip grad norm</source>
        <translation>梯度范数裁剪</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="143"/>
        <source>Largest gradient norm; 0 disables</source>
        <translation>最大梯度范数；0 表示不裁剪</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="144"/>
        <source>Clip grad value</source>
        <translation>梯度值裁剪</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="145"/>
        <source>Largest absolute gradient value; 0 disables</source>
        <translation>最大梯度绝对值；0 表示不裁剪</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="146"/>
        <source>Deterministic (reproducible, slower)</source>
        <translation>确定性（可复现，较慢）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="147"/>
        <source>Use deterministic algorithms so a run can be repeated exactly</source>
        <translation>使用确定性算法，使训练可完全复现</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="148"/>
        <source>Monitor</source>
        <translation>监控指标</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="149"/>
        <source>Metric that picks the best checkpoint and drives early stopping</source>
        <translation>用于选择最佳检查点并决定提前停止的指标</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="150"/>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="151"/>
        <source>auto: higher is better for accuracy, lower otherwise</source>
        <translation>自动：准确率越高越好，其他越低越好</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="152"/>
        <source>Stop early when the metric stops improving</source>
        <translation>指标不再改善时提前停止</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="153"/>
        <source>Stop when the monitored metric stalls</source>
        <translation>监控的指标停滞时停止训练</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="154"/>
        <source>Epochs without improvement before stopping</source>
        <translation>停止前允许的无改善轮数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="155"/>
        <source>Minimum change</source>
        <translation>最小变化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="156"/>
        <source>Smaller improvements count as none</source>
        <translation>小于该值的改善视为没有改善</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="157"/>
        <source>Checkpoint every (steps)</source>
        <translation>检查点间隔（步）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="158"/>
        <source>Also save a checkpoint every N steps; 0: only at epoch ends</source>
        <translation>另外每 N 步保存一次检查点；0：只在每轮结束时保存</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="159"/>
        <source>epoch ends only</source>
        <translation>仅在每轮结束时</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="160"/>
        <source>Write TensorBoard logs</source>
        <translation>写入 TensorBoard 日志</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="161"/>
        <source>Log the metrics for TensorBoard too</source>
        <translation>同时为 TensorBoard 记录指标</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="162"/>
        <source>Channels last</source>
        <translation>通道在后（channels last）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="163"/>
        <source>Image models use the NHWC memory layout (1.6x faster for the tutorials&apos; CNN on a CPU)</source>
        <translation>图像模型使用 NHWC 内存布局（教程中的 CNN 在 CPU 上快 1.6 倍）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="164"/>
        <source>Compile the model</source>
        <translation>编译模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="165"/>
        <source>torch.compile the model (needs a C++ compiler; not in the frozen app)</source>
        <translation>用 torch.compile 编译模型（需要 C++ 编译器；打包版应用中不可用）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="166"/>
        <source>Runs folder</source>
        <translation>运行文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="167"/>
        <source>Each run gets its own folder here (metrics, checkpoints, config)</source>
        <translation>每次训练在此有自己的文件夹（指标、检查点、配置）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="168"/>
        <source>Recipe</source>
        <translation>预设方案</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="169"/>
        <source>default trains with the settings as given; fast picks the batch size, a OneCycle learning rate, label smoothing and augmentation for the task and the data size (the settings it replaces are listed in the run&apos;s log)</source>
        <translation>default 按给定的设置训练；fast 根据任务和数据规模选择批大小、OneCycle 学习率、标签平滑和数据增强（被替换的设置会列在训练日志中）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="170"/>
        <source>the training loss became {loss} at epoch {epoch}, batch {batch}; training stopped. {hint}</source>
        <translation>训练损失在第 {epoch} 轮第 {batch} 个批次变为 {loss}；训练已停止。{hint}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="173"/>
        <source>{monitor} did not improve by more than {min_delta} for {patience} epoch(s)</source>
        <translation>{monitor} 连续 {patience} 轮的改善都没有超过 {min_delta}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="174"/>
        <source>model.weights: {report}</source>
        <translation>model.weights：{report}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="175"/>
        <source>TensorBoard could not trace the model graph: {error}</source>
        <translation>TensorBoard 无法追踪模型的计算图：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="176"/>
        <source>the training loss diverged at epoch {epoch}, batch {batch}: its smoothed value {reason}; training stopped. {hint}</source>
        <translation>训练损失在第 {epoch} 轮第 {batch} 个批次发散：其平滑值 {reason}；训练已停止。{hint}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="177"/>
        <source>the validation loss diverged at the end of epoch {epoch}: its value {reason}; training stopped. {hint}</source>
        <translation>验证损失在第 {epoch} 轮结束时发散：其值 {reason}；训练已停止。{hint}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="178"/>
        <source>the model diverged at epoch {epoch}, step {step}: its loss on the first training samples {reason}; training stopped without saving it. {hint}</source>
        <translation>模型在第 {epoch} 轮第 {step} 步发散：它在前几个训练样本上的损失 {reason}；训练已停止，未保存该模型。{hint}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="179"/>
        <source>{value} is not a finite number</source>
        <translation>{value} 不是有限的数值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="180"/>
        <source>{value:.4g} is more than {factor:g} times {scale:.4g}, the loss of the untrained model or of a constant prediction</source>
        <translation>{value:.4g} 超过了 {scale:.4g}（未训练模型或常数预测的损失）的 {factor:g} 倍</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="181"/>
        <source>{value:.4g} is more than {factor:g} times the lowest smoothed training loss ({lowest:.4g}) and {start_factor:g} times the smoothed loss of the first steps ({start:.4g})</source>
        <translation>{value:.4g} 超过了最低平滑训练损失（{lowest:.4g}）的 {factor:g} 倍，也超过了前几步平滑损失（{start:.4g}）的 {start_factor:g} 倍</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="182"/>
        <source>{key} = {value:g} ({label}) is outside its usual range {low:g} to {high:g}; training starts anyway: check that this is the value you meant</source>
        <translation>{key} = {value:g}（{label}）超出了常用范围 {low:g} 到 {high:g}；训练仍会开始：请确认这是你想要的值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="183"/>
        <source>loaded {loaded} of the model&apos;s tensors from {path}</source>
        <translation>已从 {path} 载入模型的 {loaded} 个张量</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="184"/>
        <source>; adapted {key} ({reason})</source>
        <translation>；已调整 {key}（{reason}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="185"/>
        <source>; skipped {key} ({reason})</source>
        <translation>；已跳过 {key}（{reason}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="186"/>
        <source>, {key} ({reason})</source>
        <translation>，{key}（{reason}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="187"/>
        <source>; kept at initialisation: {keys}</source>
        <translation>；保持初始值：{keys}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="188"/>
        <source> and {count} more</source>
        <translation>，另有 {count} 个</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="189"/>
        <source>not in this model</source>
        <translation>本模型中没有</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="190"/>
        <source>{file_channels} input channels in the file, {model_channels} in the model: {how}</source>
        <translation>文件中为 {file_channels} 个输入通道，模型中为 {model_channels} 个：{how}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="191"/>
        <source>RGB filters averaged (x3)</source>
        <translation>RGB 卷积核取平均（x3）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="192"/>
        <source>filters cycled and rescaled</source>
        <translation>卷积核循环复用并重新缩放</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="193"/>
        <source>position embedding resized from {file_tokens} to {model_tokens} tokens</source>
        <translation>位置嵌入从 {file_tokens} 个 token 调整为 {model_tokens} 个</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="194"/>
        <source>shape {file_shape} in the file, {model_shape} in the model</source>
        <translation>文件中形状为 {file_shape}，模型中为 {model_shape}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="195"/>
        <source>; the new head keeps its initialisation</source>
        <translation>；新的分类头保持初始值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="196"/>
        <source>{count} row(s) with no value in target column {column!r} were dropped</source>
        <translation>目标列 {column!r} 中没有值的 {count} 行已被丢弃</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="197"/>
        <source>column {column!r} is empty and was ignored</source>
        <translation>列 {column!r} 为空，已忽略</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="198"/>
        <source>column {column!r}: {count} missing value(s) filled with the training mean {fill:.4g}</source>
        <translation>列 {column!r}：{count} 个缺失值已用训练集均值 {fill:.4g} 填充</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="199"/>
        <source>column {column!r}: {count} missing value(s) encoded as all-zero one-hot</source>
        <translation>列 {column!r}：{count} 个缺失值编码为全零的 one-hot 向量</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="200"/>
        <source>{count} unreadable or corrupt image file(s) under {root} were skipped</source>
        <translation>已跳过 {root} 下 {count} 个无法读取或已损坏的图像文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="201"/>
        <source>{count} unreadable image file(s) under {root} were skipped</source>
        <translation>已跳过 {root} 下 {count} 个无法读取的图像文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="202"/>
        <source>image data: {reason}</source>
        <translation>图像数据：{reason}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="203"/>
        <source>{mib:.1f} MiB as uint8</source>
        <translation>以 uint8 存储共 {mib:.1f} MiB</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="204"/>
        <source>data.cache = &apos;off&apos;: images are decoded from disk every epoch ({size})</source>
        <translation>data.cache = &apos;off&apos;：每轮都从磁盘解码图像（{size}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="205"/>
        <source>data.cache = &apos;memory&apos;: decoded once into {size}</source>
        <translation>data.cache = &apos;memory&apos;：只解码一次，{size}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="206"/>
        <source>decoded once into memory ({size}, fits in {where})</source>
        <translation>只解码一次并放入内存（{size}，{where}放得下）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="207"/>
        <source>streamed from disk: the decoded dataset ({size}) would not fit in {where}</source>
        <translation>从磁盘流式读取：解码后的数据集（{size}）{where}放不下</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="208"/>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="209"/>
        <source>GPU memory</source>
        <translation>显存</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="210"/>
        <source>{name} is {width}x{height} pixels ({megapixels:.1f} MP), above the {limit:.1f} MP limit for images; resize it to fewer pixels</source>
        <translation>{name} 为 {width}x{height} 像素（{megapixels:.1f} 百万像素），超过了图像 {limit:.1f} 百万像素的上限；请把它缩小到更少的像素</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="211"/>
        <source>{name} declares more than {limit:.1f} MP, the limit for images (a decompression bomb?); resize it to fewer pixels or remove it</source>
        <translation>{name} 声明的尺寸超过 {limit:.1f} 百万像素，即图像的上限（是解压炸弹吗？）；请把它缩小到更少的像素，或删除它</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="212"/>
        <source>{count} of the {checked} image file(s) checked under {root} are unreadable or above the pixel limit and will be skipped</source>
        <translation>在 {root} 下检查的 {checked} 个图像文件中，有 {count} 个无法读取或超过像素上限，将被跳过</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="213"/>
        <source>{path} must be 0 (automatic) or between 1 and {max} pixels, got {value}</source>
        <translation>{path} 必须为 0（自动）或 1 到 {max} 像素之间的值，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="214"/>
        <source>data.num_workers must be at most {max} (each worker is a process of its own), got {value}</source>
        <translation>data.num_workers 最多为 {max}（每个加载进程都是一个独立的进程），实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="215"/>
        <source>{count} images of {name} at {height}x{width} pixels need {need_gib:,.1f} GiB as uint8, more than the {free_gib:,.1f} GiB of RAM free; use a smaller data.image_size</source>
        <translation>{name} 的 {count} 张 {height}x{width} 像素的图像以 uint8 存储需要 {need_gib:,.1f} GiB，超过了 {free_gib:,.1f} GiB 的可用内存；请减小 data.image_size</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="216"/>
        <source>{fields}: model {arch} has {params:,} parameters and would need about {need_gib:,.1f} GiB for {what}, more than the {free_gib:,.1f} GiB free in {where}; {fix}</source>
        <translation>{fields}：模型 {arch} 有 {params:,} 个参数，{what}约需 {need_gib:,.1f} GiB，超过了{where}中可用的 {free_gib:,.1f} GiB；{fix}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="217"/>
        <source>{fields}: building model {arch} ran out of memory ({error}); {fix}</source>
        <translation>{fields}：构建模型 {arch} 时内存不足（{error}）；{fix}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="218"/>
        <source>data.batch_size = {batch}: a training step of {arch} would need about {need_gib:,.1f} GiB (gradients, optimizer state and {sample_mib:,.2f} MiB of activations per sample), more than the {free_gib:,.1f} GiB free in {where}; use a smaller data.batch_size or data.image_size</source>
        <translation>data.batch_size = {batch}：{arch} 的一个训练步约需 {need_gib:,.1f} GiB（梯度、优化器状态，以及每个样本 {sample_mib:,.2f} MiB 的激活），超过了{where}中可用的 {free_gib:,.1f} GiB；请减小 data.batch_size 或 data.image_size</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="219"/>
        <source>its weights</source>
        <translation>其权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="220"/>
        <source>training (weights, gradients and optimizer state)</source>
        <translation>训练（权重、梯度和优化器状态）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="221"/>
        <source>make {fields} smaller or choose a smaller model</source>
        <translation>请减小 {fields}，或选择更小的模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="222"/>
        <source>choose a smaller model</source>
        <translation>请选择更小的模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="223"/>
        <source>{title} (torchvision, {params:.1f}M parameters, {gflops:.2f} GFLOPs at ImageNet size)</source>
        <translation>{title}（torchvision，{params:.1f}M 参数，ImageNet 尺寸下 {gflops:.2f} GFLOPs）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="224"/>
        <source>{title} (torchvision)</source>
        <translation>{title}（torchvision）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="225"/>
        <source>, from &apos;{paper}&apos;</source>
        <translation>，出自论文“{paper}”</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="226"/>
        <source>. Random weights, or a local weights file.</source>
        <translation>。随机初始化权重，或加载本地权重文件。</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="227"/>
        <source>. Random weights, or a local weights file; images smaller than {size}x{size} are enlarged inside the model.</source>
        <translation>。随机初始化权重，或加载本地权重文件；小于 {size}x{size} 的图像会在模型内部放大。</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="228"/>
        <source>torch.compile is not available in the packaged app: it needs the Python sources and a C++ compiler at run time</source>
        <translation>打包版应用中无法使用 torch.compile：它在运行时需要 Python 源代码和 C++ 编译器</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="229"/>
        <source>torch.compile does not support Python {version} yet</source>
        <translation>torch.compile 尚不支持 Python {version}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="230"/>
        <source>torch.compile cannot be imported here: {error}</source>
        <translation>此处无法导入 torch.compile：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="231"/>
        <source>torch.compile needs a C++ compiler (gcc, clang or MSVC) on the PATH, and none was found</source>
        <translation>torch.compile 需要 PATH 中有 C++ 编译器（gcc、clang 或 MSVC），但没有找到</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="232"/>
        <source>reading the test set</source>
        <translation>正在读取测试集</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="233"/>
        <source>evaluating on the {split} split</source>
        <translation>正在 {split} 数据上评估</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="234"/>
        <source>computing metrics</source>
        <translation>正在计算指标</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="235"/>
        <source>loading a validation batch</source>
        <translation>正在加载一个验证集批次</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="236"/>
        <source>exporting to ONNX</source>
        <translation>正在导出为 ONNX</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="237"/>
        <source>writing the file</source>
        <translation>正在写入文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="238"/>
        <source>checking the model</source>
        <translation>正在检查模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="239"/>
        <source>parity in ONNX Runtime</source>
        <translation>正在 ONNX Runtime 中核对输出一致性</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="240"/>
        <source>TorchScript {method}</source>
        <translation>正在用 TorchScript {method} 转换模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="241"/>
        <source>reloading with torch.jit.load</source>
        <translation>正在用 torch.jit.load 重新加载</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="242"/>
        <source>torch.export</source>
        <translation>正在用 torch.export 捕获模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="243"/>
        <source>reloading with torch.export.load</source>
        <translation>正在用 torch.export.load 重新加载</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="244"/>
        <source>preparing the fp32 reference</source>
        <translation>正在准备 fp32 参考结果</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="245"/>
        <source>{method}: building</source>
        <translation>{method}：正在构建</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="246"/>
        <source>{method}: measuring</source>
        <translation>{method}：正在测量</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="247"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="248"/>
        <source>{count} validation samples</source>
        <translation>{count} 个验证集样本</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="249"/>
        <source>{count} random inputs (the validation data could not be loaded: {error})</source>
        <translation>{count} 个随机输入（无法加载验证集数据：{error}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="250"/>
        <source>dynamic int8 (Linear/LSTM/GRU weights)</source>
        <translation>动态 int8（Linear/LSTM/GRU 权重）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="251"/>
        <source>int8 weights, activations quantized on the fly; saved as TorchScript</source>
        <translation>int8 权重，激活在运行时即时量化；保存为 TorchScript</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="252"/>
        <source>static int8 (FX graph mode, calibrated)</source>
        <translation>静态 int8（FX 图模式，已校准）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="253"/>
        <source>int8 weights and activations, ranges calibrated on training batches; best for conv nets</source>
        <translation>int8 权重和激活，数值范围在训练批次上校准；最适合卷积网络</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="254"/>
        <source>fp16 weights</source>
        <translation>fp16 权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="255"/>
        <source>half-precision weights: half the size; CPU speed depends on the processor</source>
        <translation>半精度权重：大小减半；CPU 上的速度取决于处理器</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="256"/>
        <source>bf16 weights</source>
        <translation>bf16 权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="257"/>
        <source>bfloat16 weights: half the size; fast only on CPUs with bf16 instructions</source>
        <translation>bfloat16 权重：大小减半；仅在支持 bf16 指令的 CPU 上较快</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="258"/>
        <source>ONNX Runtime dynamic int8</source>
        <translation>ONNX Runtime 动态 int8</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="259"/>
        <source>exported to ONNX, pre-processed (quant_pre_process), int8 MatMul/Gemm weights</source>
        <translation>导出为 ONNX 并预处理（quant_pre_process），MatMul/Gemm 权重为 int8</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="260"/>
        <source>ONNX Runtime static int8 (QDQ)</source>
        <translation>ONNX Runtime 静态 int8（QDQ）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="261"/>
        <source>exported to ONNX, QDQ int8 weights and activations calibrated on training batches</source>
        <translation>导出为 ONNX，QDQ int8 权重和激活，在训练批次上校准</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="262"/>
        <source>{name} is a {format} archive; quantize from the checkpoint or weights file</source>
        <translation>{name} 是 {format} 归档文件；请从检查点或权重文件进行量化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="263"/>
        <source>needs the run&apos;s training data for calibration, and this file does not name its dataset</source>
        <translation>校准需要该运行的训练数据，而此文件没有注明其数据集</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="264"/>
        <source>the model has no Linear, LSTM or GRU layer, the only layers dynamic int8 quantizes</source>
        <translation>模型中没有 Linear、LSTM 或 GRU 层，而动态 int8 只量化这些层</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="265"/>
        <source>the model has no convolution or Linear layer to quantize</source>
        <translation>模型中没有可量化的卷积层或 Linear 层</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="266"/>
        <source>torch.ao.quantization is not part of PyTorch {version}</source>
        <translation>PyTorch {version} 不包含 torch.ao.quantization</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="267"/>
        <source>this PyTorch build has no quantized CPU engine (fbgemm/x86/qnnpack)</source>
        <translation>此 PyTorch 构建没有量化 CPU 引擎（fbgemm/x86/qnnpack）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="268"/>
        <source>torch.ao FX quantization is gone from this PyTorch; its successor (PT2E in torchao) is not wired in TorchDesk yet</source>
        <translation>此版本的 PyTorch 已移除 torch.ao FX 量化；其后继方案（torchao 中的 PT2E）尚未接入 TorchDesk</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="269"/>
        <source>torch.ao FX quantization is gone from this PyTorch and torchao (PT2E) is not installed</source>
        <translation>此版本的 PyTorch 已移除 torch.ao FX 量化，且未安装 torchao（PT2E）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="270"/>
        <source>needs the {packages} package(s), which are not installed</source>
        <translation>需要 {packages} 包，但尚未安装</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="271"/>
        <source>this onnxruntime has no quantization tools</source>
        <translation>此 onnxruntime 没有量化工具</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="272"/>
        <source>failed on this model: {error}</source>
        <translation>在此模型上失败：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="273"/>
        <source>calibrated on {count} training samples ({engine} engine)</source>
        <translation>在 {count} 个训练样本上校准（{engine} 引擎）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="274"/>
        <source>latency and accuracy measured computing in {dtype}; loading the file in TorchDesk gives a float32 model with these rounded weights</source>
        <translation>延迟和准确率以 {dtype} 计算测得；在 TorchDesk 中加载该文件会得到使用这些舍入权重的 float32 模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="275"/>
        <source>latency inputs: {inputs}; {threads} CPU thread(s)</source>
        <translation>延迟测量输入：{inputs}；{threads} 个 CPU 线程</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="276"/>
        <source>accuracy on the first {count} validation samples</source>
        <translation>准确率基于前 {count} 个验证集样本</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="277"/>
        <source>torchao is not installed: its int8 paths (fast only with torch.compile) are not offered</source>
        <translation>未安装 torchao：不提供其 int8 方案（仅在使用 torch.compile 时才快）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="278"/>
        <source>the torch.export-based exporter failed ({error}); used the TorchScript-based one</source>
        <translation>基于 torch.export 的导出器失败（{error}）；已改用基于 TorchScript 的导出器</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="279"/>
        <source>the torch.export-based exporter could not produce opset {opset} (it wrote {written}); tried the TorchScript-based exporter for opset {opset}</source>
        <translation>基于 torch.export 的导出器无法生成 opset {opset}（它写出的是 {written}）；已尝试用基于 TorchScript 的导出器生成 opset {opset}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="280"/>
        <source>the TorchScript-based exporter failed too ({error}); the file uses opset {opset}</source>
        <translation>基于 TorchScript 的导出器也失败了（{error}）；文件使用 opset {opset}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="281"/>
        <source>the weights pass 2 GB, so ONNX keeps them in a second file {name}: copy both files together, the .onnx file alone does not work</source>
        <translation>权重超过 2 GB，因此 ONNX 把它们存放在第二个文件 {name} 中：请将两个文件一起复制，单独的 .onnx 文件无法使用</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="282"/>
        <source>the exported model failed on a batch of 1 ({error}); it only takes batches of {size}</source>
        <translation>导出的模型在批大小为 1 时失败（{error}）；它只接受批大小为 {size} 的输入</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="283"/>
        <source>traced: Python control flow that depends on the input values is frozen at the traced path</source>
        <translation>已追踪（trace）：依赖输入值的 Python 控制流被固定为追踪时经过的路径</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="284"/>
        <source>a dynamic batch axis could not be exported ({error}); the program takes batches of {size} only</source>
        <translation>无法导出动态批大小维度（{error}）；该程序只接受批大小为 {size} 的输入</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="285"/>
        <source>a pickled full model runs code from the file when it is loaded: load it only from trusted sources, and share .safetensors weights instead</source>
        <translation>加载 pickle 完整模型时会运行文件中的代码：只从可信来源加载，分享时请改用 .safetensors 权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="286"/>
        <source>the reloaded TorchScript model differs from the original by {diff:.3g}</source>
        <translation>重新加载的 TorchScript 模型与原模型相差 {diff:.3g}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="287"/>
        <source>{count} tensor(s) fit</source>
        <translation>{count} 个张量匹配</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="288"/>
        <source>; {count} missing from the file (e.g. {keys})</source>
        <translation>；{count} 个在文件中缺失（例如 {keys}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="289"/>
        <source>; {count} unexpected (e.g. {keys})</source>
        <translation>；{count} 个为多余张量（例如 {keys}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="290"/>
        <source>; {count} with another shape (e.g. {key}: {file_shape} in the file, {model_shape} in the model)</source>
        <translation>；{count} 个形状不同（例如 {key}：文件中为 {file_shape}，模型中为 {model_shape}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="291"/>
        <source>{split} split, {samples} samples: accuracy {accuracy:.2%}, macro F1 {macro_f1:.4f}, weighted F1 {weighted_f1:.4f}</source>
        <translation>{split} 数据，{samples} 个样本：准确率 {accuracy:.2%}，宏平均 F1 {macro_f1:.4f}，加权 F1 {weighted_f1:.4f}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="292"/>
        <source>{split} split, {samples} samples: MSE {mse:.4g}, MAE {mae:.4g}, R^2 {r2:.4f}</source>
        <translation>{split} 数据，{samples} 个样本：MSE {mse:.4g}，MAE {mae:.4g}，R^2 {r2:.4f}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="293"/>
        <source>accuracy under {attack} ({parameter} {value}): {accuracy:.2%} ({change:+.2%})</source>
        <translation>{attack} 下的准确率（{parameter} {value}）：{accuracy:.2%}（{change:+.2%}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="294"/>
        <source>MSE under {attack} ({parameter} {value}): {mse:.4g}</source>
        <translation>{attack} 下的 MSE（{parameter} {value}）：{mse:.4g}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="295"/>
        <source>accuracy under {attack} ({parameter} {value})</source>
        <translation>{attack} 下的准确率（{parameter} {value}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="296"/>
        <source>data.transforms: unknown transform {name!r}; available: {names}</source>
        <translation>data.transforms：未知的变换 {name!r}；可用的变换：{names}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="297"/>
        <source>data.transforms: {text!r} has a non-numeric argument; write it like &apos;{example}&apos;</source>
        <translation>data.transforms：{text!r} 含有非数字参数；请写成 &apos;{example}&apos; 的形式</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="298"/>
        <source>data.transforms: {name} takes at most {count} argument(s), got {text!r}</source>
        <translation>data.transforms：{name} 最多接受 {count} 个参数，实际为 {text!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="299"/>
        <source>data.transforms: center_crop needs a size in pixels, e.g. &apos;center_crop:24&apos;</source>
        <translation>data.transforms：center_crop 需要以像素为单位的尺寸，例如 &apos;center_crop:24&apos;</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="300"/>
        <source>data.transforms: {name} probability must be in [0, 1], got {value:g}</source>
        <translation>data.transforms：{name} 的概率必须在 [0, 1] 范围内，实际为 {value:g}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="301"/>
        <source>data.name must be one of {names} for builtin data; got {name!r}</source>
        <translation>内置数据的 data.name 必须是 {names} 之一；实际为 {name!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="302"/>
        <source>builtin dataset {name!r} is a {task} task; set data.task = &apos;auto&apos; or {value!r}</source>
        <translation>内置数据集 {name!r} 是 {task} 任务；请将 data.task 设为 &apos;auto&apos; 或 {value!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="303"/>
        <source>cannot split {count} samples with data.val_split = {val_split}: {error}; use more data or a different val_split</source>
        <translation>无法按 data.val_split = {val_split} 划分 {count} 个样本：{error}；请使用更多数据或换一个 val_split</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="304"/>
        <source>data.normalize = &apos;imagenet&apos; needs RGB images but these have {channels} channel(s); use &apos;dataset&apos; or &apos;none&apos;</source>
        <translation>data.normalize = &apos;imagenet&apos; 需要 RGB 图像，但这些图像只有 {channels} 个通道；请改用 &apos;dataset&apos; 或 &apos;none&apos;</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="305"/>
        <source>data.cache = &apos;memory&apos; but the decoded dataset ({size}) is larger than the free RAM; use data.cache = &apos;auto&apos; or &apos;off&apos;, or a smaller data.image_size</source>
        <translation>data.cache = &apos;memory&apos;，但解码后的数据集（{size}）超过了可用内存；请使用 data.cache = &apos;auto&apos; 或 &apos;off&apos;，或减小 data.image_size</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="306"/>
        <source>data.augment = {augment!r} applies to images, but dataset {name} is tabular; set data.augment = &apos;none&apos;</source>
        <translation>data.augment = {augment!r} 只适用于图像，但数据集 {name} 是表格数据；请设置 data.augment = &apos;none&apos;</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="307"/>
        <source>cannot read {path} as CSV text: {error}</source>
        <translation>无法将 {path} 读取为 CSV 文本：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="308"/>
        <source>CSV file {path} does not exist; set data.root to the path of a .csv file</source>
        <translation>CSV 文件 {path} 不存在；请将 data.root 设为一个 .csv 文件的路径</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="309"/>
        <source>CSV file {path} is empty; it needs a header line and at least one row</source>
        <translation>CSV 文件 {path} 为空；它需要一个表头行和至少一行数据</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="310"/>
        <source>CSV file {path} has a header but no rows of data</source>
        <translation>CSV 文件 {path} 只有表头，没有数据行</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="311"/>
        <source>{path} line {line} has {count} fields but the header has {expected}; fix that row</source>
        <translation>{path} 第 {line} 行有 {count} 个字段，而表头有 {expected} 个；请修正该行</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="312"/>
        <source>data.root is empty; set it to the path of a .csv file</source>
        <translation>data.root 为空；请将它设为一个 .csv 文件的路径</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="313"/>
        <source>data.target is empty; set it to one of the columns of {name}: {columns}</source>
        <translation>data.target 为空；请将它设为 {name} 的某一列：{columns}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="314"/>
        <source>data.target = {target!r} is not a column of {name}; columns: {columns}</source>
        <translation>data.target = {target!r} 不是 {name} 中的列；现有的列：{columns}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="315"/>
        <source>{name} has fewer than 2 rows with a value in column {column!r}</source>
        <translation>{name} 中列 {column!r} 有值的行少于 2 行</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="316"/>
        <source>data.task = &apos;regression&apos; but column {column!r} holds text; use &apos;classification&apos;</source>
        <translation>data.task = &apos;regression&apos;，但列 {column!r} 中是文本；请使用 &apos;classification&apos;</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="317"/>
        <source>column {column!r} of {name} holds {count} different non-numeric values; it looks like free text or a broken number column: fix or remove it</source>
        <translation>{name} 的列 {column!r} 有 {count} 个不同的非数字值；它看起来像自由文本或损坏的数值列：请修正或删除该列</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="318"/>
        <source>{name} has no usable feature columns besides the target {column!r}</source>
        <translation>{name} 中除目标列 {column!r} 外没有可用的特征列</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="319"/>
        <source>{root} has no class sub-folders; put the images in one folder per class (for example {root}/cat/*.png and {root}/dog/*.png)</source>
        <translation>{root} 下没有类别子文件夹；请把图像按类别放进各自的文件夹（例如 {root}/cat/*.png 和 {root}/dog/*.png）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="320"/>
        <source>class folder {folder} has no images ({extensions}); add images or remove the folder</source>
        <translation>类别文件夹 {folder} 中没有图像（{extensions}）；请添加图像或删除该文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="321"/>
        <source>data.root is empty; set it to a folder of class sub-folders of images</source>
        <translation>data.root 为空；请将它设为一个按类别子文件夹存放图像的文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="322"/>
        <source>image folder {path} does not exist; set data.root to a folder of class sub-folders</source>
        <translation>图像文件夹 {path} 不存在；请将 data.root 设为一个包含类别子文件夹的文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="323"/>
        <source>{path}/train and {path}/val must hold the same class folders; train has {train}, val has {val}</source>
        <translation>{path}/train 和 {path}/val 必须包含相同的类别文件夹；train 中为 {train}，val 中为 {val}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="324"/>
        <source>none of the first images under {folder} could be read; check that the folder holds image files</source>
        <translation>{folder} 下的前几张图像都无法读取；请检查该文件夹中是否为图像文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="325"/>
        <source>none of the images could be decoded; check the files under data.root</source>
        <translation>所有图像都无法解码；请检查 data.root 下的文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="326"/>
        <source>{root} has too few readable images for a training and a validation split</source>
        <translation>{root} 中可读取的图像太少，无法划分训练集和验证集</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="327"/>
        <source>data.name must be one of {names} for torchvision data; got {name!r}</source>
        <translation>torchvision 数据的 data.name 必须是 {names} 之一；实际为 {name!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="328"/>
        <source>data.root is empty; set it to the folder that holds {name} in torchvision&apos;s layout</source>
        <translation>data.root 为空；请将它设为按 torchvision 目录结构存放 {name} 的文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="329"/>
        <source>downloading {name} failed ({error}); this machine may be offline: put {files} there and set data.download = false</source>
        <translation>下载 {name} 失败（{error}）；这台机器可能没有联网：请把文件放到 {files}，并设置 data.download = false</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="330"/>
        <source>{name} files were not found: put {files}, or set data.download = true on a machine that is online</source>
        <translation>未找到 {name} 的文件：请把文件放到 {files}，或在联网的机器上设置 data.download = true</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="331"/>
        <source>{name} files under {root} are damaged ({error}); replace them with a fresh copy</source>
        <translation>{root} 下的 {name} 文件已损坏（{error}）；请换一份完好的副本</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="332"/>
        <source>{name} under {root} has {images} images but {labels} labels; replace the files with a matching pair</source>
        <translation>{root} 下的 {name} 有 {images} 张图像，但只有 {labels} 个标签；请换成相互匹配的一对文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="333"/>
        <source>{name} under {root} has labels outside 0..{last}; the files are damaged</source>
        <translation>{root} 下的 {name} 含有超出 0..{last} 范围的标签；文件已损坏</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="334"/>
        <source>{folder}/{prefix}-images-idx3-ubyte and {prefix}-labels-idx1-ubyte (or .gz)</source>
        <translation>{folder}/{prefix}-images-idx3-ubyte 和 {prefix}-labels-idx1-ubyte（或 .gz）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="335"/>
        <source>{folder}/{files} and batches.meta</source>
        <translation>{folder}/{files} 和 batches.meta</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="336"/>
        <source>{folder}/{split} and meta</source>
        <translation>{folder}/{split} 和 meta</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="337"/>
        <source>{where} has class(es) {unknown} that the model was not trained on; its classes are {known}</source>
        <translation>{where} 中含有模型训练时没有的类别 {unknown}；模型的类别为 {known}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="338"/>
        <source>the {name} test files were not found: put {files}</source>
        <translation>未找到 {name} 的测试文件：请把文件放到 {files}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="339"/>
        <source>the {name} test files under {root} are damaged ({error})</source>
        <translation>{root} 下的 {name} 测试文件已损坏（{error}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="340"/>
        <source>test CSV file {path} does not exist</source>
        <translation>测试 CSV 文件 {path} 不存在</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="341"/>
        <source>{name} has no target column {column!r}; the test file needs the same columns</source>
        <translation>{name} 中没有目标列 {column!r}；测试文件需要与训练数据相同的列</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="342"/>
        <source>{name} has no rows with a value in the target column {column!r}</source>
        <translation>{name} 中目标列 {column!r} 没有任何有值的行</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="343"/>
        <source>the target column {column!r} of {name} holds text, but the model predicts numbers</source>
        <translation>{name} 的目标列 {column!r} 中是文本，但模型预测的是数值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="344"/>
        <source>give the test set&apos;s folder (class sub-folders of images)</source>
        <translation>请指定测试集的文件夹（按类别子文件夹存放图像）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="345"/>
        <source>give the test set&apos;s CSV file (with the same columns, target {column!r} included)</source>
        <translation>请指定测试集的 CSV 文件（列与训练数据相同，包括目标列 {column!r}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="346"/>
        <source>built-in datasets have no separate test set; evaluate on the validation split</source>
        <translation>内置数据集没有单独的测试集；请在验证集上评估</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="347"/>
        <source>model.arch = {arch!r} must look like file:path/to/model.py:ClassName (a Python file and the name of an nn.Module class defined in it)</source>
        <translation>model.arch = {arch!r} 的格式必须是 file:path/to/model.py:ClassName（一个 Python 文件，以及其中定义的 nn.Module 类名）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="348"/>
        <source>model.arch must be one of {names}, a torchvision model written tv:&lt;name&gt; ({count} of them, for example tv:resnet18 or tv:mobilenet_v3_small), or file:path/to/model.py:ClassName for your own nn.Module; got {arch!r}</source>
        <translation>model.arch 必须是 {names} 之一、写作 tv:&lt;name&gt; 的 torchvision 模型（共 {count} 个，例如 tv:resnet18 或 tv:mobilenet_v3_small），或用于自定义 nn.Module 的 file:path/to/model.py:ClassName；实际为 {arch!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="349"/>
        <source>; did you mean {name!r}?</source>
        <translation>；您是不是想用 {name!r}？</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="350"/>
        <source>{cls}.__init__ needs {names}, which TorchDesk cannot supply; give it a default value (TorchDesk passes {available} when the signature names them)</source>
        <translation>{cls}.__init__ 需要参数 {names}，但 TorchDesk 无法提供；请为它设置默认值（签名中出现 {available} 时，TorchDesk 会传入这些参数）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="351"/>
        <source>{cls}.__init__ needs {names}, which TorchDesk cannot supply; give them a default value (TorchDesk passes {available} when the signature names them)</source>
        <translation>{cls}.__init__ 需要参数 {names}，但 TorchDesk 无法提供；请为它们设置默认值（签名中出现 {available} 时，TorchDesk 会传入这些参数）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="352"/>
        <source>model file {path} does not exist; model.arch must look like file:path/to/model.py:ClassName with a path to a Python file</source>
        <translation>模型文件 {path} 不存在；model.arch 的格式必须是 file:path/to/model.py:ClassName，其中路径指向一个 Python 文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="353"/>
        <source>model file {path} cannot be imported as Python (use a .py file)</source>
        <translation>模型文件 {path} 无法作为 Python 导入（请使用 .py 文件）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="354"/>
        <source>model file {path} has a syntax error at line {line}: {error}</source>
        <translation>模型文件 {path} 第 {line} 行有语法错误：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="355"/>
        <source>importing model file {path} failed: {error}</source>
        <translation>导入模型文件 {path} 失败：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="356"/>
        <source>model file {path} does not define {name!r}; {found}</source>
        <translation>模型文件 {path} 中没有定义 {name!r}；{found}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="357"/>
        <source>nn.Module classes defined there: {names}</source>
        <translation>其中定义的 nn.Module 类有：{names}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="358"/>
        <source>it defines no nn.Module class</source>
        <translation>其中没有定义任何 nn.Module 类</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="359"/>
        <source>{name} in {path} is not a torch.nn.Module subclass (it is {kind} {value!r}); point model.arch at a class that subclasses nn.Module</source>
        <translation>{path} 中的 {name} 不是 torch.nn.Module 的子类（它是 {kind} {value!r}）；请让 model.arch 指向一个继承 nn.Module 的类</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="509"/>
        <source>the last session&apos;s settings could not be restored, so the defaults are shown: {reason}</source>
        <translation>无法恢复上次会话的设置，因此显示的是默认值：{reason}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="510"/>
        <source>the last session used the model file {path}; it was not loaded at start, because loading it runs its code: choose it again under Model &gt; Architecture to use it</source>
        <translation>上次会话使用了模型文件 {path}；启动时没有加载它，因为加载它会运行其中的代码：如需使用，请在“模型 &gt; 架构”中重新选择它</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="514"/>
        <source>{source} defines its model by the Python file {path} (SHA-256 {sha256}), named in its metadata; importing that file runs its code, so it was not imported. If you trust it, run again with --trusted (in the app: confirm when asked); otherwise {fix}</source>
        <translation>{source} 的模型由其元数据中指定的 Python 文件 {path}（SHA-256 {sha256}）定义；导入该文件会运行其中的代码，因此未导入。如果信任它，请加 --trusted 重新运行（在应用中：在询问时确认）；否则{fix}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="515"/>
        <source>use an ONNX or TorchScript export of the model</source>
        <translation>请使用该模型的 ONNX 或 TorchScript 导出</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="516"/>
        <source>start a new run with a model you choose: resuming this run, or restoring its settings, needs that file&apos;s model</source>
        <translation>请用您选择的模型开始新的运行：恢复此运行或还原其设置都需要该文件中的模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="545"/>
        <source>{path} must be between {low:g} and {high:g}, got {value}</source>
        <translation>{path} 必须在 {low:g} 和 {high:g} 之间，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="546"/>
        <source>cannot read {path}: it is not UTF-8 text (byte {position}); save it again as &apos;CSV UTF-8&apos; (a spreadsheet&apos;s Save as offers it), then load it</source>
        <translation>无法读取 {path}：它不是 UTF-8 文本（字节偏移 {position}）；请把它重新保存为 &apos;CSV UTF-8&apos;（电子表格的“另存为”中提供该格式），然后再加载</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="547"/>
        <source>--run-dir {path} lies inside the run folder {run}, where a new run would mix its files into that run&apos;s; train into a folder outside it (another --run-dir), or continue that run with &apos;torchdesk-cli resume {run}&apos;</source>
        <translation>--run-dir {path} 位于运行文件夹 {run} 之内，新运行会把它的文件与该运行的文件混在一起；请训练到它之外的文件夹中（换一个 --run-dir），或用 &apos;torchdesk-cli resume {run}&apos; 继续该运行</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="548"/>
        <source>column {column!r} of {name} holds numbers written with a decimal comma, first on line(s) {lines} of the file (data row(s) {rows}): {values}; save the file with a decimal point (5.1, not 5,1) so that they read as numbers</source>
        <translation>{name} 的列 {column!r} 中的数值用逗号作小数点，前几处在文件第 {lines} 行（数据第 {rows} 行）：{values}；请改用小数点保存该文件（5.1，而不是 5,1），使它们能被读取为数值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="549"/>
        <source>{path} has two columns named {column!r}; rename one of them so that each column has its own name</source>
        <translation>{path} 中有两列都名为 {column!r}；请重命名其中一列，使每一列都有自己的名称</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="550"/>
        <source>steepest descent of the smoothed loss</source>
        <translation>平滑损失下降最陡处</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="551"/>
        <source>a tenth of the learning rate at the lowest smoothed loss</source>
        <translation>平滑损失最低处学习率的十分之一</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="552"/>
        <source>stopped at lr {lr:.2e}: the smoothed loss rose above {factor:g} times its lowest value</source>
        <translation>在学习率 {lr:.2e} 处停止：平滑损失升至其最低值的 {factor:g} 倍以上</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="553"/>
        <source>stopped at lr {lr:.2e}: the loss is not a finite number</source>
        <translation>在学习率 {lr:.2e} 处停止：损失不是有限数值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="554"/>
        <source>reached the end of the range, lr {lr:.2e}</source>
        <translation>已到达范围终点，学习率 {lr:.2e}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="555"/>
        <source>step {step} of {steps}: lr {lr:.2e}, smoothed loss {loss:.4g}</source>
        <translation>第 {step}/{steps} 步：学习率 {lr:.2e}，平滑损失 {loss:.4g}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="556"/>
        <source>loading the data and building the model</source>
        <translation>正在加载数据并构建模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="557"/>
        <source>the learning-rate range must rise from a start above 0 to a larger end; got start {start:g} and end {end:g}</source>
        <translation>学习率范围必须从大于 0 的起点升到更大的终点；实际起点为 {start:g}，终点为 {end:g}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="558"/>
        <source>the range test needs at least {low} steps; got {steps}</source>
        <translation>范围测试至少需要 {low} 步；实际为 {steps}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="559"/>
        <source>the range test stopped after {count} step(s), too few to suggest a learning rate: the loss diverged at once; start the range lower (--start-lr) or check the data and the model</source>
        <translation>范围测试在 {count} 步后就停止了，步数太少，无法给出建议的学习率：损失立即发散；请调低范围起点（--start-lr），或检查数据和模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="560"/>
        <source>{path} already holds {names}; choose another --out folder, or drop --out to write into a new one (nothing is overwritten)</source>
        <translation>{path} 中已有 {names}；请另选一个 --out 文件夹，或去掉 --out 以写入新的文件夹（不会覆盖任何文件）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="561"/>
        <source>the Python script cannot express {field} = {value}: {reason}; change {field}, or train this run in TorchDesk</source>
        <translation>Python 脚本无法表达 {field} = {value}：{reason}；请修改 {field}，或在 TorchDesk 中进行这次训练</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="562"/>
        <source>a model class from your own file is not written into the script</source>
        <translation>来自你自己文件的模型类不会写入脚本</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="563"/>
        <source>the generated shapes images exist only inside TorchDesk</source>
        <translation>生成的 shapes 图像只存在于 TorchDesk 内部</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="564"/>
        <source>starting from a weights file is not written into the script</source>
        <translation>从权重文件开始训练的设置不会写入脚本</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="565"/>
        <source>freezing or slowing down the backbone is not written into the script</source>
        <translation>冻结骨干网络或降低其学习率的设置不会写入脚本</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="566"/>
        <source>the script writes out mlp, simple_cnn and the torchvision models (tv:...)</source>
        <translation>脚本只能写出 mlp、simple_cnn 和 torchvision 模型（tv:...）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="567"/>
        <source>{path} already exists; choose another --out file, or add --force to replace it</source>
        <translation>{path} 已存在；请另选一个 --out 文件，或加上 --force 以替换它</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="568"/>
        <source>{path} is neither a run folder (with config.toml), a checkpoint nor a config file (.toml); give one of those to write its script</source>
        <translation>{path} 既不是运行文件夹（含 config.toml），也不是检查点或配置文件（.toml）；请给出其中之一以写出其脚本</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="569"/>
        <source>the run of {path} has already trained all its {epochs} epoch(s); to train it further, resume it with more epochs in total (torchdesk-cli resume RUN --epochs {more}; in the app, answer &apos;Train further&apos;)</source>
        <translation>{path} 的运行已训练完全部 {epochs} 轮；如需进一步训练，请以更多的总轮数恢复它（torchdesk-cli resume RUN --epochs {more}；在应用中选择“进一步训练”）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="570"/>
        <source>{name} is {width}x{height} pixels, but the model was trained on {train_width}x{train_height} images: it was resized to {train_width}x{train_height}, so the answer may be unreliable</source>
        <translation>{name} 为 {width}x{height} 像素，但模型是用 {train_width}x{train_height} 的图像训练的：它已被缩放到 {train_width}x{train_height}，因此结果可能不可靠</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="571"/>
        <source>{name} is {mode}, but the model was trained on {train_mode} images: it was converted, so the answer may be unreliable</source>
        <translation>{name} 是{mode}图像，但模型是用{train_mode}图像训练的：它已被转换，因此结果可能不可靠</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="572"/>
        <source>grayscale</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="573"/>
        <source>colour</source>
        <translation>彩色</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="574"/>
        <source>--param {item!r} must look like KEY=SPEC with SPEC log:LOW:HIGH, float:LOW:HIGH, int:LOW:HIGH or a comma list of choices, for example optim.lr=log:1e-4:1e-1 or optim.name=adam,sgd</source>
        <translation>--param {item!r} 的格式必须为 KEY=SPEC，其中 SPEC 为 log:LOW:HIGH、float:LOW:HIGH、int:LOW:HIGH 或以逗号分隔的选项列表，例如 optim.lr=log:1e-4:1e-1 或 optim.name=adam,sgd</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="575"/>
        <source>--param {item!r}: {key!r} is not a config key; &apos;torchdesk-cli keys&apos; lists them</source>
        <translation>--param {item!r}：{key!r} 不是配置键；&apos;torchdesk-cli keys&apos; 会列出所有配置键</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="576"/>
        <source>--param {item!r}: {key} takes {kind} values; give {allowed}</source>
        <translation>--param {item!r}：{key} 的取值类型为 {kind}；请给出 {allowed}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="577"/>
        <source>--param {item!r}: {value!r} is not a number; write the bounds like 0.001 or 1e-3</source>
        <translation>--param {item!r}：{value!r} 不是数值；请把边界写成 0.001 或 1e-3 这样的形式</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="578"/>
        <source>--param {item!r}: LOW must be below HIGH, got {low} and {high}</source>
        <translation>--param {item!r}：LOW 必须小于 HIGH，实际为 {low} 和 {high}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="579"/>
        <source>--param {item!r}: a log range needs LOW above 0, got {low}; use float:LOW:HIGH to include 0</source>
        <translation>--param {item!r}：对数范围要求 LOW 大于 0，实际为 {low}；如需包含 0，请使用 float:LOW:HIGH</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="580"/>
        <source>--param {item!r}: {error}</source>
        <translation>--param {item!r}：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="581"/>
        <source>--param {key} is given twice; give each key once</source>
        <translation>--param {key} 给出了两次；每个键只能给出一次</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="582"/>
        <source>--param {item!r}: {key} has no effect unless {needs}; set that in the config or sweep it too</source>
        <translation>--param {item!r}：除非 {needs}，否则 {key} 不起作用；请在配置中设置它，或同时搜索它</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="583"/>
        <source>a sweep needs at least one --param KEY=SPEC, for example --param optim.lr=log:1e-4:1e-1</source>
        <translation>超参数搜索至少需要一个 --param KEY=SPEC，例如 --param optim.lr=log:1e-4:1e-1</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="584"/>
        <source>--trials must be at least 1, got {value}</source>
        <translation>--trials 至少为 1，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="585"/>
        <source>maximise</source>
        <translation>最大化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="586"/>
        <source>minimise</source>
        <translation>最小化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="587"/>
        <source>the study {study!r} in {storage} is set to {has} its metric, but this config wants to {wants} {monitor}; give another --study name, or the config&apos;s train.monitor/train.mode of that study</source>
        <translation>{storage} 中的研究 {study!r} 设定为{has}其指标，但此配置要{wants} {monitor}；请换一个 --study 名称，或使用该研究的配置中的 train.monitor/train.mode</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="588"/>
        <source>cannot open the study storage {storage}: {error}; give a writable folder (--out), a journal file path, or a database URL such as sqlite:///sweep.db or postgresql://user:password@host/db</source>
        <translation>无法打开研究存储 {storage}：{error}；请给出可写的文件夹（--out）、journal 文件路径，或数据库 URL，例如 sqlite:///sweep.db 或 postgresql://user:password@host/db</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="589"/>
        <source>trial {number} was left running by a process that has ended; marked failed and queued again</source>
        <translation>试验 {number} 所在的进程已结束，但它仍处于运行状态；已标记为失败并重新排队</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="590"/>
        <source>trial {number} was stopped before it finished; marked failed and queued again</source>
        <translation>试验 {number} 在完成前被停止；已标记为失败并重新排队</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="591"/>
        <source>trial {number} pruned after epoch {epoch}: {monitor} {value:.4g} is worse than the median of earlier trials</source>
        <translation>试验 {number} 在第 {epoch} 轮后被剪枝：{monitor} {value:.4g} 差于之前试验的中位数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="592"/>
        <source>trial {number} failed: its training diverged ({status})</source>
        <translation>试验 {number} 失败：训练发散（{status}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="593"/>
        <source>Grad-CAM needs an image model with a convolution layer, and {path} has none; use integrated_gradients or saliency, which explain any model</source>
        <translation>Grad-CAM 需要带卷积层的图像模型，而 {path} 中没有卷积层；请使用 integrated_gradients 或 saliency，它们可以解释任何模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="594"/>
        <source>unknown explanation method {method!r}; use one of {allowed}</source>
        <translation>未知的解释方法 {method!r}；请使用 {allowed} 之一</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="595"/>
        <source>kept decoded on disk ({size}) and memory-mapped</source>
        <translation>解码后保存在磁盘上（{size}）并进行内存映射</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="596"/>
        <source>decoded now into the cache {path}; the next run of the same files starts from it</source>
        <translation>现已解码到缓存 {path}；相同文件的下一次训练将直接从中读取</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="597"/>
        <source>read from the cache {path}, decoded by an earlier run of the same files</source>
        <translation>从缓存 {path} 读取，由之前对相同文件的一次训练解码</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="598"/>
        <source>the decoded cache under {folder} could not be written ({error}); the images are held in memory, or streamed from the files when they do not fit</source>
        <translation>无法写入 {folder} 下的解码缓存（{error}）；图像保存在内存中，内存放不下时则从文件流式读取</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="599"/>
        <source>{count} unreadable or corrupt image file(s) under {root} were skipped while training</source>
        <translation>训练时跳过了 {root} 下 {count} 个无法读取或已损坏的图像文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="600"/>
        <source>train.preset = &apos;fast&apos; replaced: {changes}</source>
        <translation>train.preset = &apos;fast&apos; 已替换：{changes}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="601"/>
        <source>{key} {old} -&gt; {new}</source>
        <translation>{key} {old} -&gt; {new}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="602"/>
        <source>; {key} {old} -&gt; {new}</source>
        <translation>；{key} {old} -&gt; {new}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="603"/>
        <source>train.preset = &apos;fast&apos;: the settings already match the recipe</source>
        <translation>train.preset = &apos;fast&apos;：设置已与该方案一致</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="604"/>
        <source>--nproc must be at least 1, got {value}</source>
        <translation>--nproc 至少为 1，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="605"/>
        <source>--nnodes must be at least 1, got {value}</source>
        <translation>--nnodes 至少为 1，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="606"/>
        <source>--node-rank {value} is outside 0 to {last}; give each machine its own number, 0 to the one at --rdzv-endpoint</source>
        <translation>--node-rank {value} 超出 0 到 {last} 的范围；请给每台机器一个各自的编号，--rdzv-endpoint 所在的机器为 0</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="607"/>
        <source>--nnodes {nnodes} needs --rdzv-endpoint HOST:PORT: the address of the machine with --node-rank 0 and a free port</source>
        <translation>--nnodes {nnodes} 需要 --rdzv-endpoint HOST:PORT：即 --node-rank 为 0 的机器的地址和一个空闲端口</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="608"/>
        <source>--rdzv-endpoint {value!r} is not HOST:PORT; give one such as 192.168.1.10:29500</source>
        <translation>--rdzv-endpoint {value!r} 不是 HOST:PORT 格式；请给出类似 192.168.1.10:29500 的地址</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="609"/>
        <source>{nproc} processes need {nproc} GPUs but {count} were chosen; choose more GPUs or fewer processes</source>
        <translation>{nproc} 个进程需要 {nproc} 个 GPU，但只选择了 {count} 个；请选择更多 GPU 或减少进程数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="610"/>
        <source>{nproc} processes train on one GPU each, but {count} GPU(s) can be used here; use {count} processes or fewer, or train.device = &apos;cpu&apos; (gloo, for testing)</source>
        <translation>{nproc} 个进程各用一个 GPU 训练，但这里只能使用 {count} 个 GPU；请使用不超过 {count} 个进程，或设置 train.device = &apos;cpu&apos;（gloo，用于测试）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="611"/>
        <source>--nproc cannot be used in a process that torchrun started; leave --nproc out there</source>
        <translation>在由 torchrun 启动的进程中不能使用 --nproc；请在那里去掉 --nproc</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="612"/>
        <source>the training processes ended with exit code {code} without reporting an error (a crash, or killed); the launcher&apos;s log is {log}</source>
        <translation>训练进程以退出码 {code} 结束，但没有报告错误（崩溃或被终止）；启动器的日志为 {log}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="613"/>
        <source>cannot start the training processes ({error}); check that PyTorch&apos;s torchrun works here</source>
        <translation>无法启动训练进程（{error}）；请检查 PyTorch 的 torchrun 在这里能否正常工作</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="614"/>
        <source>{precision}: no native support on this CPU (no AVX-512 BF16/FP16 or AMX), so it is emulated and much slower than fp32; keep fp32 here</source>
        <translation>{precision}：此 CPU 没有原生支持（没有 AVX-512 BF16/FP16 或 AMX），因此为模拟计算，比 fp32 慢得多；在这里请保持 fp32</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="615"/>
        <source>{precision}: computed natively by this CPU (AVX-512 or AMX); it can be faster than fp32</source>
        <translation>{precision}：此 CPU 原生支持计算（AVX-512 或 AMX）；可能比 fp32 更快</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="616"/>
        <source>{precision}: this GPU has no tensor cores for it, so it is usually no faster than fp32</source>
        <translation>{precision}：此 GPU 没有适用的张量核心，因此通常不比 fp32 快</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="617"/>
        <source>{precision}: runs on this GPU&apos;s tensor cores, usually faster than fp32</source>
        <translation>{precision}：在此 GPU 的张量核心上运行，通常比 fp32 快</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="618"/>
        <source>this PyTorch ({version}) is a CPU-only build; install a CUDA build of PyTorch (pip install torch --index-url https://download.pytorch.org/whl/cu128) to train on this GPU</source>
        <translation>此 PyTorch（{version}）是仅支持 CPU 的版本；请安装 CUDA 版的 PyTorch（pip install torch --index-url https://download.pytorch.org/whl/cu128）以在此 GPU 上训练</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="619"/>
        <source>CUDA cannot start with NVIDIA driver {driver} (this PyTorch is built for CUDA {cuda}); update the NVIDIA driver, or install a PyTorch built for an older CUDA</source>
        <translation>CUDA 无法在 NVIDIA 驱动 {driver} 上启动（此 PyTorch 是为 CUDA {cuda} 构建的）；请更新 NVIDIA 驱动，或安装为较旧 CUDA 构建的 PyTorch</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="620"/>
        <source>this PyTorch has no kernels for its architecture sm_{arch} (it is built for {archs}); install a PyTorch build that supports sm_{arch}</source>
        <translation>此 PyTorch 没有适用于其架构 sm_{arch} 的内核（它是为 {archs} 构建的）；请安装支持 sm_{arch} 的 PyTorch 版本</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="621"/>
        <source>out of memory on {device} at data.batch_size = {batch} ({memory}); use a smaller data.batch_size (e.g. {half}) with train.grad_accum = {accum} to keep the effective batch, or mixed precision (train.precision = bf16-mixed or fp16-mixed). {hint}</source>
        <translation>在 {device} 上 data.batch_size = {batch} 时内存不足（{memory}）；请使用更小的 data.batch_size（例如 {half}）并设置 train.grad_accum = {accum} 以保持等效批大小，或使用混合精度（train.precision = bf16-mixed 或 fp16-mixed）。{hint}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="622"/>
        <source>{used:.1f} GiB in use of {total:.1f} GiB</source>
        <translation>已使用 {used:.1f} GiB，共 {total:.1f} GiB</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="623"/>
        <source>memory in use not known</source>
        <translation>已用内存未知</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="624"/>
        <source>The last checkpoint is intact: {checkpoint}</source>
        <translation>最后一个检查点完好：{checkpoint}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="625"/>
        <source>No checkpoint was written yet.</source>
        <translation>尚未写入任何检查点。</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="626"/>
        <source>{precision}: {ratio:.1f}x slower than fp32 here (measured)</source>
        <translation>{precision}：在此比 fp32 慢 {ratio:.1f} 倍（实测）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="627"/>
        <source>{precision}: {ratio:.1f}x faster than fp32 here (measured)</source>
        <translation>{precision}：在此比 fp32 快 {ratio:.1f} 倍（实测）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="628"/>
        <source>{precision}: about as fast as fp32 here (measured)</source>
        <translation>{precision}：在此与 fp32 速度相当（实测）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="629"/>
        <source>{precision}: could not be measured here ({error})</source>
        <translation>{precision}：在此无法测量（{error}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="630"/>
        <source>Measuring what each precision costs for this model…</source>
        <translation>正在测量此模型在各精度下的耗时…</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="631"/>
        <source>train.precision = {precision} was measured {ratio:.1f}x slower than fp32 on {device} for this model; use fp32 (or auto) there</source>
        <translation>train.precision = {precision} 在 {device} 上对此模型实测比 fp32 慢 {ratio:.1f} 倍；请在该设备上使用 fp32（或 auto）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="632"/>
        <source>train.precision = {precision} is emulated on {device} (no native support), typically several times slower than fp32; use fp32 (or auto) there</source>
        <translation>train.precision = {precision} 在 {device} 上为模拟实现（无原生支持），通常比 fp32 慢数倍；请在该设备上使用 fp32（或 auto）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="633"/>
        <source>the largest-batch probe needs a CUDA device, not {device}: there memory runs out with an error it can catch, while the CPU swaps; set train.device = &apos;cuda&apos; (or cuda:N)</source>
        <translation>最大批量探测需要 CUDA 设备，而不是 {device}：在 CUDA 上内存耗尽时会给出可捕获的错误，而 CPU 会使用交换空间；请设置 train.device = &apos;cuda&apos;（或 cuda:N）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="634"/>
        <source>not even data.batch_size = 1 fits on {device} with {precision}; choose a smaller model or mixed precision (train.precision = bf16-mixed or fp16-mixed)</source>
        <translation>在 {device} 上使用 {precision} 时连 data.batch_size = 1 也放不下；请选择更小的模型或混合精度（train.precision = bf16-mixed 或 fp16-mixed）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="635"/>
        <source>Trying data.batch_size = {batch}…</source>
        <translation>正在尝试 data.batch_size = {batch}…</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="636"/>
        <source>the largest batch that fits on {device} with {precision} is {largest} ({tried} sizes tried); data.batch_size = {suggested} leaves 10% headroom</source>
        <translation>在 {device} 上使用 {precision} 时能放下的最大批量为 {largest}（尝试了 {tried} 个大小）；data.batch_size = {suggested} 留有 10% 余量</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="637"/>
        <source>data.transforms: random_crop needs a padding of whole pixels, 0 or more, e.g. &apos;random_crop:4&apos;; got {value:g}</source>
        <translation>data.transforms：random_crop 需要以整像素计的填充（0 或更大），例如 &apos;random_crop:4&apos;；实际为 {value:g}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="638"/>
        <source>all {largest} training samples fit in one batch on {device} with {precision}: the data, not the memory, is the limit ({tried} sizes tried); data.batch_size = {suggested}</source>
        <translation>在 {device} 上使用 {precision} 时，全部 {largest} 个训练样本可放入一个批量：限制来自数据而非内存（尝试了 {tried} 个大小）；data.batch_size = {suggested}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="361"/>
        <source>the forward of {name} from {path} returned {kind}, not a tensor; return the logits of shape (batch, {outputs})</source>
        <translation>{path} 中 {name} 的 forward 返回了 {kind}，而不是张量；请返回形状为 (batch, {outputs}) 的 logits</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="363"/>
        <source>{name}({arguments}) from {path} raised {error}</source>
        <translation>{path} 中的 {name}({arguments}) 抛出了异常 {error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="364"/>
        <source>{name}(...) from {path} did not return an nn.Module</source>
        <translation>{path} 中的 {name}(...) 没有返回 nn.Module</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="365"/>
        <source>{cls}.{attribute} names {name!r}, which is not a sub-module of the model</source>
        <translation>{cls}.{attribute} 指定了 {name!r}，但它不是模型的子模块</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="366"/>
        <source>cannot freeze the backbone of {cls}: its head (output layer) was not found; give the class a head_module_names attribute</source>
        <translation>无法冻结 {cls} 的主干网络：找不到它的输出头（输出层）；请为该类添加 head_module_names 属性</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="367"/>
        <source>the model has no trainable parameters; unset model.freeze_backbone</source>
        <translation>模型没有可训练的参数；请取消 model.freeze_backbone</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="368"/>
        <source>model {arch} needs images (channels, height, width) but the dataset gives {dims}-d samples of shape {shape}; use model.arch = &apos;mlp&apos; for tabular data</source>
        <translation>模型 {arch} 需要图像输入（通道, 高, 宽），但数据集给出的是形状为 {shape} 的 {dims} 维样本；表格数据请使用 model.arch = &apos;mlp&apos;</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="369"/>
        <source>model simple_cnn needs images of at least 4x4 pixels, got {height}x{width}</source>
        <translation>模型 simple_cnn 需要至少 4x4 像素的图像，实际为 {height}x{width}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="370"/>
        <source>model vgg_small needs images of at least {side}x{side} pixels (three 2x2 max-pools) but the dataset&apos;s are {height}x{width}</source>
        <translation>模型 vgg_small 需要至少 {side}x{side} 像素的图像（三次 2x2 最大池化），但数据集中的图像为 {height}x{width}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="371"/>
        <source>model.input_size = {size} is smaller than {arch} accepts ({smallest} pixels); use 0 (automatic) or at least {smallest}</source>
        <translation>model.input_size = {size} 小于 {arch} 能接受的最小尺寸（{smallest} 像素）；请使用 0（自动）或不小于 {smallest} 的值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="372"/>
        <source>{arch} cuts images into {patch}x{patch} patches, so model.input_size must be a multiple of {patch}; got {size}</source>
        <translation>{arch} 会把图像切成 {patch}x{patch} 的图块，因此 model.input_size 必须是 {patch} 的倍数；实际为 {size}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="373"/>
        <source>{arch} needs model.input_size to be a multiple of {multiple}; got {size}</source>
        <translation>{arch} 要求 model.input_size 是 {multiple} 的倍数；实际为 {size}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="374"/>
        <source>{cls} has no Conv2d reading {channels} channels to adapt</source>
        <translation>{cls} 中没有读取 {channels} 个通道、可供调整的 Conv2d 层</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="375"/>
        <source>{arch} is not a classification model of torchvision {version}</source>
        <translation>{arch} 不是 torchvision {version} 中的分类模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="376"/>
        <source>torchvision cannot build {arch} for images of shape {shape} (fed at {height}x{width}): {error}</source>
        <translation>torchvision 无法为形状为 {shape} 的图像构建 {arch}（以 {height}x{width} 输入）：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="377"/>
        <source>model.weights file {path} does not exist; pick a local .pth, .pt or .safetensors file (TorchDesk never downloads weights)</source>
        <translation>model.weights 文件 {path} 不存在；请选择本地的 .pth、.pt 或 .safetensors 文件（TorchDesk 从不下载权重）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="378"/>
        <source>model.weights file {path} is empty (0 bytes)</source>
        <translation>model.weights 文件 {path} 为空（0 字节）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="511"/>
        <source>{path} contains Python code: pickled objects that run when the file is loaded ({names}), so it was refused; {fix}</source>
        <translation>{path} 包含 Python 代码：加载文件时会运行的 pickle 对象（{names}），因此已拒绝加载；{fix}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="512"/>
        <source>load it only if you trust its source (--trusted on the command line, or confirm in the app), otherwise ask for a .safetensors weights file</source>
        <translation>只有信任其来源时才加载它（命令行中用 --trusted，或在应用中确认），否则请索取 .safetensors 权重文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="513"/>
        <source>checkpoints and starting weights are read as plain tensors only, even from trusted sources: ask for a .safetensors or weights-only .pth file</source>
        <translation>检查点和起始权重一律只按纯张量读取，即使来自可信来源也是如此：请索取 .safetensors 文件或仅含权重（weights-only）的 .pth 文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="517"/>
        <source>the TorchDesk metadata in {path} is damaged ({what}); save or export the model again from its run, or load its weights into a model you configure (File &gt; Load weights into the current model)</source>
        <translation>{path} 中的 TorchDesk 元数据已损坏（{what}）；请从对应的运行重新保存或导出模型，或把它的权重加载到你配置的模型中（“文件 &gt; 加载权重/检查点…”，载入当前模型）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="518"/>
        <source>not valid JSON: {error}</source>
        <translation>不是有效的 JSON：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="519"/>
        <source>it holds {value}, not a table of values</source>
        <translation>其内容为 {value}，而不是键值表</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="520"/>
        <source>{key} is missing</source>
        <translation>缺少 {key}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="521"/>
        <source>{key} is {value}, not {expected}</source>
        <translation>{key} 为 {value}，应为{expected}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="522"/>
        <source>{key} has {count} value(s) for {expected} {what}</source>
        <translation>{key} 有 {count} 个值，而{what}有 {expected} 个</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="523"/>
        <source>model: {error}</source>
        <translation>model：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="524"/>
        <source>a table of values</source>
        <translation>键值表</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="525"/>
        <source>a string</source>
        <translation>字符串</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="526"/>
        <source>a list of strings</source>
        <translation>字符串列表</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="527"/>
        <source>a finite number</source>
        <translation>有限的数值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="528"/>
        <source>a list of finite numbers</source>
        <translation>由有限数值组成的列表</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="529"/>
        <source>a positive integer</source>
        <translation>正整数</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="530"/>
        <source>a list of 1 to 4 positive integers</source>
        <translation>由 1 到 4 个正整数组成的列表</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="531"/>
        <source>a list of two positive integers</source>
        <translation>由两个正整数组成的列表</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="532"/>
        <source>1 or 3</source>
        <translation>1 或 3</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="533"/>
        <source>a positive integer or null</source>
        <translation>正整数或 null</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="534"/>
        <source>one of {names}</source>
        <translation>以下之一：{names}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="535"/>
        <source>outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="536"/>
        <source>inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="537"/>
        <source>column {column!r} holds numbers but also {count} non-numeric value(s), first on line(s) {lines} of the file (data row(s) {rows}): {values}; they were treated as missing values</source>
        <translation>列 {column!r} 中是数值，但也有 {count} 个非数字值，前几处在文件第 {lines} 行（数据第 {rows} 行）：{values}；它们已按缺失值处理</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="538"/>
        <source>column {column!r} of {name} holds {count} value(s) that are not finite numbers (inf, nan or beyond +-3.4e38), first on line(s) {lines} of the file (data row(s) {rows}): {values}; replace them with finite numbers, or leave the cells empty to mark them missing</source>
        <translation>{name} 的列 {column!r} 中有 {count} 个值不是有限的数值（inf、nan 或超出 +-3.4e38），前几处在文件第 {lines} 行（数据第 {rows} 行）：{values}；请把它们替换为有限的数值，或将单元格留空以标记为缺失值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="539"/>
        <source>{name} has a single class in its training split, {label!r}, and a classifier needs at least 2: add samples of another class (an image folder needs one sub-folder per class)</source>
        <translation>{name} 的训练集中只有一个类别 {label!r}，而分类器至少需要 2 个：请添加其他类别的样本（图像文件夹需要每个类别一个子文件夹）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="540"/>
        <source>class(es) {names} appear only in the validation split, so the model never trains on them; add training samples of them or change data.val_split</source>
        <translation>类别 {names} 只出现在验证集中，模型从未在它们上训练；请为它们添加训练样本，或修改 data.val_split</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="541"/>
        <source>{name} has the same target value, {value:.6g}, in every training sample, so a regression has nothing to learn; use a target column whose values vary</source>
        <translation>{name} 中每个训练样本的目标值都相同（{value:.6g}），回归模型无从学习；请使用取值有变化的目标列</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="542"/>
        <source>seed must be an integer from 0 to 4294967295 (2**32 - 1), got {value}</source>
        <translation>seed 必须是 0 到 4294967295（2**32 - 1）之间的整数，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="543"/>
        <source>{name} line {line} (data row {row}), column {column}: {value!r} is not a finite number (inf, nan or beyond +-3.4e38); replace it with a finite number</source>
        <translation>{name} 第 {line} 行（数据第 {row} 行），列 {column}：{value!r} 不是有限的数值（inf、nan 或超出 +-3.4e38）；请替换为有限的数值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="544"/>
        <source>the model&apos;s output for this input is not a finite number: the input lies far outside the range the model was trained on, or the model&apos;s weights are broken</source>
        <translation>模型对该输入的输出不是有限的数值：该输入远远超出了模型训练时的数据范围，或者模型的权重已损坏</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="379"/>
        <source>{path} is not a readable PyTorch or safetensors weights file (truncated, corrupted or another format)</source>
        <translation>{path} 不是可读取的 PyTorch 或 safetensors 权重文件（文件被截断、已损坏或是其他格式）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="48"/>
        <source>Your own list in data.transforms; available: hflip, vflip, rotation, affine, random_resized_crop, random_crop, color_jitter, gaussian_noise, center_crop</source>
        <translation>在 data.transforms 中自定义列表；可用：hflip、vflip、rotation、affine、random_resized_crop、random_crop、color_jitter、gaussian_noise、center_crop</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="171"/>
        <source>The last good checkpoint is {checkpoint} (untouched); resume from it with a lower optim.lr</source>
        <translation>最后一个正常的检查点是 {checkpoint}（未被改动）；请调低 optim.lr 后从它继续训练</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="172"/>
        <source>No checkpoint was written before it; lower optim.lr or enable train.clip_grad_norm</source>
        <translation>在此之前未写入任何检查点；请降低 optim.lr 或启用 train.clip_grad_norm</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="360"/>
        <source>the forward of {name} from {path} failed on a sample batch of shape {batch_shape} (the dataset&apos;s samples are {input_shape}): {error}</source>
        <translation>{path} 中 {name} 的 forward 在形状为 {batch_shape} 的样本批次上运行失败（数据集的样本形状为 {input_shape}）：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="362"/>
        <source>the forward of {name} from {path} returned shape {output_batch_shape} for a batch of {batch} samples of shape {input_shape}, but the dataset needs ({batch}, {outputs}): {outputs} output(s) per sample</source>
        <translation>对于由 {batch} 个形状为 {input_shape} 的样本组成的批次，{path} 中 {name} 的 forward 返回的形状是 {output_batch_shape}，但该数据集需要 ({batch}, {outputs})：每个样本 {outputs} 个输出</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="380"/>
        <source>{path} holds no tensors (no state dict found, also not under {keys})</source>
        <translation>{path} 中没有张量（找不到 state dict，{keys} 下也没有）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="381"/>
        <source>{path} is not a readable safetensors file: {error}</source>
        <translation>{path} 不是可读取的 safetensors 文件：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="382"/>
        <source>none of the {count} tensors in {path} fit model {arch} (file keys start {file_keys}; the model&apos;s start {model_keys}); pick weights saved from the same architecture</source>
        <translation>{path} 中的 {count} 个张量没有一个与模型 {arch} 匹配（文件中的键以 {file_keys} 开头；模型的键以 {model_keys} 开头）；请选择用相同架构保存的权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="383"/>
        <source>model {arch} cannot process samples of shape {shape} from {dataset}: {error}</source>
        <translation>模型 {arch} 无法处理来自{dataset}、形状为 {shape} 的样本：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="384"/>
        <source>model {arch} returns {kind} for samples of shape {shape} from {dataset}; it must return a tensor of shape (batch, {outputs})</source>
        <translation>对于来自{dataset}、形状为 {shape} 的样本，模型 {arch} 返回了 {kind}；它必须返回形状为 (batch, {outputs}) 的张量</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="385"/>
        <source>model {arch} outputs shape {shape} per sample for samples of shape {input_shape} from {dataset}, which needs {outputs} output(s) per sample</source>
        <translation>对于来自{dataset}、形状为 {input_shape} 的样本，模型 {arch} 每个样本输出的形状为 {shape}，而该数据集需要每个样本 {outputs} 个输出</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="386"/>
        <source>dataset {name!r}</source>
        <translation>数据集 {name!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="387"/>
        <source>the dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="388"/>
        <source>checkpoint {path} does not exist; pick a .ckpt file from a run&apos;s checkpoints folder</source>
        <translation>检查点 {path} 不存在；请从某次运行的 checkpoints 文件夹中选择一个 .ckpt 文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="389"/>
        <source>checkpoint {path} is empty (0 bytes); use another checkpoint of the run</source>
        <translation>检查点 {path} 为空（0 字节）；请使用该运行的另一个检查点</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="390"/>
        <source>{path} is not a readable PyTorch checkpoint (corrupted or another format)</source>
        <translation>{path} 不是可读取的 PyTorch 检查点（已损坏或是其他格式）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="391"/>
        <source>{path} is not a readable PyTorch checkpoint (truncated or corrupted?): {error}</source>
        <translation>{path} 不是可读取的 PyTorch 检查点（文件被截断或已损坏？）：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="392"/>
        <source>{path} is not a TorchDesk checkpoint (no &apos;model&apos; and &apos;config&apos; entries)</source>
        <translation>{path} 不是 TorchDesk 检查点（没有 &apos;model&apos; 和 &apos;config&apos; 条目）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="393"/>
        <source>the weights in {source} do not fit this model ({error}); check that model.arch and its options match the run that saved them</source>
        <translation>{source} 中的权重与此模型不匹配（{error}）；请检查 model.arch 及其选项是否与保存这些权重的那次运行一致</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="394"/>
        <source>train.monitor = {monitor!r} does not exist for a {task} task; use one of {names}</source>
        <translation>{task} 任务没有 train.monitor = {monitor!r} 这个指标；请使用 {names} 之一</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="395"/>
        <source>the training split has fewer than 2 samples; lower data.val_split or use more data</source>
        <translation>训练集的样本少于 2 个；请调低 data.val_split 或使用更多数据</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="396"/>
        <source>data.batch_size = {size} is larger than the {count} training samples each process sees; use data.batch_size &lt;= {count}</source>
        <translation>data.batch_size = {size} 大于每个进程能看到的 {count} 个训练样本；请使用 data.batch_size &lt;= {count}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="397"/>
        <source>the checkpoint {path} was saved with a different [model] section; resume with the run&apos;s own config.toml</source>
        <translation>检查点 {path} 保存时使用的 [model] 配置不同；请使用该运行自己的 config.toml 继续训练</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="398"/>
        <source>the optimizer or schedule in {path} does not match the config ({error}); resume with the run&apos;s own config.toml</source>
        <translation>{path} 中的优化器或学习率调度与当前配置不匹配（{error}）；请使用该运行自己的 config.toml 继续训练</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="399"/>
        <source>train.device = {name!r} but no CUDA device is available here; use &apos;auto&apos; or &apos;cpu&apos;</source>
        <translation>train.device = {name!r}，但这里没有可用的 CUDA 设备；请使用 &apos;auto&apos; 或 &apos;cpu&apos;</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="400"/>
        <source>train.device = {name!r} but this machine has {count} CUDA device(s); use cuda:0 to cuda:{last}</source>
        <translation>train.device = {name!r}，但这台机器只有 {count} 个 CUDA 设备；请使用 cuda:0 到 cuda:{last}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="401"/>
        <source>train.device = &apos;mps&apos; but Apple MPS is not available here; use &apos;auto&apos; or &apos;cpu&apos;</source>
        <translation>train.device = &apos;mps&apos;，但这里没有可用的 Apple MPS；请使用 &apos;auto&apos; 或 &apos;cpu&apos;</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="402"/>
        <source>train.precision = {name!r} is not supported on {device}; choose one of {names} or &apos;auto&apos;</source>
        <translation>{device} 不支持 train.precision = {name!r}；请选择 {names} 之一或 &apos;auto&apos;</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="403"/>
        <source>train.compile = true cannot be used here: {reason}; set train.compile = false</source>
        <translation>这里无法使用 train.compile = true：{reason}；请设置 train.compile = false</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="404"/>
        <source>loss.name = {name!r} does not fit a {task} task; use one of {names}</source>
        <translation>loss.name = {name!r} 不适用于 {task} 任务；请使用 {names} 之一</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="405"/>
        <source>loss.class_weights only applies to classification; remove it for a regression task</source>
        <translation>loss.class_weights 只适用于分类任务；回归任务请删除它</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="406"/>
        <source>loss.class_weights has {count} values but the dataset has {classes} classes; give one weight per class or leave it empty</source>
        <translation>loss.class_weights 有 {count} 个值，但数据集有 {classes} 个类别；请为每个类别给出一个权重，或留空</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="407"/>
        <source>loss.label_smoothing only applies to classification; set it to 0 for regression</source>
        <translation>loss.label_smoothing 只适用于分类任务；回归任务请设为 0</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="408"/>
        <source>too many runs named {name!r} in {root}</source>
        <translation>{root} 中名为 {name!r} 的运行太多了</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="409"/>
        <source>train.tensorboard = true needs the tensorboard package: pip install &apos;torchdesk[tensorboard]&apos;, or set train.tensorboard = false</source>
        <translation>train.tensorboard = true 需要 tensorboard 包：请运行 pip install &apos;torchdesk[tensorboard]&apos;，或设置 train.tensorboard = false</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="410"/>
        <source>the disk holding {path} is full: free some space on it, or choose a folder on another disk</source>
        <translation>{path} 所在的磁盘已满：请释放一些空间，或选择另一个磁盘上的文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="411"/>
        <source>{path} is on a read-only file system: choose a folder on a writable disk</source>
        <translation>{path} 位于只读文件系统上：请选择可写磁盘上的文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="412"/>
        <source>no permission to write {path}: choose a folder you can write to, or change its permissions</source>
        <translation>没有写入 {path} 的权限：请选择一个可以写入的文件夹，或修改它的权限</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="413"/>
        <source>{path} is a file, not a folder: give a folder path, or move that file away</source>
        <translation>{path} 是文件而不是文件夹：请指定一个文件夹路径，或把该文件移走</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="414"/>
        <source>{path} is a folder, not a file: give a file path</source>
        <translation>{path} 是文件夹而不是文件：请指定一个文件路径</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="415"/>
        <source>{path} is a folder: give a file path for the output, for example {example}</source>
        <translation>{path} 是文件夹：请为输出指定一个文件路径，例如 {example}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="416"/>
        <source>a name in {path} is too long for its file system: choose a shorter name</source>
        <translation>{path} 中的某个名称超出了所在文件系统的长度限制：请选择更短的名称</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="417"/>
        <source>cannot write {path} ({error}): check the disk, or choose another folder</source>
        <translation>无法写入 {path}（{error}）：请检查磁盘，或选择其他文件夹</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="418"/>
        <source>{error}. The run stopped; its last good checkpoint {checkpoint} is intact: resume from it once this is fixed</source>
        <translation>{error}。训练已停止；最后一个正常的检查点 {checkpoint} 完好无损：问题解决后请从它继续训练</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="419"/>
        <source>{path} already holds a run ({files}); continue it with &apos;torchdesk-cli resume {path}&apos;, or train into a fresh folder (another --run-dir, or --overwrite to move the old run aside)</source>
        <translation>{path} 中已有一个运行（{files}）；请用 &apos;torchdesk-cli resume {path}&apos; 继续它，或训练到一个新文件夹中（换一个 --run-dir，或用 --overwrite 把旧运行移到一旁）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="420"/>
        <source>{path} already holds a run that wrote no checkpoint ({files}); train into a fresh folder (another --run-dir, or --overwrite to move the old run aside)</source>
        <translation>{path} 中已有一个未写出检查点的运行（{files}）；请训练到一个新文件夹中（换一个 --run-dir，或用 --overwrite 把旧运行移到一旁）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="421"/>
        <source>{path} is in use by another training process (PID {pid} on {host}, since {started}); wait for that run to end or stop it, or train into another folder</source>
        <translation>{path} 正被另一个训练进程使用（{host} 上的 PID {pid}，始于 {started}）；请等待该训练结束或停止它，或训练到其他文件夹中</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="422"/>
        <source>took over the lock of {path} left by PID {pid} on {host} (since {started}): that process has ended</source>
        <translation>已接管 {host} 上的 PID {pid} 留下的 {path} 锁（始于 {started}）：该进程已结束</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="423"/>
        <source>the run that was in {path} was moved to {aside}</source>
        <translation>原先位于 {path} 的运行已移到 {aside}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="424"/>
        <source>a folder, not a file; give the image or CSV files inside it (for example {example})</source>
        <translation>这是文件夹而不是文件；请指定其中的图像或 CSV 文件（例如 {example}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="425"/>
        <source>{path} must be one of {allowed}; got {value!r}</source>
        <translation>{path} 必须是 {allowed} 之一；实际为 {value!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="426"/>
        <source>{path} must be a finite number, got {value}</source>
        <translation>{path} 必须是有限的数值，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="427"/>
        <source>{path} must be &gt; 0, got {value}</source>
        <translation>{path} 必须 &gt; 0，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="428"/>
        <source>{path} must be &gt;= 0, got {value}</source>
        <translation>{path} 必须 &gt;= 0，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="429"/>
        <source>{path} must be between 0 and 1 (exclusive), got {value}</source>
        <translation>{path} 必须在 0 和 1 之间（不含 0 和 1），实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="430"/>
        <source>{path} must be in [0, 1), got {value}</source>
        <translation>{path} 必须在 [0, 1) 范围内，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="431"/>
        <source>{path} must all be &gt; 0, got {value}</source>
        <translation>{path} 的每个值都必须 &gt; 0，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="432"/>
        <source>{path} must be an integer, got {value!r}</source>
        <translation>{path} 必须是整数，实际为 {value!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="433"/>
        <source>{path} must be a number, got {value!r}</source>
        <translation>{path} 必须是数值，实际为 {value!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="434"/>
        <source>{path} must be true or false, got {value!r}</source>
        <translation>{path} 必须是 true 或 false，实际为 {value!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="435"/>
        <source>{path} must be a string, got {value!r}</source>
        <translation>{path} 必须是字符串，实际为 {value!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="436"/>
        <source>{path} must be a list of {kind}, got {value!r}</source>
        <translation>{path} 必须是 {kind} 列表，实际为 {value!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="437"/>
        <source>[{section}] must be a table of keys, got {value!r}</source>
        <translation>[{section}] 必须是由键组成的表，实际为 {value!r}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="438"/>
        <source>unknown key {section}.{key}; allowed keys in [{section}]: {allowed}</source>
        <translation>未知的键 {section}.{key}；[{section}] 中允许的键：{allowed}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="439"/>
        <source>unknown key {key!r} at the top level; allowed: {allowed}</source>
        <translation>顶层有未知的键 {key!r}；允许的键：{allowed}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="440"/>
        <source>config file {path} does not exist; check the path</source>
        <translation>配置文件 {path} 不存在；请检查路径</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="441"/>
        <source>cannot read config file {path}: {error}</source>
        <translation>无法读取配置文件 {path}：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="442"/>
        <source>{source} is not valid TOML: {error}</source>
        <translation>{source} 不是有效的 TOML：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="443"/>
        <source>name must not be empty; give the run a short name such as &apos;digits-mlp&apos;</source>
        <translation>name 不能为空；请给这次运行起一个简短的名字，例如 &apos;digits-mlp&apos;</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="444"/>
        <source>data.transforms is only used with data.augment = &apos;custom&apos;; set that or remove the list</source>
        <translation>data.transforms 只在 data.augment = &apos;custom&apos; 时使用；请这样设置，或删除该列表</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="445"/>
        <source>data.persistent_workers needs data.num_workers &gt; 0</source>
        <translation>data.persistent_workers 需要 data.num_workers &gt; 0</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="446"/>
        <source>optim.nesterov needs optim.name = &apos;sgd&apos; and optim.momentum &gt; 0</source>
        <translation>optim.nesterov 需要 optim.name = &apos;sgd&apos; 且 optim.momentum &gt; 0</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="447"/>
        <source>optim.betas must be two numbers in [0, 1), got {value}</source>
        <translation>optim.betas 必须是两个 [0, 1) 范围内的数，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="448"/>
        <source>schedule.milestones must be increasing epochs &gt; 0, got {value}</source>
        <translation>schedule.milestones 必须是递增且 &gt; 0 的轮数，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="449"/>
        <source>train.runs_dir must not be empty; use &apos;runs&apos; for the default folder</source>
        <translation>train.runs_dir 不能为空；使用默认文件夹请填 &apos;runs&apos;</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="450"/>
        <source>{source} does not say which dataset the model was trained on (no run config); use the run&apos;s checkpoint, or a weights file saved by TorchDesk</source>
        <translation>{source} 没有记录模型是在哪个数据集上训练的（没有运行配置）；请使用该运行的检查点，或由 TorchDesk 保存的权重文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="451"/>
        <source>the dataset {name} now gives samples of shape {shape} with {outputs} output(s), but the model was trained on {model_shape} with {model_outputs}; the data changed since training</source>
        <translation>数据集 {name} 现在给出的样本形状为 {shape}、输出为 {outputs} 个，但模型训练时的形状为 {model_shape}、输出为 {model_outputs} 个；数据在训练后发生了变化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="452"/>
        <source>the test samples have shape {shape} but the model takes {model_shape}; use images of the training size</source>
        <translation>测试样本的形状为 {shape}，但模型接受的形状为 {model_shape}；请使用与训练时相同尺寸的图像</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="453"/>
        <source>the {split} split of the run&apos;s dataset is empty</source>
        <translation>该运行数据集的 {split} 部分为空</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="454"/>
        <source>ONNX export needs a PyTorch checkpoint or weights file; {source} is a {format} archive</source>
        <translation>导出 ONNX 需要 PyTorch 检查点或权重文件；{source} 是 {format} 归档文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="455"/>
        <source>TorchScript export needs a PyTorch checkpoint or weights file; {source} is a {format} archive</source>
        <translation>导出 TorchScript 需要 PyTorch 检查点或权重文件；{source} 是 {format} 归档文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="456"/>
        <source>torch.export needs a PyTorch checkpoint or weights file; {source} is a {format} archive</source>
        <translation>torch.export 需要 PyTorch 检查点或权重文件；{source} 是 {format} 归档文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="457"/>
        <source>quantization needs a PyTorch checkpoint or weights file; {source} is a {format} archive</source>
        <translation>量化需要 PyTorch 检查点或权重文件；{source} 是 {format} 归档文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="458"/>
        <source>the model cannot be exported to ONNX: both exporters failed (last: {error}); try TorchScript or .pt2 instead</source>
        <translation>模型无法导出为 ONNX：两种导出器都失败了（最后一个错误：{error}）；请改用 TorchScript 或 .pt2</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="459"/>
        <source>ONNX export needs the &apos;onnx&apos; and &apos;onnxscript&apos; packages; install them</source>
        <translation>导出 ONNX 需要 &apos;onnx&apos; 和 &apos;onnxscript&apos; 包；请安装它们</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="460"/>
        <source>TorchScript {method} failed for this model ({error}); try --method {other} or export to ONNX or .pt2</source>
        <translation>TorchScript {method} 无法处理此模型（{error}）；请尝试 --method {other}，或导出为 ONNX 或 .pt2</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="461"/>
        <source>torch.export cannot capture this model ({error}); export to TorchScript or ONNX instead</source>
        <translation>torch.export 无法捕获此模型（{error}）；请改为导出 TorchScript 或 ONNX</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="462"/>
        <source>{path} is a folder; pick a model file (.ckpt, .pth, .safetensors, .pt, .pt2 or .onnx)</source>
        <translation>{path} 是一个文件夹；请选择一个模型文件（.ckpt、.pth、.safetensors、.pt、.pt2 或 .onnx）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="463"/>
        <source>model file {path} does not exist; check the path</source>
        <translation>模型文件 {path} 不存在；请检查路径</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="464"/>
        <source>model file {path} is empty (0 bytes); it was not written completely - save it again</source>
        <translation>模型文件 {path} 为空（0 字节）；它没有完整写入，请重新保存</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="465"/>
        <source>{path} starts like a PyTorch archive (zip) but is truncated or corrupted; save or copy the file again</source>
        <translation>{path} 开头像是 PyTorch 归档文件（zip），但已被截断或损坏；请重新保存或复制该文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="466"/>
        <source>{path} is a zip archive but not one PyTorch wrote (no data.pkl); pick a model file</source>
        <translation>{path} 是 zip 归档文件，但不是由 PyTorch 写入的（没有 data.pkl）；请选择一个模型文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="467"/>
        <source>{path} has a corrupted safetensors header; save the weights again</source>
        <translation>{path} 的 safetensors 文件头已损坏；请重新保存权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="468"/>
        <source>{path} is a truncated safetensors file (its header promises more bytes than the file has); save or copy the weights again</source>
        <translation>{path} 是被截断的 safetensors 文件（文件头声明的字节数多于文件实际大小）；请重新保存或复制权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="469"/>
        <source>{path} is not a model file TorchDesk can read (not a PyTorch checkpoint or weights, safetensors, TorchScript, .pt2 or ONNX file); it may be corrupted</source>
        <translation>{path} 不是 TorchDesk 能读取的模型文件（不是 PyTorch 检查点或权重、safetensors、TorchScript、.pt2 或 ONNX 文件）；它可能已损坏</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="470"/>
        <source>the weights in {name} do not fit this model ({summary}); load them partially (strict off) to keep the fitting tensors, or pick weights saved from the same architecture</source>
        <translation>{name} 中的权重与此模型不匹配（{summary}）；请部分加载（关闭严格模式）以保留匹配的张量，或选择用相同架构保存的权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="471"/>
        <source>none of the tensors in {name} fit this model ({summary}); pick weights saved from the same architecture</source>
        <translation>{name} 中没有一个张量与此模型匹配（{summary}）；请选择用相同架构保存的权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="472"/>
        <source>{path} holds no checkpoints/best.ckpt, checkpoints/last.ckpt or model.safetensors; give a run folder or a model file</source>
        <translation>{path} 中没有 checkpoints/best.ckpt、checkpoints/last.ckpt 或 model.safetensors；请指定一个运行文件夹或模型文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="473"/>
        <source>{source} has no TorchDesk metadata (architecture, input shape, outputs), so the model cannot be rebuilt from it alone; load it into a model of the same architecture instead (File &gt; Load weights into the current model)</source>
        <translation>{source} 中没有 TorchDesk 元数据（架构、输入形状、输出），因此无法仅凭它重建模型；请把它加载到相同架构的模型中（“文件 &gt; 加载权重/检查点…”，载入当前模型）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="474"/>
        <source>cannot rebuild the model of {source}: {error}</source>
        <translation>无法重建 {source} 的模型：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="475"/>
        <source>the weights in {source} do not fit model {arch} ({summary}); the file holds weights of another architecture or was edited</source>
        <translation>{source} 中的权重与模型 {arch} 不匹配（{summary}）；该文件保存的是其他架构的权重，或已被修改</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="476"/>
        <source>{path} is an ONNX model; it can be used for prediction, but saving, exporting, quantizing and evaluating need the PyTorch checkpoint or weights file</source>
        <translation>{path} 是 ONNX 模型；它可以用于预测，但保存、导出、量化和评估需要 PyTorch 检查点或权重文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="477"/>
        <source>file not found</source>
        <translation>找不到文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="478"/>
        <source>{name} is an image, but this model takes table rows; give a .csv file</source>
        <translation>{name} 是图像，但此模型接受的是表格行；请提供 .csv 文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="479"/>
        <source>{name} cannot be read as an image (corrupted or not an image)</source>
        <translation>{name} 无法作为图像读取（已损坏或不是图像）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="480"/>
        <source>{name} is a table, but this model takes images; give image files</source>
        <translation>{name} 是表格，但此模型接受的是图像；请提供图像文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="481"/>
        <source>{name} is empty</source>
        <translation>{name} 为空</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="482"/>
        <source>{path} carries no TorchDesk metadata, so its preprocessing and class names are unknown; export it with TorchDesk (torchdesk-cli export) and predict with that file</source>
        <translation>{path} 不带 TorchDesk 元数据，因此不知道它的预处理方式和类别名称；请用 TorchDesk 导出（torchdesk-cli export），再用导出的文件预测</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="483"/>
        <source>{name} line {line} holds a value that is not a number</source>
        <translation>{name} 第 {line} 行有一个不是数值的值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="484"/>
        <source>{name} line {line} has {count} value(s) but the model takes {features} features</source>
        <translation>{name} 第 {line} 行有 {count} 个值，但模型接受 {features} 个特征</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="485"/>
        <source>{name} lacks the column(s) {columns} the model was trained on; its header must name them (extra columns such as the target are ignored)</source>
        <translation>{name} 缺少模型训练时使用的列 {columns}；表头中必须有这些列（目标列等多余的列会被忽略）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="486"/>
        <source>{name} line {line} has {count} fields but the header has {expected}</source>
        <translation>{name} 第 {line} 行有 {count} 个字段，而表头有 {expected} 个</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="487"/>
        <source>method {method} has no result to save: {reason}</source>
        <translation>方法 {method} 没有可保存的结果：{reason}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="488"/>
        <source>quantization method {method} does not apply here: {reason}</source>
        <translation>量化方法 {method} 在这里不适用：{reason}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="489"/>
        <source>quantization method {method} failed: {error}</source>
        <translation>量化方法 {method} 失败：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="490"/>
        <source>{path} is not a readable PyTorch file (truncated or corrupted)</source>
        <translation>{path} 不是可读取的 PyTorch 文件（已被截断或损坏）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="491"/>
        <source>{path} is not a readable PyTorch file (truncated or corrupted?): {error}</source>
        <translation>{path} 不是可读取的 PyTorch 文件（已被截断或损坏？）：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="492"/>
        <source>{path} is not a readable safetensors file (truncated or corrupted?): {error}</source>
        <translation>{path} 不是可读取的 safetensors 文件（已被截断或损坏？）：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="493"/>
        <source>{path} is a {kind}, not a weights file; weights come from a .pth, .safetensors or .ckpt file</source>
        <translation>{path} 是 {kind}，不是权重文件；权重来自 .pth、.safetensors 或 .ckpt 文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="494"/>
        <source>PyTorch file (torch.save)</source>
        <translation>PyTorch 文件（torch.save）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="495"/>
        <source>TorchScript archive</source>
        <translation>TorchScript 归档文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="496"/>
        <source>torch.export program (.pt2)</source>
        <translation>torch.export 程序（.pt2）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="497"/>
        <source>safetensors weights</source>
        <translation>safetensors 权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="498"/>
        <source>ONNX model</source>
        <translation>ONNX 模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="499"/>
        <source>{path} holds a {kind}, not a state dict or a checkpoint</source>
        <translation>{path} 中是 {kind}，不是 state dict 或检查点</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="500"/>
        <source>{path} holds no tensors (no state dict at the top level or under {keys})</source>
        <translation>{path} 中没有张量（顶层和 {keys} 下都没有 state dict）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="501"/>
        <source>{path} is not a loadable TorchScript archive (truncated or corrupted?): {error}</source>
        <translation>{path} 不是可加载的 TorchScript 归档文件（已被截断或损坏？）：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="502"/>
        <source>{path} is not a loadable torch.export program (truncated, corrupted or from an incompatible PyTorch?): {error}</source>
        <translation>{path} 不是可加载的 torch.export 程序（已被截断、损坏，或来自不兼容的 PyTorch 版本？）：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="503"/>
        <source>{path} could not be unpickled ({error}); the classes it needs may be missing</source>
        <translation>无法反序列化 {path}（{error}）；可能缺少它所需的类</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="504"/>
        <source>{path} holds a {kind}, not a model</source>
        <translation>{path} 中是 {kind}，不是模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="505"/>
        <source>ONNX Runtime is not installed; install the &apos;onnxruntime&apos; package to run .onnx models</source>
        <translation>未安装 ONNX Runtime；请安装 &apos;onnxruntime&apos; 包来运行 .onnx 模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="506"/>
        <source>ONNX Runtime cannot load {path}: {error}</source>
        <translation>ONNX Runtime 无法加载 {path}：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="507"/>
        <source>{source} is a {format} archive; weights are saved from a PyTorch checkpoint or weights file</source>
        <translation>{source} 是 {format} 归档文件；权重只能从 PyTorch 检查点或权重文件保存</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="508"/>
        <source>a resumable .ckpt needs a training checkpoint as the source (a run&apos;s checkpoints/last.ckpt); {source} holds weights only - save it as .pth or .safetensors instead</source>
        <translation>可继续训练的 .ckpt 需要以训练检查点为来源（某次运行的 checkpoints/last.ckpt）；{source} 只包含权重，请改存为 .pth 或 .safetensors</translation>
    </message>
</context>
<context>
    <name>ClearCacheButton</name>
    <message>
        <location filename="../../gui/panels/cache_button.py" line="25"/>
        <source>Delete the decoded images kept between runs; the next run of a folder decodes it again</source>
        <translation>删除在多次训练之间保留的解码图像；下次训练某个文件夹时会重新解码</translation>
    </message>
    <message>
        <location filename="../../gui/panels/cache_button.py" line="36"/>
        <source>Clear cache ({size} MB)</source>
        <translation>清除缓存（{size} MB）</translation>
    </message>
</context>
<context>
    <name>CodeView</name>
    <message>
        <location filename="../../gui/panels/code_view.py" line="42"/>
        <source>The training script of the current settings, in plain PyTorch.</source>
        <translation>当前设置对应的训练脚本（纯 PyTorch）。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/code_view.py" line="43"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../gui/panels/code_view.py" line="45"/>
        <source>Copy the script to the clipboard</source>
        <translation>将脚本复制到剪贴板</translation>
    </message>
    <message>
        <location filename="../../gui/panels/code_view.py" line="47"/>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../../gui/panels/code_view.py" line="48"/>
        <source>Save the script as a .py file</source>
        <translation>将脚本保存为 .py 文件</translation>
    </message>
</context>
<context>
    <name>ConfigFileActions</name>
    <message>
        <location filename="../../gui/config_files.py" line="66"/>
        <source>New configuration: built-in digits with an MLP.</source>
        <translation>新配置：内置 digits 数据集与 MLP 模型。</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="83"/>
        <source>Open config</source>
        <translation>打开配置</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="83"/>
        <location filename="../../gui/config_files.py" line="113"/>
        <source>TorchDesk configs (*.toml)</source>
        <translation>TorchDesk 配置文件 (*.toml)</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="90"/>
        <source>Cannot open the config</source>
        <translation>无法打开配置</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="97"/>
        <source>Opened config {path}</source>
        <translation>已打开配置 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="108"/>
        <source>The configuration needs a fix</source>
        <translation>配置需要修改</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="113"/>
        <source>Save config as</source>
        <translation>配置另存为</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="122"/>
        <source>Cannot save the config</source>
        <translation>无法保存配置</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="125"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="136"/>
        <source>Train further?</source>
        <translation>进一步训练？</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="138"/>
        <source>{name} has already trained all its {n} epochs.
Train it further, up to epoch:</source>
        <translation>{name} 已训练完全部 {n} 轮。
进一步训练，直到第几轮：</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="145"/>
        <source>Train further</source>
        <translation>进一步训练</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="147"/>
        <source>Not resumed: {name} has already trained all its epochs</source>
        <translation>未恢复训练：{name} 已训练完全部轮数</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="169"/>
        <source>Resume from checkpoint</source>
        <translation>从检查点恢复</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="169"/>
        <source>TorchDesk checkpoints (*.ckpt)</source>
        <translation>TorchDesk 检查点 (*.ckpt)</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="182"/>
        <source>Not resumed: the run&apos;s model file was not trusted ({path})</source>
        <translation>未恢复训练：该运行的模型文件未被信任（{path}）</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="186"/>
        <source>Cannot resume</source>
        <translation>无法恢复训练</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="225"/>
        <source>Resuming from {path}</source>
        <translation>正在从 {path} 恢复</translation>
    </message>
</context>
<context>
    <name>ConfusionPanel</name>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="33"/>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="34"/>
        <source>predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="42"/>
        <source>The confusion matrix appears after the first validation of a classification run.</source>
        <translation>分类训练完成第一次验证后，这里显示混淆矩阵。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="48"/>
        <source>Click a cell to see its validation samples.</source>
        <translation>点击单元格查看其中的验证样本。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="157"/>
        <source>Epoch {epoch}: {correct:.0f} of {total:.0f} validation samples correct ({acc:.1f}%).</source>
        <translation>第 {epoch} 轮：{total:.0f} 个验证样本中 {correct:.0f} 个正确（{acc:.1f}%）。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="161"/>
        <source>Click a cell to see its samples.</source>
        <translation>点击单元格查看其中的样本。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="190"/>
        <source>Epoch {epoch}: no validation sample of class {true} was predicted as {pred}.</source>
        <translation>第 {epoch} 轮：没有类别 {true} 的验证样本被预测为 {pred}。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="193"/>
        <source>Epoch {epoch}: {count} sample(s) of class {true} predicted as {pred}; this run did not record which ones.</source>
        <translation>第 {epoch} 轮：类别 {true} 的 {count} 个样本被预测为 {pred}；本次训练未记录具体是哪些样本。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="198"/>
        <source>Epoch {epoch}: {count} sample(s) of class {true} predicted correctly; {shown} shown, the least confident first.</source>
        <translation>第 {epoch} 轮：类别 {true} 的 {count} 个样本预测正确；显示了 {shown} 个，置信度最低的在前。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="203"/>
        <source>Epoch {epoch}: {count} sample(s) of class {true} predicted as {pred}; {shown} shown, the most confident first.</source>
        <translation>第 {epoch} 轮：类别 {true} 的 {count} 个样本被预测为 {pred}；显示了 {shown} 个，置信度最高的在前。</translation>
    </message>
</context>
<context>
    <name>DataView</name>
    <message>
        <location filename="../../gui/panels/data_view.py" line="29"/>
        <source>The dataset summary appears here once PyTorch is loaded.</source>
        <translation>PyTorch 加载完成后，这里显示数据集概要。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="44"/>
        <source>The dataset cannot be used: {message}</source>
        <translation>无法使用该数据集：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="51"/>
        <source>{name}: {task}, {train:,} training and {val:,} validation samples, input shape {shape}</source>
        <translation>{name}：{task}，{train:,} 个训练样本和 {val:,} 个验证样本，输入形状 {shape}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="65"/>
        <source> … and {n} more</source>
        <translation> …… 另有 {n} 个</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="67"/>
        <source>{n} classes (training samples): {list}{more}</source>
        <translation>{n} 个类别（训练样本数）：{list}{more}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="70"/>
        <source>Note: {warning}</source>
        <translation>注意：{warning}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="86"/>
        <source>target</source>
        <translation>目标</translation>
    </message>
</context>
<context>
    <name>DatasetPanel</name>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="34"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="36"/>
        <source>Built-in (small, offline)</source>
        <translation>内置（小型，离线）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="37"/>
        <source>torchvision dataset (folder)</source>
        <translation>torchvision 数据集（文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="38"/>
        <source>Image folder (one subfolder per class)</source>
        <translation>图像文件夹（每个类别一个子文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="39"/>
        <source>CSV file (tabular)</source>
        <translation>CSV 文件（表格）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="121"/>
        <source>Not used: the folder&apos;s train/ and val/ sub-folders are the split</source>
        <translation>未使用：该文件夹的 train/ 和 val/ 子文件夹即为划分</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="104"/>
        <source>CSV files (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.tsv *.txt);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>DevicePanel</name>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="69"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="71"/>
        <source>Mixed precision on a GPU that computes it natively, fp32 elsewhere (never slower)</source>
        <translation>在原生支持混合精度的 GPU 上使用混合精度，其他情况使用 fp32（绝不会更慢）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="72"/>
        <source>Full 32-bit precision: slowest on a GPU, always correct</source>
        <translation>完整 32 位精度：在 GPU 上最慢，但总是正确</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="73"/>
        <source>Mixed precision with bfloat16: fast on recent GPUs, no loss scaling</source>
        <translation>bfloat16 混合精度：在较新的 GPU 上很快，无需损失缩放</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="74"/>
        <source>Mixed precision with float16 and loss scaling</source>
        <translation>float16 混合精度，带损失缩放</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="78"/>
        <source>auto (detecting devices…)</source>
        <translation>自动（正在检测设备…）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="90"/>
        <source>GPUs</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="90"/>
        <source>The GPUs to train on, one process each</source>
        <translation>用于训练的 GPU，每个 GPU 一个进程</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="122"/>
        <source>Find largest batch</source>
        <translation>查找最大批量</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="124"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="131"/>
        <source>Largest batch</source>
        <translation>最大批量</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="134"/>
        <source>Trains single steps of this model with growing batches on the GPU until its memory runs out, then offers 90% of the largest batch that fitted</source>
        <translation>在 GPU 上以逐渐增大的批量训练此模型的单步，直到内存耗尽，然后建议能放下的最大批量的 90%</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="170"/>
        <source>auto ({name})</source>
        <translation>自动（{name}）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="172"/>
        <source>The fastest device found: CUDA, then MPS, then the CPU</source>
        <translation>使用找到的最快设备：依次为 CUDA、MPS、CPU</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="177"/>
        <source> ({mem} GiB)</source>
        <translation>（{mem} GiB）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="179"/>
        <source> — cannot be used</source>
        <translation> — 无法使用</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="185"/>
        <source>All {n} GPUs (one process each)</source>
        <translation>全部 {n} 个 GPU（每个一个进程）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="188"/>
        <source>DistributedDataParallel: TorchDesk starts torchrun with one process per GPU</source>
        <translation>DistributedDataParallel：TorchDesk 通过 torchrun 为每个 GPU 启动一个进程</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="191"/>
        <source>Chosen GPUs (one process each)…</source>
        <translation>所选 GPU（每个一个进程）…</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="193"/>
        <source>Tick the GPUs to train on below</source>
        <translation>在下方勾选用于训练的 GPU</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="196"/>
        <source>{n} processes (CPU, for testing)</source>
        <translation>{n} 个进程（CPU，用于测试）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="200"/>
        <source>Tries the multi-GPU path on this machine: {n} processes under torchrun share the CPU (gloo backend). Slower than one process; for testing only</source>
        <translation>在本机上试用多 GPU 路径：torchrun 下的 {n} 个进程共享 CPU（gloo 后端）。比单进程慢；仅用于测试</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="292"/>
        <source>{precision} is not supported on {device}</source>
        <translation>{device} 不支持 {precision}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="300"/>
        <source>auto — {precision} here (measured)</source>
        <translation>auto — 在此为 {precision}（实测）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="303"/>
        <source>tensor cores</source>
        <translation>张量核心</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="303"/>
        <source>no tensor cores: no faster</source>
        <translation>无张量核心：不会更快</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="305"/>
        <source>native here</source>
        <translation>原生支持</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="305"/>
        <source>emulated: much slower here</source>
        <translation>模拟计算：这里会慢得多</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="313"/>
        <source>{mem} GiB memory</source>
        <translation>{mem} GiB 内存</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="315"/>
        <source>{n} threads</source>
        <translation>{n} 个线程</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="316"/>
        <source>precisions: {p}</source>
        <translation>精度：{p}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="332"/>
        <source>{n} processes on the CPU (gloo): to test the multi-GPU path here, not for speed.</source>
        <translation>CPU 上的 {n} 个进程（gloo）：用于在这里测试多 GPU 路径，而非为了速度。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="338"/>
        <source>{n} processes, one per GPU, started under torchrun (DistributedDataParallel).</source>
        <translation>{n} 个进程，每个 GPU 一个，在 torchrun 下启动（DistributedDataParallel）。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="343"/>
        <source>Tick at least two GPUs for several processes; one GPU trains in this process.</source>
        <translation>多进程训练请至少勾选两个 GPU；只有一个 GPU 时在本进程中训练。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="352"/>
        <source>auto trains with {precision} here: never a precision measured slower than fp32</source>
        <translation>auto 在此使用 {precision} 训练：绝不选择实测比 fp32 慢的精度</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="361"/>
        <source>{device} ({name}) cannot be used: {problem}</source>
        <translation>{device}（{name}）无法使用：{problem}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="494"/>
        <source>Waiting for the dataset and the model to be checked</source>
        <translation>正在等待检查数据集和模型</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="504"/>
        <source>Looking for the largest batch…</source>
        <translation>正在查找最大批量…</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="522"/>
        <source>Use batch size {n}</source>
        <translation>使用批量大小 {n}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="531"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
</context>
<context>
    <name>EngineWord</name>
    <message>
        <location filename="../../gui/backend_text.py" line="210"/>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="211"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="212"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="213"/>
        <source>stopped early</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="214"/>
        <location filename="../../gui/backend_text.py" line="215"/>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="216"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="217"/>
        <source>incomplete</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="218"/>
        <source>classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="219"/>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="220"/>
        <source>last</source>
        <comment>checkpoint kind</comment>
        <translation>最新</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="221"/>
        <source>best</source>
        <comment>checkpoint kind</comment>
        <translation>最佳</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="31"/>
        <source>TorchDesk — problem</source>
        <translation>TorchDesk — 出现问题</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="48"/>
        <location filename="../../gui/dialogs/error_dialog.py" line="101"/>
        <source>Show details</source>
        <translation>显示详情</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="51"/>
        <location filename="../../gui/dialogs/error_dialog.py" line="105"/>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="81"/>
        <source>Last checkpoint: {path}</source>
        <translation>最近的检查点：{path}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="83"/>
        <source>No checkpoint was saved in this run.</source>
        <translation>本次训练未保存检查点。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="97"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="101"/>
        <source>Hide details</source>
        <translation>隐藏详情</translation>
    </message>
</context>
<context>
    <name>EvaluateDialog</name>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="46"/>
        <source>Evaluate model</source>
        <translation>评估模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="48"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="51"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="52"/>
        <source>test (a separate set)</source>
        <translation>测试集（单独的数据）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="53"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="59"/>
        <source>A test set in the run&apos;s own format: a folder of class sub-folders of images, or a CSV file with the same columns (type its path). For MNIST, CIFAR and the like, leave it empty to use the official test files next to the training files.</source>
        <translation>与训练数据格式相同的测试集：按类别分子文件夹的图像文件夹，或列相同的 CSV 文件（输入其路径）。MNIST、CIFAR 等数据集留空即可，使用训练文件旁的官方测试文件。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="64"/>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="65"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="66"/>
        <source>Split:</source>
        <translation>数据划分：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="67"/>
        <source>Test set:</source>
        <translation>测试集：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="70"/>
        <source>Gaussian noise std:</source>
        <translation>高斯噪声标准差：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="71"/>
        <source>FGSM epsilon:</source>
        <translation>FGSM epsilon：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="81"/>
        <source>False positive rate</source>
        <translation>假阳性率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="81"/>
        <source>True positive rate</source>
        <translation>真阳性率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="83"/>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="83"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="85"/>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="86"/>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="87"/>
        <source>ROC curves</source>
        <translation>ROC 曲线</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="88"/>
        <source>Precision-recall</source>
        <translation>精确率-召回率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="89"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="142"/>
        <source>loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="179"/>
        <source>{split} split: {correct:.0f} of {total:.0f} samples correct ({acc:.1f}%).</source>
        <translation>{split} 数据：{total:.0f} 个样本中 {correct:.0f} 个正确（{acc:.1f}%）。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="192"/>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="193"/>
        <source>precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="194"/>
        <source>recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="195"/>
        <source>support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="196"/>
        <source>ROC AUC</source>
        <translation>ROC AUC</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="197"/>
        <source>average precision</source>
        <translation>平均精度</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="198"/>
        <source>macro avg</source>
        <translation>宏平均</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="199"/>
        <source>weighted avg</source>
        <translation>加权平均</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="200"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="201"/>
        <source>metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="202"/>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="225"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
</context>
<context>
    <name>ExplainDialog</name>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="78"/>
        <location filename="../../gui/dialogs/explain_view.py" line="80"/>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="83"/>
        <source>Automatic (Grad-CAM for convolutional networks)</source>
        <translation>自动（卷积网络使用 Grad-CAM）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="88"/>
        <source>Grad-CAM: where the last convolution looked. Integrated gradients: how much each pixel or feature moved the prediction from a blank input. Saliency: the gradient&apos;s size per pixel.</source>
        <translation>Grad-CAM：最后一个卷积层关注的区域。积分梯度：每个像素或特征使预测相对于空白输入改变了多少。显著性：每个像素上梯度的大小。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="93"/>
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="96"/>
        <source>Inputs:</source>
        <translation>输入：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="111"/>
        <source>attribution (towards the explained output)</source>
        <translation>归因（朝向被解释的输出）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="148"/>
        <source>a validation sample of the gallery</source>
        <translation>图库中的一个验证样本</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="169"/>
        <source>validation sample</source>
        <translation>验证样本</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="170"/>
        <source>opening the model</source>
        <translation>正在打开模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="171"/>
        <source>explaining {count} input(s)</source>
        <translation>正在解释 {count} 个输入</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="202"/>
        <source>error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/explain_view.py" line="208"/>
        <source>{method} of the prediction {target} ({score})</source>
        <translation>预测 {target}（{score}）的 {method}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="24"/>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="25"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="29"/>
        <source>ONNX (.onnx)</source>
        <translation>ONNX (.onnx)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="30"/>
        <source>TorchScript (.pt)</source>
        <translation>TorchScript (.pt)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="31"/>
        <source>torch.export program (.pt2)</source>
        <translation>torch.export 程序 (.pt2)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="41"/>
        <source>trace</source>
        <translation>trace（跟踪）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="42"/>
        <source>script</source>
        <translation>script（脚本化）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="43"/>
        <source>Dynamic batch size</source>
        <translation>动态批大小</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="46"/>
        <source>default: &lt;run folder&gt;/exports/&lt;run&gt;-&lt;format&gt;-&lt;date&gt;</source>
        <translation>默认：&lt;运行文件夹&gt;/exports/&lt;运行&gt;-&lt;格式&gt;-&lt;日期&gt;</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="48"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="49"/>
        <source>ONNX opset:</source>
        <translation>ONNX opset：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="50"/>
        <source>TorchScript by:</source>
        <translation>TorchScript 方式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="52"/>
        <source>Output file:</source>
        <translation>输出文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="54"/>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="68"/>
        <source>Open containing folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="73"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="74"/>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="75"/>
        <source>Parity:</source>
        <translation>一致性：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="76"/>
        <source>Latency:</source>
        <translation>延迟：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="77"/>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="106"/>
        <source>{mb:.3f} MB ({bytes} bytes)</source>
        <translation>{mb:.3f} MB（{bytes} 字节）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="108"/>
        <source>OK</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="108"/>
        <source>FAILED</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="110"/>
        <source>max abs diff {diff:.3g} in {runtime} (limit {tol:g}): {verdict}</source>
        <translation>{runtime} 中最大绝对差 {diff:.3g}（上限 {tol:g}）：{verdict}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="116"/>
        <source>batch {b}: PyTorch {t:.3f} ms, {rt} {r:.3f} ms</source>
        <translation>批大小 {b}：PyTorch {t:.3f} ms，{rt} {r:.3f} ms</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="120"/>
        <source>exporter: {name}</source>
        <translation>导出器：{name}</translation>
    </message>
</context>
<context>
    <name>FloatEdit</name>
    <message>
        <location filename="../../gui/widgets.py" line="117"/>
        <source>enter a number</source>
        <translation>请输入数值</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="118"/>
        <source>{text!r} is not a number (e.g. 0.001 or 3e-4)</source>
        <translation>{text!r} 不是数值（例如 0.001 或 3e-4）</translation>
    </message>
</context>
<context>
    <name>LoadWeightsDialog</name>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="39"/>
        <source>pickled full model</source>
        <translation>pickle 完整模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="55"/>
        <source>Load weights or checkpoint</source>
        <translation>加载权重或检查点</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="57"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="62"/>
        <source>Strict: every tensor must fit</source>
        <translation>严格：每个张量都必须匹配</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="64"/>
        <source>Partial: load the tensors that fit</source>
        <translation>部分：只加载匹配的张量</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="74"/>
        <source>Restore the whole configuration into the panels (checkpoints)</source>
        <translation>将完整配置恢复到各面板（检查点）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="76"/>
        <source>File to load:</source>
        <translation>要加载的文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="77"/>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="87"/>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="87"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="87"/>
        <source>Shape in file</source>
        <translation>文件中的形状</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="87"/>
        <source>Shape in model</source>
        <translation>模型中的形状</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="101"/>
        <source>No current model: the file&apos;s own model is loaded.</source>
        <translation>没有当前模型：将加载文件自带的模型。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="124"/>
        <source>reading the file</source>
        <translation>正在读取文件</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="124"/>
        <source>checking the configuration</source>
        <translation>正在检查配置</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="179"/>
        <source>Format: {name}</source>
        <translation>格式：{name}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="182"/>
        <source>Not loaded: </source>
        <translation>未加载：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="184"/>
        <source>; prefixes removed: {p}</source>
        <translation>；已移除前缀：{p}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="186"/>
        <source>Configuration not restored: {why}</source>
        <translation>配置未恢复：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="188"/>
        <source>The configuration was restored into the panels.</source>
        <translation>配置已恢复到各面板。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="192"/>
        <source>ok</source>
        <translation>匹配</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="193"/>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="194"/>
        <source>unexpected</source>
        <translation>多余</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="195"/>
        <source>shape mismatch</source>
        <translation>形状不符</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="205"/>
        <source>Not loaded: the weights do not fit (strict). Nothing changed.</source>
        <translation>未加载：权重不匹配（严格模式）。未做任何更改。</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="28"/>
        <source>Started: {epochs} epochs × {steps} steps on {device} ({precision}), {task}; run folder {run_dir}</source>
        <translation>开始训练：{epochs} 轮 × 每轮 {steps} 步，设备 {device}（{precision}），{task}；运行文件夹 {run_dir}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="40"/>
        <location filename="../../gui/panels/log_panel.py" line="73"/>
        <source>, </source>
        <comment>separator of the parts of an epoch line</comment>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="55"/>
        <source>Early stopping: {message}</source>
        <translation>提前停止：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="56"/>
        <source>Early stopping: the monitored metric stopped improving</source>
        <translation>提前停止：监控指标不再改善</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="60"/>
        <source>Diverged: {message}</source>
        <translation>训练发散：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="62"/>
        <source>Warning: {message}</source>
        <translation>警告：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="65"/>
        <source>Error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="42"/>
        <source>Checkpoint saved at step {step}: {file}</source>
        <translation>已在第 {step} 步保存检查点：{file}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="46"/>
        <source>Paused at epoch {epoch}, step {step}</source>
        <translation>已在第 {epoch} 轮第 {step} 步暂停</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="50"/>
        <source>Resumed after a pause of {time}</source>
        <translation>暂停 {time} 后已继续</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="70"/>
        <source>Finished: {status}</source>
        <translation>训练结束：{status}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="77"/>
        <source>, best {monitor} {best:.4g}</source>
        <translation>，最佳 {monitor} {best:.4g}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="85"/>
        <source>Epoch {epoch}</source>
        <translation>第 {epoch} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="86"/>
        <source>train loss {loss:.4f}</source>
        <translation>训练损失 {loss:.4f}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="89"/>
        <source>val loss {loss:.4f}</source>
        <translation>验证损失 {loss:.4f}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="91"/>
        <source>val acc {acc:.2f}%</source>
        <translation>验证准确率 {acc:.2f}%</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="93"/>
        <source>val MAE {mae:.4g}</source>
        <translation>验证 MAE {mae:.4g}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="95"/>
        <source>lr {lr:.3g}</source>
        <translation>学习率 {lr:.3g}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="99"/>
        <source>{s:.1f} s</source>
        <translation>{s:.1f} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="101"/>
        <source>{ms:.0f} ms</source>
        <translation>{ms:.0f} 毫秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="114"/>
        <source>Run events appear here.</source>
        <translation>训练事件显示在这里。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="150"/>
        <source>, {file} (the best so far)</source>
        <translation>，{file}（迄今最佳）</translation>
    </message>
</context>
<context>
    <name>LossPanel</name>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="23"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="25"/>
        <source>Cross-entropy for classification (the usual choice)</source>
        <translation>分类用交叉熵（常用选择）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="26"/>
        <source>Binary cross-entropy on logits (two classes or multi-label)</source>
        <translation>基于 logits 的二元交叉熵（二分类或多标签）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="27"/>
        <source>Mean squared error for regression</source>
        <translation>回归用均方误差</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="28"/>
        <source>Mean absolute error for regression; robust to outliers</source>
        <translation>回归用平均绝对误差；对离群值稳健</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="29"/>
        <source>Huber-like loss: squared near zero, absolute further out</source>
        <translation>类 Huber 损失：接近零时为平方，远处为绝对值</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="30"/>
        <source>Focal loss: down-weights easy examples (imbalanced classes)</source>
        <translation>Focal 损失：降低易分样本的权重（类别不平衡）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="37"/>
        <source>equal weights</source>
        <translation>等权重</translation>
    </message>
</context>
<context>
    <name>LrFinderDialog</name>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="70"/>
        <source>Find learning rate</source>
        <translation>查找学习率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="88"/>
        <source>Trains a copy of the configured model for a few batches while the learning rate rises exponentially, and stops when the loss diverges. Pick a rate where the loss still falls steeply, before its minimum: click the curve to choose one. The red dashed line marks the suggestion, the green line your choice.</source>
        <translation>在学习率指数上升的同时，用几个批次训练所配置模型的一个副本，并在损失发散时停止。请选择损失仍在快速下降、尚未到达最低点的学习率：点击曲线即可选择。红色虚线标出建议值，绿色线标出你的选择。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="103"/>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="103"/>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="108"/>
        <source>Learning rates:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="109"/>
        <source>Steps (batches):</source>
        <translation>步数（批次）：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="116"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="117"/>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="119"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="120"/>
        <source>smoothed loss</source>
        <translation>平滑损失</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="141"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="144"/>
        <source>Set the chosen rate as the optimizer&apos;s learning rate (and the peak of a OneCycle schedule)</source>
        <translation>将所选学习率设为优化器的学习率（以及 OneCycle 调度的峰值）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="165"/>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="203"/>
        <source>Suggested learning rate: {lr} (rule: {rule}). Click the curve to choose another.</source>
        <translation>建议学习率：{lr}（规则：{rule}）。点击曲线可选择其他值。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="212"/>
        <source>The learning-rate test failed</source>
        <translation>学习率测试失败</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="216"/>
        <source>Cancelled: the curve so far is shown.</source>
        <translation>已取消：显示的是到目前为止的曲线。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="232"/>
        <source>Apply lr {lr}</source>
        <translation>应用学习率 {lr}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/lr_finder_dialog.py" line="238"/>
        <source>Applied learning rate {lr}.</source>
        <translation>已应用学习率 {lr}。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gui/main_window.py" line="74"/>
        <source>TorchDesk</source>
        <translation>TorchDesk</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="79"/>
        <source>Loading PyTorch… Set up the run meanwhile: Start trains as soon as it is loaded.</source>
        <translation>正在加载 PyTorch… 可先设置训练：加载完成后“开始”会立即开始训练。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="126"/>
        <source>Loading PyTorch…</source>
        <translation>正在加载 PyTorch…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="183"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="189"/>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="203"/>
        <location filename="../../gui/main_window.py" line="458"/>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="271"/>
        <source>The training engine could not be loaded.</source>
        <translation>无法加载训练引擎。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="272"/>
        <source>TorchDesk cannot load PyTorch</source>
        <translation>TorchDesk 无法加载 PyTorch</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="290"/>
        <location filename="../../gui/main_window.py" line="483"/>
        <source>Ready: press Start (F5) to train.</source>
        <translation>就绪：按“开始”（F5）开始训练。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="391"/>
        <source>Start queued: training begins as soon as PyTorch has loaded.</source>
        <translation>已排队开始：PyTorch 加载完成后即开始训练。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="393"/>
        <source>Queued start cancelled.</source>
        <translation>已取消排队的开始。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="406"/>
        <location filename="../../gui/main_window.py" line="411"/>
        <location filename="../../gui/main_window.py" line="603"/>
        <source>The configuration needs a fix</source>
        <translation>配置需要修改</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="425"/>
        <source>Starting {name}: {data} with {arch}, {epochs} epochs</source>
        <translation>开始 {name}：{data}，模型 {arch}，{epochs} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="459"/>
        <source>Training…</source>
        <translation>训练中…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="460"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="461"/>
        <source>Stopping: saving a checkpoint…</source>
        <translation>正在停止：保存检查点…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="480"/>
        <source>Training: the settings are locked until the run ends.</source>
        <translation>训练中：运行结束前设置已锁定。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="551"/>
        <source>Current model: {source}</source>
        <translation>当前模型：{source}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="569"/>
        <source>Problem: {message}</source>
        <translation>问题：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="586"/>
        <source>Versions and devices copied to the clipboard.</source>
        <translation>版本和设备信息已复制到剪贴板。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="655"/>
        <source>Stop training?</source>
        <translation>停止训练？</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="656"/>
        <source>A run is in progress. Stop it (a checkpoint is saved) and close TorchDesk?</source>
        <translation>训练正在进行。停止训练（会保存检查点）并关闭 TorchDesk？</translation>
    </message>
</context>
<context>
    <name>MetricText</name>
    <message>
        <location filename="../../gui/metric_text.py" line="14"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../../gui/metric_text.py" line="15"/>
        <source>top-5 accuracy</source>
        <translation>top-5 准确率</translation>
    </message>
    <message>
        <location filename="../../gui/metric_text.py" line="16"/>
        <source>MAE</source>
        <translation>MAE</translation>
    </message>
    <message>
        <location filename="../../gui/metric_text.py" line="17"/>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <location filename="../../gui/metric_text.py" line="18"/>
        <source>val loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location filename="../../gui/metric_text.py" line="19"/>
        <source>train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/metric_text.py" line="20"/>
        <source>train accuracy</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <location filename="../../gui/metric_text.py" line="36"/>
        <source> (best {value})</source>
        <translation>（最佳 {value}）</translation>
    </message>
</context>
<context>
    <name>MisclassifiedPanel</name>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="26"/>
        <source>Misclassified validation samples appear after each validation.</source>
        <translation>每次验证后，这里显示分类错误的验证样本。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="55"/>
        <source>Explain this prediction…</source>
        <translation>解释此预测…</translation>
    </message>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="68"/>
        <source>Epoch {epoch}: no misclassified validation samples.</source>
        <translation>第 {epoch} 轮：没有分类错误的验证样本。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="70"/>
        <source>Epoch {epoch}: {n} misclassified validation samples (true → predicted).</source>
        <translation>第 {epoch} 轮：{n} 个分类错误的验证样本（真实 → 预测）。</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <location filename="../../gui/panels/model_panel.py" line="29"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_panel.py" line="52"/>
        <source>torchvision · {family}</source>
        <translation>torchvision · {family}</translation>
    </message>
</context>
<context>
    <name>ModelView</name>
    <message>
        <location filename="../../gui/panels/model_view.py" line="17"/>
        <source>The model summary appears here once the dataset has been read.</source>
        <translation>读取数据集后，这里显示模型概要。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_view.py" line="22"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_view.py" line="22"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_view.py" line="22"/>
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_view.py" line="22"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_view.py" line="34"/>
        <source>This model cannot train on this dataset: {message}</source>
        <translation>该模型无法在此数据集上训练：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_view.py" line="40"/>
        <source>{arch}: input {inp} → output {out}</source>
        <translation>{arch}：输入 {inp} → 输出 {out}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_view.py" line="43"/>
        <source>{total:,} parameters ({trainable:,} trainable, {frozen:,} frozen)</source>
        <translation>{total:,} 个参数（{trainable:,} 个可训练，{frozen:,} 个冻结）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_view.py" line="47"/>
        <source>About {total:.1f} MB for one training step at batch {batch} (weights {w:.1f}, gradients {g:.1f}, optimizer {o:.1f}, activations {a:.1f}, batch {b:.1f})</source>
        <translation>批大小为 {batch} 时一个训练步约需 {total:.1f} MB（权重 {w:.1f}，梯度 {g:.1f}，优化器 {o:.1f}，激活 {a:.1f}，批数据 {b:.1f}）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_view.py" line="60"/>
        <source>Images are resized to {size} inside the model.</source>
        <translation>图像在模型内部缩放为 {size}。</translation>
    </message>
</context>
<context>
    <name>NumberListEdit</name>
    <message>
        <location filename="../../gui/widgets.py" line="148"/>
        <source>{entries} is not a whole number; use whole numbers separated by commas, e.g. 128, 64</source>
        <translation>{entries} 不是整数；请使用逗号分隔的整数，例如 128, 64</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="150"/>
        <source>{entries} is not a number; use numbers separated by commas, e.g. 0.5, 2</source>
        <translation>{entries} 不是数值；请使用逗号分隔的数值，例如 0.5, 2</translation>
    </message>
</context>
<context>
    <name>OptimPanel</name>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="25"/>
        <source>Optimizer and schedule</source>
        <translation>优化器与学习率调度</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="27"/>
        <source>Stochastic gradient descent, optionally with (Nesterov) momentum</source>
        <translation>随机梯度下降，可选（Nesterov）动量</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="28"/>
        <source>Adam: adaptive moments; a robust default</source>
        <translation>Adam：自适应矩估计；稳健的默认选择</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="29"/>
        <source>AdamW: Adam with decoupled weight decay; the usual default</source>
        <translation>AdamW：解耦权重衰减的 Adam；常用默认选择</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="30"/>
        <source>RMSprop: scales steps by a running average of squared gradients</source>
        <translation>RMSprop：按梯度平方的滑动平均缩放步长</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="33"/>
        <source>Constant learning rate</source>
        <translation>恒定学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="34"/>
        <source>Multiply the learning rate by gamma every N epochs</source>
        <translation>每 N 轮将学习率乘以 gamma</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="35"/>
        <source>Multiply the learning rate by gamma at the listed epochs</source>
        <translation>在列出的轮次将学习率乘以 gamma</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="36"/>
        <source>Multiply the learning rate by gamma every epoch</source>
        <translation>每轮将学习率乘以 gamma</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="37"/>
        <source>Cosine decay from the learning rate to the minimum over the run</source>
        <translation>在整个训练中从学习率余弦衰减到最小值</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="38"/>
        <source>Reduce the learning rate when the monitored metric stops improving</source>
        <translation>监控指标不再改善时降低学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="39"/>
        <source>One-cycle: rise to a peak learning rate, then anneal</source>
        <translation>One-cycle：先升至峰值学习率，再退火</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="40"/>
        <source>Linear warm-up, then cosine decay</source>
        <translation>线性预热，然后余弦衰减</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="79"/>
        <source>Planned learning rate</source>
        <translation>计划学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="80"/>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="84"/>
        <source>The learning rate over the planned run (plateau: as if it never triggers)</source>
        <translation>计划训练过程中的学习率（plateau：按从不触发绘制）</translation>
    </message>
</context>
<context>
    <name>OutputPath</name>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="93"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="101"/>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
</context>
<context>
    <name>PathEdit</name>
    <message>
        <location filename="../../gui/widgets.py" line="226"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="237"/>
        <source>Choose a file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="237"/>
        <source>Choose a folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="247"/>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="249"/>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
</context>
<context>
    <name>PlotsPanel</name>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="194"/>
        <source>Training loss per step</source>
        <translation>每步训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="195"/>
        <source>Loss per epoch</source>
        <translation>每轮损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="209"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="210"/>
        <source>smoothed</source>
        <translation>平滑</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="211"/>
        <location filename="../../gui/panels/plots_panel.py" line="213"/>
        <location filename="../../gui/panels/plots_panel.py" line="402"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="212"/>
        <location filename="../../gui/panels/plots_panel.py" line="214"/>
        <location filename="../../gui/panels/plots_panel.py" line="403"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="215"/>
        <source>lr</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="276"/>
        <source>Press Start (F5) to train</source>
        <translation>按“开始”（F5）开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="237"/>
        <source>Log scale (loss and lr)</source>
        <translation>对数刻度（损失和学习率）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="196"/>
        <location filename="../../gui/panels/plots_panel.py" line="401"/>
        <source>Accuracy (%) per epoch</source>
        <translation>每轮准确率 (%)</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="197"/>
        <source>Learning rate per step</source>
        <translation>每步学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="241"/>
        <source>Hover over a plot to read values; right-click a plot to export PNG or CSV.</source>
        <translation>将鼠标悬停在图上读取数值；右键单击图可导出 PNG 或 CSV。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="271"/>
        <location filename="../../gui/panels/plots_panel.py" line="274"/>
        <source>Loading PyTorch…</source>
        <translation>正在加载 PyTorch…</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="272"/>
        <source>Press Start (F5) now: training begins once it has loaded</source>
        <translation>现在即可按“开始”(F5)：加载完成后即开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="274"/>
        <source>Start is queued: training begins once it has loaded</source>
        <translation>已排队开始：加载完成后即开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="275"/>
        <source>Cannot start yet</source>
        <translation>暂时无法开始</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="275"/>
        <source>Fix the problem shown above, then press Start (F5)</source>
        <translation>请先修正上方显示的问题，然后按“开始”(F5)</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="277"/>
        <source>Starting the run…</source>
        <translation>正在开始运行…</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="277"/>
        <source>The curves appear with its first steps</source>
        <translation>曲线将随最初几步出现</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="333"/>
        <source>Past runs (dashed; dotted: training loss; band: min to max of the seeds):</source>
        <translation>以往的训练（虚线；点线：训练损失；色带：各种子的最小值到最大值）：</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="336"/>
        <source>Not drawn, no curves yet: {names}.</source>
        <translation>未绘制，尚无曲线：{names}。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="339"/>
        <source>Not drawn: {names} (at most {n} runs are overlaid; select fewer).</source>
        <translation>未绘制：{names}（最多叠加 {n} 次训练；请少选一些）。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="382"/>
        <source>ends at {n:,}</source>
        <translation>止于 {n:,}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="397"/>
        <source>Validation error per epoch</source>
        <translation>每轮验证误差</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="398"/>
        <source>validation MSE</source>
        <translation>验证 MSE</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="399"/>
        <source>validation MAE</source>
        <translation>验证 MAE</translation>
    </message>
</context>
<context>
    <name>PredictDialog</name>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="49"/>
        <location filename="../../gui/dialogs/predict_dialog.py" line="52"/>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="56"/>
        <source>Drop image or CSV files here</source>
        <translation>将图像或 CSV 文件拖放到这里</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="59"/>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="61"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="67"/>
        <source>Explain…</source>
        <translation>解释…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="69"/>
        <source>Why the model predicts what it does: Grad-CAM, integrated gradients</source>
        <translation>模型为何做出这样的预测：Grad-CAM、积分梯度</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="78"/>
        <source>Inputs (drop files):</source>
        <translation>输入（拖放文件）：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="80"/>
        <source>Top-k:</source>
        <translation>Top-k：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="90"/>
        <source>Input / class</source>
        <translation>输入 / 类别</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="90"/>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="94"/>
        <source>Save as CSV…</source>
        <translation>另存为 CSV…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="148"/>
        <source>Choose inputs</source>
        <translation>选择输入</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="178"/>
        <source>opening the model</source>
        <translation>正在打开模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="179"/>
        <source>predicting {count} input(s)</source>
        <translation>正在预测 {count} 个输入</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="203"/>
        <source>{path}
The model saw it as {width}x{height}</source>
        <translation>{path}
模型看到的尺寸为 {width}x{height}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="208"/>
        <source>error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="212"/>
        <source>Warning: {message}</source>
        <translation>警告：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="221"/>
        <source>{name} ({probability:.1%})</source>
        <translation>{name}（{probability:.1%}）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="230"/>
        <source>{count} of {total} input(s) differ from the training data (size or colour): their answers may be unreliable. See the warnings below.</source>
        <translation>{total} 个输入中有 {count} 个与训练数据不同（尺寸或颜色）：它们的结果可能不可靠。请查看下方的警告。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="253"/>
        <source>Save predictions</source>
        <translation>保存预测结果</translation>
    </message>
</context>
<context>
    <name>ProblemBanner</name>
    <message>
        <location filename="../../gui/problem_banner.py" line="53"/>
        <source> (and {n} more: point here to read them)</source>
        <translation>（另有 {n} 条：指向此处查看）</translation>
    </message>
</context>
<context>
    <name>QuantizeDialog</name>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="42"/>
        <source>Quantize model</source>
        <translation>量化模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="44"/>
        <source>Compare methods</source>
        <translation>比较方法</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="46"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="47"/>
        <source>Size MB</source>
        <translation>大小 MB</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="49"/>
        <source>Batch 1 ms</source>
        <translation>批 1 ms</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="50"/>
        <source>Batch 32 ms</source>
        <translation>批 32 ms</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="48"/>
        <source>Size vs fp32</source>
        <translation>大小（相对 fp32）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="51"/>
        <source>Speed vs fp32 (batch 32)</source>
        <translation>速度（相对 fp32，批大小 32）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="52"/>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="53"/>
        <source>Δ vs fp32</source>
        <translation>相对 fp32 的变化</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="54"/>
        <source>Max diff</source>
        <translation>最大差异</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="55"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="72"/>
        <source>Select a row to read its whole note.</source>
        <translation>选择一行以阅读其完整说明。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="79"/>
        <source>Save selected…</source>
        <translation>保存所选…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="91"/>
        <source>loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="106"/>
        <source>{ratio:.2f}x ({times:.2f}x {worse})</source>
        <translation>{ratio:.2f}x（{worse} {times:.2f} 倍）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="110"/>
        <source>{ratio:.2f}x ({better})</source>
        <translation>{ratio:.2f}x（{better}）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="111"/>
        <source>{ratio:.2f}x (same)</source>
        <translation>{ratio:.2f}x（相同）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="117"/>
        <source>; </source>
        <comment>between the parts of a note</comment>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="126"/>
        <source>smaller</source>
        <translation>更小</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="126"/>
        <source>larger</source>
        <translation>更大</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="127"/>
        <source>faster</source>
        <translation>更快</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="127"/>
        <source>slower</source>
        <translation>更慢</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="130"/>
        <source>the baseline of the methods below ({runtime})</source>
        <translation>以下各方法的基准（{runtime}）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="132"/>
        <source>latency: median of the fp32 runs timed next to each method</source>
        <translation>延迟：与每种方法交替计时的 fp32 运行的中位数</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="180"/>
        <source>{method}: {note}</source>
        <translation>{method}：{note}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="192"/>
        <source>Save quantized model</source>
        <translation>保存量化模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="200"/>
        <source>Saved {method} to {path}</source>
        <translation>已将 {method} 保存到 {path}</translation>
    </message>
</context>
<context>
    <name>RunBar</name>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="28"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="30"/>
        <location filename="../../gui/panels/run_bar.py" line="95"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="32"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="38"/>
        <source>Start training (F5)</source>
        <translation>开始训练（F5）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="39"/>
        <source>Pause or resume the run (F6)</source>
        <translation>暂停或继续训练（F6）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="40"/>
        <source>Stop after the current step and save a checkpoint (Shift+F5)</source>
        <translation>在当前步结束后停止并保存检查点（Shift+F5）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="47"/>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="48"/>
        <source>Run</source>
        <translation>全程</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="60"/>
        <source>The most memory used so far: on a GPU the device&apos;s, on the CPU this process&apos;s (RAM)</source>
        <translation>迄今为止使用的最大内存：在 GPU 上为显存，在 CPU 上为本进程占用的内存（RAM）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="87"/>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="88"/>
        <location filename="../../gui/panels/run_bar.py" line="131"/>
        <source>ETA —</source>
        <translation>剩余时间 —</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="89"/>
        <source>— samples/s</source>
        <translation>— 样本/秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="90"/>
        <source>lr —</source>
        <translation>学习率 —</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="95"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="110"/>
        <source>%p% (step %v of %m)</source>
        <translation>%p%（第 %v / %m 步）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="111"/>
        <source>epoch 1 of {n}</source>
        <translation>第 1 / {n} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="117"/>
        <source>peak memory {mb:.0f} MB</source>
        <translation>峰值显存 {mb:.0f} MB</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="120"/>
        <source>peak RAM {mb:.0f} MB</source>
        <translation>内存峰值 {mb:.0f} MB</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="130"/>
        <source>%p% — {status}</source>
        <translation>%p% — {status}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="140"/>
        <source>epoch {e} of {n}</source>
        <translation>第 {e} / {n} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="145"/>
        <source>ETA {t}</source>
        <translation>剩余时间 {t}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="147"/>
        <source>{n:,.0f} samples/s</source>
        <translation>{n:,.0f} 样本/秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="149"/>
        <source>lr {lr:.3g}</source>
        <translation>学习率 {lr:.3g}</translation>
    </message>
</context>
<context>
    <name>RunView</name>
    <message>
        <location filename="../../gui/run_view.py" line="45"/>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="46"/>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="47"/>
        <source>Misclassified</source>
        <translation>错分样本</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="48"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="49"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gui/problems.py" line="93"/>
        <source>Dataset: {message}</source>
        <translation>数据集：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/problems.py" line="105"/>
        <source>Model: {message}</source>
        <translation>模型：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="78"/>
        <source>Training stopped: the loss diverged</source>
        <translation>训练已停止：损失发散</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="89"/>
        <source>Run stopped: the loss diverged</source>
        <translation>训练已停止：损失已发散</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="79"/>
        <source>Training could not run</source>
        <translation>训练无法运行</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="81"/>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="86"/>
        <source>Run completed</source>
        <translation>训练完成</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="87"/>
        <source>Run stopped; checkpoint saved</source>
        <translation>训练已停止；检查点已保存</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="88"/>
        <source>Run stopped early: no more improvement</source>
        <translation>训练提前停止：指标不再改善</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="90"/>
        <source>Run failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="96"/>
        <source>: {metrics}</source>
        <translation>：{metrics}</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="98"/>
        <source> — {folder}</source>
        <translation> — {folder}</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="257"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="258"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="259"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="109"/>
        <source>Filter: words of the name, status or values (lr=0.01)</source>
        <translation>筛选：名称、状态或取值中的词（lr=0.01）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="111"/>
        <source>Group seeds</source>
        <translation>合并种子</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="114"/>
        <source>Selected runs that differ only in their seed are drawn as one mean curve with a min-max band</source>
        <translation>仅种子不同的所选训练绘制为一条均值曲线，并带最小-最大色带</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="130"/>
        <source>Select runs to draw their curves (dashed) next to the current run; click a header to sort</source>
        <translation>选择训练记录以在当前训练旁绘制其曲线（虚线）；点击表头排序</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="134"/>
        <source>No runs yet: finished runs appear here.</source>
        <translation>暂无运行记录：完成的训练会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="136"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="138"/>
        <source>Load config into panels</source>
        <translation>将配置载入面板</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="140"/>
        <source>Put the selected run&apos;s configuration into the panels</source>
        <translation>将所选运行的配置填入各面板</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="142"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="144"/>
        <source>Continue the selected run from its last checkpoint</source>
        <translation>从最近的检查点继续所选的训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="233"/>
        <source>The {metric} after the last epoch</source>
        <translation>最后一轮后的{metric}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="234"/>
        <source>The best {metric} of any epoch</source>
        <translation>所有轮中最佳的{metric}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="236"/>
        <source>★ The best {monitor} of the listed runs: {value:.4g}</source>
        <translation>★ 所列训练中最佳的 {monitor}：{value:.4g}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="248"/>
        <source> (best {value})</source>
        <translation>（最佳 {value}）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="260"/>
        <source>Final</source>
        <translation>最终</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="261"/>
        <source>Best</source>
        <translation>最佳</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="262"/>
        <source>Val loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="268"/>
        <source>The task&apos;s metric after the last epoch: accuracy, or the MAE of a regression</source>
        <translation>最后一轮后的任务指标：准确率，回归任务则为 MAE</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="270"/>
        <source>The best value of the task&apos;s metric over the run&apos;s epochs</source>
        <translation>训练各轮中任务指标的最佳值</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="272"/>
        <source>{key}: differs between the runs compared</source>
        <translation>{key}：所比较的训练之间取值不同</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="347"/>
        <source>{name} (mean of {n} seeds)</source>
        <translation>{name}（{n} 个种子的均值）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="253"/>
        <source>{status}, {n} epochs</source>
        <translation>{status}，{n} 轮</translation>
    </message>
</context>
<context>
    <name>SampleGallery</name>
    <message>
        <location filename="../../gui/panels/sample_gallery.py" line="99"/>
        <source>{true} → {pred}</source>
        <translation>{true} → {pred}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sample_gallery.py" line="101"/>
        <source> ({confidence:.0%})</source>
        <translation>（{confidence:.0%}）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sample_gallery.py" line="103"/>
        <source>File {name}</source>
        <translation>文件 {name}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sample_gallery.py" line="105"/>
        <source>Validation sample {index}</source>
        <translation>验证样本 {index}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sample_gallery.py" line="107"/>
        <source>{what}: true {true}, predicted {pred}</source>
        <translation>{what}：真实 {true}，预测 {pred}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sample_gallery.py" line="109"/>
        <source>, confidence {confidence:.1%}</source>
        <translation>，置信度 {confidence:.1%}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sample_gallery.py" line="118"/>
        <source>#{index}</source>
        <translation>#{index}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/sample_gallery.py" line="122"/>
        <source>The images cannot be read: {message}</source>
        <translation>无法读取图像：{message}</translation>
    </message>
</context>
<context>
    <name>SaveModelDialog</name>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="24"/>
        <source>Save model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="25"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="29"/>
        <source>Weights, safetensors (.safetensors)</source>
        <translation>权重，safetensors (.safetensors)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="30"/>
        <source>Weights, PyTorch state_dict (.pth)</source>
        <translation>权重，PyTorch state_dict (.pth)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="31"/>
        <source>Training checkpoint, resumable (.ckpt)</source>
        <translation>训练检查点，可恢复 (.ckpt)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="32"/>
        <source>TorchScript (.pt)</source>
        <translation>TorchScript (.pt)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="33"/>
        <source>Full pickled model (.pkl.pth)</source>
        <translation>完整 pickle 模型 (.pkl.pth)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="40"/>
        <source>default: &lt;run folder&gt;/exports/&lt;run&gt;-&lt;format&gt;-&lt;date&gt;</source>
        <translation>默认：&lt;运行文件夹&gt;/exports/&lt;运行&gt;-&lt;格式&gt;-&lt;日期&gt;</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="42"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="44"/>
        <source>Output file:</source>
        <translation>输出文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="46"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="55"/>
        <source>Open containing folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="58"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="59"/>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="60"/>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="69"/>
        <source>Warning: loading a pickled model runs code from the file; load it only from trusted sources, and share .safetensors weights instead.</source>
        <translation>警告：加载 pickle 模型会执行文件中的代码；只从可信来源加载，分享时请改用 .safetensors 权重。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="72"/>
        <source>Needs a training checkpoint as the source (a run&apos;s checkpoints/last.ckpt).</source>
        <translation>需要以训练检查点为来源（运行文件夹中的 checkpoints/last.ckpt）。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="80"/>
        <source>loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="80"/>
        <source>writing {format}</source>
        <translation>正在写入 {format}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="96"/>
        <source>{mb:.3f} MB ({bytes} bytes)</source>
        <translation>{mb:.3f} MB（{bytes} 字节）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="98"/>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>SweepDialog</name>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="121"/>
        <source>Sweep</source>
        <translation>超参数搜索</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="138"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="138"/>
        <source>Range</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="138"/>
        <source>Low</source>
        <translation>下限</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="138"/>
        <source>High</source>
        <translation>上限</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="138"/>
        <source>Choices</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="148"/>
        <source>Finished (completed or pruned) trials the study should hold</source>
        <translation>研究应包含的已结束（完成或剪枝）试验数</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="157"/>
        <source>The study&apos;s journal and one run folder per trial; a folder that holds a study continues it</source>
        <translation>研究的日志和每个试验一个运行文件夹；已包含研究的文件夹会继续该研究</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="159"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="165"/>
        <source>Trials:</source>
        <translation>试验数：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="168"/>
        <source>Study:</source>
        <translation>研究：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="173"/>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="188"/>
        <source>trial</source>
        <translation>试验</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="194"/>
        <source>importance (fANOVA)</source>
        <translation>重要性（fANOVA）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="199"/>
        <source>Shown once two trials have completed</source>
        <translation>至少两个试验完成后显示</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="202"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="203"/>
        <source>Importance</source>
        <translation>重要性</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="219"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="222"/>
        <source>Tick the options to search, then Start.</source>
        <translation>勾选要搜索的选项，然后点击“开始”。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="219"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="219"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="225"/>
        <source>Stop after the current step; the running trial is queued again</source>
        <translation>在当前步结束后停止；正在运行的试验将重新排队</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="228"/>
        <source>Open as run</source>
        <translation>作为训练打开</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="231"/>
        <source>Load the selected trial&apos;s configuration, curves and model</source>
        <translation>加载所选试验的配置、曲线和模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="262"/>
        <source>choices</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="316"/>
        <source>Sweep folder</source>
        <translation>超参数搜索文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="326"/>
        <source>Tick at least one option to search.</source>
        <translation>请至少勾选一个要搜索的选项。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="338"/>
        <source>Starting the sweep…</source>
        <translation>正在开始超参数搜索…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="370"/>
        <source>Trial {n} running…</source>
        <translation>试验 {n} 运行中…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="384"/>
        <source>Best: trial {n}, {monitor} {value:.4g}. Double-click a trial to open it as a run.</source>
        <translation>最佳：试验 {n}，{monitor} {value:.4g}。双击试验可将其作为训练打开。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="388"/>
        <source>No trial has completed yet.</source>
        <translation>尚无试验完成。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="390"/>
        <source>Stopped: Start again with the same folder and study to continue.</source>
        <translation>已停止：使用相同的文件夹和研究再次点击“开始”即可继续。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="396"/>
        <source>The sweep could not run</source>
        <translation>超参数搜索无法运行</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="402"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="402"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="409"/>
        <source>complete</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="410"/>
        <source>pruned</source>
        <translation>已剪枝</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="411"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="412"/>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="413"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="442"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="452"/>
        <source>best so far</source>
        <translation>迄今最佳</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/sweep_dialog.py" line="457"/>
        <source>pruned (last epoch)</source>
        <translation>已剪枝（最后一轮）</translation>
    </message>
</context>
<context>
    <name>TaskControls</name>
    <message>
        <location filename="../../gui/dialogs/task_controls.py" line="36"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/task_controls.py" line="45"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/task_controls.py" line="48"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/task_controls.py" line="74"/>
        <source>Failed: see the message.</source>
        <translation>失败：请查看消息。</translation>
    </message>
</context>
<context>
    <name>TrainPanel</name>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="26"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="40"/>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="41"/>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="42"/>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="43"/>
        <source>validation MAE (regression)</source>
        <translation>验证 MAE（回归）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="44"/>
        <source>validation MSE (regression)</source>
        <translation>验证 MSE（回归）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="46"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="46"/>
        <source>lower is better</source>
        <translation>越低越好</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="46"/>
        <source>higher is better</source>
        <translation>越高越好</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="59"/>
        <source>Install the tensorboard package to write TensorBoard logs</source>
        <translation>安装 tensorboard 包后才能写入 TensorBoard 日志</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <location filename="../../gui/training_worker.py" line="98"/>
        <source>The loss became NaN or infinite or exploded; training stopped.</source>
        <translation>损失变为 NaN 或无穷大，或急剧增大；训练已停止。</translation>
    </message>
</context>
<context>
    <name>UnusualValuesDialog</name>
    <message>
        <location filename="../../gui/dialogs/unusual_values_dialog.py" line="28"/>
        <source>Unusual values</source>
        <translation>不常见的取值</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/unusual_values_dialog.py" line="30"/>
        <source>Start anyway</source>
        <translation>仍然开始</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/unusual_values_dialog.py" line="33"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/unusual_values_dialog.py" line="45"/>
        <source>Some values are far outside their usual range. Start anyway?</source>
        <translation>部分取值远远超出常用范围。仍要开始训练吗？</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/unusual_values_dialog.py" line="47"/>
        <source>{label} ({key}) = {value:g}: usually {low:g} to {high:g}</source>
        <translation>{label}（{key}）= {value:g}：通常为 {low:g} 到 {high:g}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/unusual_values_dialog.py" line="53"/>
        <source>They are allowed; a learning rate far too high makes a run diverge.</source>
        <translation>这些值是允许的；但学习率过高会使训练发散。</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../gui/menus.py" line="272"/>
        <location filename="../../gui/menus.py" line="281"/>
        <source>Loading PyTorch…</source>
        <translation>正在加载 PyTorch…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="274"/>
        <source>No model yet: train one, or use File &gt; Load weights/checkpoint…</source>
        <translation>尚无模型：请先训练，或使用“文件 &gt; 加载权重/检查点…”</translation>
    </message>
    <message>
        <location filename="../../gui/drop.py" line="81"/>
        <source>Cannot use this drop</source>
        <translation>无法使用拖放的内容</translation>
    </message>
    <message>
        <location filename="../../gui/show_code.py" line="25"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../gui/show_code.py" line="46"/>
        <source>Export as Python script</source>
        <translation>导出为 Python 脚本</translation>
    </message>
    <message>
        <location filename="../../gui/show_code.py" line="52"/>
        <source>Python script (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <location filename="../../gui/show_code.py" line="60"/>
        <source>Script written to {path}</source>
        <translation>脚本已写入 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/show_code.py" line="85"/>
        <source>Learning rate set to {lr}</source>
        <translation>学习率已设为 {lr}</translation>
    </message>
</context>
</TS>
