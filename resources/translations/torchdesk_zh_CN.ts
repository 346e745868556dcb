<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../gui/menus.py" line="35"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="40"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="43"/>
        <source>Start again from the default configuration</source>
        <translation>从默认配置重新开始</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="49"/>
        <source>&amp;Open config…</source>
        <translation>打开配置(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="52"/>
        <source>Load a run configuration (TOML)</source>
        <translation>加载训练配置（TOML）</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="55"/>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="60"/>
        <source>&amp;Save config as…</source>
        <translation>配置另存为(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="63"/>
        <source>Write the current configuration to a TOML file</source>
        <translation>将当前配置写入 TOML 文件</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="70"/>
        <source>&amp;Load weights/checkpoint…</source>
        <translation>加载权重/检查点(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="71"/>
        <source>Load a weights or checkpoint file (into the current model)</source>
        <translation>加载权重或检查点文件（载入当前模型）</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="73"/>
        <source>Save &amp;model…</source>
        <translation>保存模型(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="73"/>
        <source>Save the current model as weights, a checkpoint, TorchScript…</source>
        <translation>将当前模型保存为权重、检查点、TorchScript…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="74"/>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="74"/>
        <source>Export the current model to ONNX, TorchScript or .pt2</source>
        <translation>将当前模型导出为 ONNX、TorchScript 或 .pt2</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="75"/>
        <source>&amp;Quantize…</source>
        <translation>量化(&amp;Q)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="75"/>
        <source>Compare quantization methods and save one</source>
        <translation>比较量化方法并保存其中之一</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="79"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="91"/>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="96"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="98"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="98"/>
        <source>Start training with the current configuration</source>
        <translation>用当前配置开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="100"/>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="100"/>
        <source>Pause or resume the run</source>
        <translation>暂停或继续训练</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="104"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="107"/>
        <source>Stop the run after the current step and save a checkpoint</source>
        <translation>在当前步结束后停止训练并保存检查点</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="114"/>
        <source>&amp;Resume from checkpoint…</source>
        <translation>从检查点恢复(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="117"/>
        <source>Continue a saved run up to the number of epochs in the Training panel</source>
        <translation>继续已保存的训练，直到“训练”面板中设定的轮数</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="121"/>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="126"/>
        <source>&amp;Evaluate…</source>
        <translation>评估(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="127"/>
        <source>Metrics, confusion matrix, ROC/PR curves and robustness of the current model</source>
        <translation>当前模型的指标、混淆矩阵、ROC/PR 曲线与鲁棒性</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="129"/>
        <source>&amp;Predict…</source>
        <translation>预测(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="129"/>
        <source>Top-k classes for images or CSV rows</source>
        <translation>图像或 CSV 行的 Top-k 类别</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="133"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="135"/>
        <source>&amp;Events log</source>
        <translation>事件日志(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="140"/>
        <source>R&amp;uns</source>
        <translation>运行记录(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="143"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="146"/>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="146"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="146"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="154"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="158"/>
        <source>&amp;System default</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="174"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="175"/>
        <source>The new language is used the next time TorchDesk starts.</source>
        <translation>新的语言将在下次启动 TorchDesk 时生效。</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="178"/>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="180"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="181"/>
        <source>&amp;About TorchDesk</source>
        <translation>关于 TorchDesk(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="185"/>
        <source>&amp;Copy diagnostics</source>
        <translation>复制诊断信息(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="188"/>
        <source>Copy versions and devices to the clipboard for a bug report</source>
        <translation>将版本和设备信息复制到剪贴板，用于报告问题</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="204"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="204"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="210"/>
        <source>Loading PyTorch…</source>
        <translation>正在加载 PyTorch…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="210"/>
        <source>Start training (F5)</source>
        <translation>开始训练（F5）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="56"/>
        <source>Column to predict; empty: the last column</source>
        <translation>要预测的列；留空：最后一列</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="56"/>
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="61"/>
        <source>auto: classification for text or few integer values, else regression</source>
        <translation>自动：文本或少量整数值为分类，否则为回归</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="63"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="69"/>
        <source>Fetch the files into the folder first (needs a network)</source>
        <translation>先将文件下载到该文件夹（需要网络）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="70"/>
        <source>Download if missing</source>
        <translation>缺失时下载</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="76"/>
        <source>Fraction of the samples held out for validation</source>
        <translation>留作验证的样本比例</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="79"/>
        <source>Validation split</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="81"/>
        <source>Samples per training step</source>
        <translation>每个训练步的样本数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="81"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="86"/>
        <source>Draw every class equally often (for imbalanced classes)</source>
        <translation>各类别以相同频率抽样（用于类别不平衡）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="87"/>
        <source>Balanced sampling</source>
        <translation>均衡采样</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="93"/>
        <source>Skip the last, smaller batch of each epoch</source>
        <translation>跳过每轮最后一个不完整的批</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="94"/>
        <source>Drop the last partial batch</source>
        <translation>丢弃最后不完整的批</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="100"/>
        <source>Resize images to this many pixels square</source>
        <translation>将图像缩放为该边长的正方形（像素）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="103"/>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="104"/>
        <source>keep</source>
        <translation>保持原样</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="110"/>
        <source>Random changes to training images</source>
        <translation>对训练图像的随机变换</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="112"/>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="118"/>
        <source>Custom augmentation, comma separated, e.g. hflip, rotation:15</source>
        <translation>自定义数据增强，逗号分隔，例如 hflip, rotation:15</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="119"/>
        <source>Transforms</source>
        <translation>变换</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="125"/>
        <source>Per-channel normalisation of the images</source>
        <translation>图像的逐通道归一化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="127"/>
        <source>Normalisation</source>
        <translation>归一化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="133"/>
        <source>auto: decode into memory when it fits; off: stream from disk</source>
        <translation>自动：内存够用时解码到内存；关闭：从磁盘流式读取</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="135"/>
        <source>Cache</source>
        <translation>缓存</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="141"/>
        <source>Processes decoding images when streaming</source>
        <translation>流式读取时解码图像的进程数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="144"/>
        <source>Loader workers</source>
        <translation>加载进程数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="150"/>
        <source>Page-locked batches for faster copies to a GPU</source>
        <translation>锁页内存，加快向 GPU 复制</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="151"/>
        <source>Pin memory</source>
        <translation>锁页内存</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="157"/>
        <source>Keep loader processes alive between epochs</source>
        <translation>在轮次之间保留加载进程</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="158"/>
        <source>Persistent workers</source>
        <translation>常驻加载进程</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../gui/dialogs/about_dialog.py" line="42"/>
        <source>About TorchDesk</source>
        <translation>关于 TorchDesk</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/about_dialog.py" line="44"/>
        <source>&lt;h2&gt;TorchDesk&lt;/h2&gt;&lt;p&gt;Train PyTorch models from a desktop window.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;TorchDesk&lt;/h2&gt;&lt;p&gt;在桌面窗口中训练 PyTorch 模型。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/about_dialog.py" line="49"/>
        <source>Copy diagnostics</source>
        <translation>复制诊断信息</translation>
    </message>
</context>
<context>
    <name>ArtifactDialog</name>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="129"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="137"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="146"/>
        <source>Run</source>
        <translation>全程</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="149"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="169"/>
        <source>No model yet: choose a checkpoint or weights file.</source>
        <translation>尚无模型：请选择检查点或权重文件。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="175"/>
        <location filename="../../gui/dialogs/artifact_base.py" line="272"/>
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="208"/>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="216"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="232"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="243"/>
        <source>Failed: see the message.</source>
        <translation>失败：请查看消息。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="247"/>
        <source> — problem</source>
        <translation> — 出现问题</translation>
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
        <location filename="../../build/backend_strings.py" line="48"/>
        <source>Your own list in data.transforms; available: hflip, vflip, rotation, affine, random_resized_crop, color_jitter, gaussian_noise, center_crop</source>
        <translation>在 data.transforms 中自定义变换列表；可用：hflip, vflip, rotation, affine, random_resized_crop, color_jitter, gaussian_noise, center_crop</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="49"/>
        <source>the training loss became {loss} at epoch {epoch}, batch {batch}; training stopped. {hint}</source>
        <translation>训练损失在第 {epoch} 轮第 {batch} 个批次变为 {loss}；训练已停止。{hint}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="50"/>
        <source>the last good checkpoint is {checkpoint} (untouched); resume from it with a lower optim.lr</source>
        <translation>最后一个正常的检查点是 {checkpoint}（未被改动）；请调低 optim.lr 后从它继续训练</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="51"/>
        <source>no checkpoint was written before it; lower optim.lr or enable train.clip_grad_norm</source>
        <translation>此前没有保存任何检查点；请调低 optim.lr 或启用 train.clip_grad_norm</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="52"/>
        <source>{monitor} did not improve by more than {min_delta} for {patience} epoch(s)</source>
        <translation>{monitor} 连续 {patience} 轮的改善都没有超过 {min_delta}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="53"/>
        <source>model.weights: {report}</source>
        <translation>model.weights：{report}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="54"/>
        <source>TensorBoard could not trace the model graph: {error}</source>
        <translation>TensorBoard 无法追踪模型的计算图：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="55"/>
        <source>loaded {loaded} of the model&apos;s tensors from {path}</source>
        <translation>已从 {path} 载入模型的 {loaded} 个张量</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="56"/>
        <source>; adapted {key} ({reason})</source>
        <translation>；已调整 {key}（{reason}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="57"/>
        <source>; skipped {key} ({reason})</source>
        <translation>；已跳过 {key}（{reason}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="58"/>
        <source>, {key} ({reason})</source>
        <translation>，{key}（{reason}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="59"/>
        <source>; kept at initialisation: {keys}</source>
        <translation>；保持初始值：{keys}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="60"/>
        <source> and {count} more</source>
        <translation>，另有 {count} 个</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="61"/>
        <source>not in this model</source>
        <translation>本模型中没有</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="62"/>
        <source>{file_channels} input channels in the file, {model_channels} in the model: {how}</source>
        <translation>文件中为 {file_channels} 个输入通道，模型中为 {model_channels} 个：{how}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="63"/>
        <source>RGB filters averaged (x3)</source>
        <translation>RGB 卷积核取平均（x3）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="64"/>
        <source>filters cycled and rescaled</source>
        <translation>卷积核循环复用并重新缩放</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="65"/>
        <source>position embedding resized from {file_tokens} to {model_tokens} tokens</source>
        <translation>位置嵌入从 {file_tokens} 个 token 调整为 {model_tokens} 个</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="66"/>
        <source>shape {file_shape} in the file, {model_shape} in the model</source>
        <translation>文件中形状为 {file_shape}，模型中为 {model_shape}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="67"/>
        <source>; the new head keeps its initialisation</source>
        <translation>；新的分类头保持初始值</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="68"/>
        <source>{count} row(s) with no value in target column {column!r} were dropped</source>
        <translation>目标列 {column!r} 中没有值的 {count} 行已被丢弃</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="69"/>
        <source>column {column!r} is empty and was ignored</source>
        <translation>列 {column!r} 为空，已忽略</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="70"/>
        <source>column {column!r}: {count} missing value(s) filled with the training mean {fill:.4g}</source>
        <translation>列 {column!r}：{count} 个缺失值已用训练集均值 {fill:.4g} 填充</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="71"/>
        <source>column {column!r}: {count} missing value(s) encoded as all-zero one-hot</source>
        <translation>列 {column!r}：{count} 个缺失值编码为全零的 one-hot 向量</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="72"/>
        <source>{count} unreadable or corrupt image file(s) under {root} were skipped</source>
        <translation>已跳过 {root} 下 {count} 个无法读取或已损坏的图像文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="73"/>
        <source>{count} unreadable image file(s) under {root} were skipped</source>
        <translation>已跳过 {root} 下 {count} 个无法读取的图像文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="74"/>
        <source>image data: {reason}</source>
        <translation>图像数据：{reason}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="75"/>
        <source>{mib:.0f} MiB as uint8</source>
        <translation>以 uint8 存储共 {mib:.0f} MiB</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="76"/>
        <source>data.cache = &apos;off&apos;: images are decoded from disk every epoch ({size})</source>
        <translation>data.cache = &apos;off&apos;：每轮都从磁盘解码图像（{size}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="77"/>
        <source>data.cache = &apos;memory&apos;: decoded once into {size}</source>
        <translation>data.cache = &apos;memory&apos;：只解码一次，{size}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="78"/>
        <source>decoded once into memory ({size}, fits in {where})</source>
        <translation>只解码一次并放入内存（{size}，{where}放得下）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="79"/>
        <source>streamed from disk: the decoded dataset ({size}) would not fit in {where}</source>
        <translation>从磁盘流式读取：解码后的数据集（{size}）{where}放不下</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="80"/>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="81"/>
        <source>GPU memory</source>
        <translation>显存</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="82"/>
        <source>{title} (torchvision, {params:.1f}M parameters, {gflops:.2f} GFLOPs at ImageNet size)</source>
        <translation>{title}（torchvision，{params:.1f}M 参数，ImageNet 尺寸下 {gflops:.2f} GFLOPs）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="83"/>
        <source>{title} (torchvision)</source>
        <translation>{title}（torchvision）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="84"/>
        <source>, from &apos;{paper}&apos;</source>
        <translation>，出自论文“{paper}”</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="85"/>
        <source>. Random weights, or a local weights file.</source>
        <translation>。随机初始化权重，或加载本地权重文件。</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="86"/>
        <source>. Random weights, or a local weights file; images smaller than {size}x{size} are enlarged inside the model.</source>
        <translation>。随机初始化权重，或加载本地权重文件；小于 {size}x{size} 的图像会在模型内部放大。</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="87"/>
        <source>torch.compile is not available in the packaged app: it needs the Python sources and a C++ compiler at run time</source>
        <translation>打包版应用中无法使用 torch.compile：它在运行时需要 Python 源代码和 C++ 编译器</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="88"/>
        <source>torch.compile does not support Python {version} yet</source>
        <translation>torch.compile 尚不支持 Python {version}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="89"/>
        <source>torch.compile cannot be imported here: {error}</source>
        <translation>此处无法导入 torch.compile：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="90"/>
        <source>torch.compile needs a C++ compiler (gcc, clang or MSVC) on the PATH, and none was found</source>
        <translation>torch.compile 需要 PATH 中有 C++ 编译器（gcc、clang 或 MSVC），但没有找到</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="91"/>
        <source>reading the test set</source>
        <translation>正在读取测试集</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="92"/>
        <source>evaluating on the {split} split</source>
        <translation>正在 {split} 数据上评估</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="93"/>
        <source>computing metrics</source>
        <translation>正在计算指标</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="94"/>
        <source>loading a validation batch</source>
        <translation>正在加载一个验证集批次</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="95"/>
        <source>exporting to ONNX</source>
        <translation>正在导出为 ONNX</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="96"/>
        <source>writing the file</source>
        <translation>正在写入文件</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="97"/>
        <source>checking the model</source>
        <translation>正在检查模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="98"/>
        <source>parity in ONNX Runtime</source>
        <translation>正在 ONNX Runtime 中核对输出一致性</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="99"/>
        <source>TorchScript {method}</source>
        <translation>正在用 TorchScript {method} 转换模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="100"/>
        <source>reloading with torch.jit.load</source>
        <translation>正在用 torch.jit.load 重新加载</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="101"/>
        <source>torch.export</source>
        <translation>正在用 torch.export 捕获模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="102"/>
        <source>reloading with torch.export.load</source>
        <translation>正在用 torch.export.load 重新加载</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="103"/>
        <source>preparing the fp32 reference</source>
        <translation>正在准备 fp32 参考结果</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="104"/>
        <source>{method}: building</source>
        <translation>{method}：正在构建</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="105"/>
        <source>{method}: measuring</source>
        <translation>{method}：正在测量</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="106"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="107"/>
        <source>{count} validation samples</source>
        <translation>{count} 个验证集样本</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="108"/>
        <source>{count} random inputs (the validation data could not be loaded: {error})</source>
        <translation>{count} 个随机输入（无法加载验证集数据：{error}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="109"/>
        <source>dynamic int8 (Linear/LSTM/GRU weights)</source>
        <translation>动态 int8（Linear/LSTM/GRU 权重）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="110"/>
        <source>int8 weights, activations quantized on the fly; saved as TorchScript</source>
        <translation>int8 权重，激活在运行时即时量化；保存为 TorchScript</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="111"/>
        <source>static int8 (FX graph mode, calibrated)</source>
        <translation>静态 int8（FX 图模式，已校准）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="112"/>
        <source>int8 weights and activations, ranges calibrated on training batches; best for conv nets</source>
        <translation>int8 权重和激活，数值范围在训练批次上校准；最适合卷积网络</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="113"/>
        <source>fp16 weights</source>
        <translation>fp16 权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="114"/>
        <source>half-precision weights: half the size; CPU speed depends on the processor</source>
        <translation>半精度权重：大小减半；CPU 上的速度取决于处理器</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="115"/>
        <source>bf16 weights</source>
        <translation>bf16 权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="116"/>
        <source>bfloat16 weights: half the size; fast only on CPUs with bf16 instructions</source>
        <translation>bfloat16 权重：大小减半；仅在支持 bf16 指令的 CPU 上较快</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="117"/>
        <source>ONNX Runtime dynamic int8</source>
        <translation>ONNX Runtime 动态 int8</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="118"/>
        <source>exported to ONNX, pre-processed (quant_pre_process), int8 MatMul/Gemm weights</source>
        <translation>导出为 ONNX 并预处理（quant_pre_process），MatMul/Gemm 权重为 int8</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="119"/>
        <source>ONNX Runtime static int8 (QDQ)</source>
        <translation>ONNX Runtime 静态 int8（QDQ）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="120"/>
        <source>exported to ONNX, QDQ int8 weights and activations calibrated on training batches</source>
        <translation>导出为 ONNX，QDQ int8 权重和激活，在训练批次上校准</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="121"/>
        <source>{name} is a {format} archive; quantize from the checkpoint or weights file</source>
        <translation>{name} 是 {format} 归档文件；请从检查点或权重文件进行量化</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="122"/>
        <source>needs the run&apos;s training data for calibration, and this file does not name its dataset</source>
        <translation>校准需要该运行的训练数据，而此文件没有注明其数据集</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="123"/>
        <source>the model has no Linear, LSTM or GRU layer, the only layers dynamic int8 quantizes</source>
        <translation>模型中没有 Linear、LSTM 或 GRU 层，而动态 int8 只量化这些层</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="124"/>
        <source>the model has no convolution or Linear layer to quantize</source>
        <translation>模型中没有可量化的卷积层或 Linear 层</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="125"/>
        <source>torch.ao.quantization is not part of PyTorch {version}</source>
        <translation>PyTorch {version} 不包含 torch.ao.quantization</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="126"/>
        <source>this PyTorch build has no quantized CPU engine (fbgemm/x86/qnnpack)</source>
        <translation>此 PyTorch 构建没有量化 CPU 引擎（fbgemm/x86/qnnpack）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="127"/>
        <source>torch.ao FX quantization is gone from this PyTorch; its successor (PT2E in torchao) is not wired in TorchDesk yet</source>
        <translation>此版本的 PyTorch 已移除 torch.ao FX 量化；其后继方案（torchao 中的 PT2E）尚未接入 TorchDesk</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="128"/>
        <source>torch.ao FX quantization is gone from this PyTorch and torchao (PT2E) is not installed</source>
        <translation>此版本的 PyTorch 已移除 torch.ao FX 量化，且未安装 torchao（PT2E）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="129"/>
        <source>needs the {packages} package(s), which are not installed</source>
        <translation>需要 {packages} 包，但尚未安装</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="130"/>
        <source>this onnxruntime has no quantization tools</source>
        <translation>此 onnxruntime 没有量化工具</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="131"/>
        <source>failed on this model: {error}</source>
        <translation>在此模型上失败：{error}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="132"/>
        <source>calibrated on {count} training samples ({engine} engine)</source>
        <translation>在 {count} 个训练样本上校准（{engine} 引擎）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="133"/>
        <source>latency and accuracy measured computing in {dtype}; loading the file in TorchDesk gives a float32 model with these rounded weights</source>
        <translation>延迟和准确率以 {dtype} 计算测得；在 TorchDesk 中加载该文件会得到使用这些舍入权重的 float32 模型</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="134"/>
        <source>latency inputs: {inputs}; {threads} CPU thread(s)</source>
        <translation>延迟测量输入：{inputs}；{threads} 个 CPU 线程</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="135"/>
        <source>accuracy on the first {count} validation samples</source>
        <translation>准确率基于前 {count} 个验证集样本</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="136"/>
        <source>torchao is not installed: its int8 paths (fast only with torch.compile) are not offered</source>
        <translation>未安装 torchao：不提供其 int8 方案（仅在使用 torch.compile 时才快）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="137"/>
        <source>the torch.export-based exporter failed ({error}); used the TorchScript-based one</source>
        <translation>基于 torch.export 的导出器失败（{error}）；已改用基于 TorchScript 的导出器</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="138"/>
        <source>the torch.export-based exporter could not produce opset {opset} (it wrote {written}); tried the TorchScript-based exporter for opset {opset}</source>
        <translation>基于 torch.export 的导出器无法生成 opset {opset}（它写出的是 {written}）；已尝试用基于 TorchScript 的导出器生成 opset {opset}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="139"/>
        <source>the TorchScript-based exporter failed too ({error}); the file uses opset {opset}</source>
        <translation>基于 TorchScript 的导出器也失败了（{error}）；文件使用 opset {opset}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="140"/>
        <source>the weights pass 2 GB, so ONNX keeps them in a second file {name}: copy both files together, the .onnx file alone does not work</source>
        <translation>权重超过 2 GB，因此 ONNX 把它们存放在第二个文件 {name} 中：请将两个文件一起复制，单独的 .onnx 文件无法使用</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="141"/>
        <source>the exported model failed on a batch of 1 ({error}); it only takes batches of {size}</source>
        <translation>导出的模型在批大小为 1 时失败（{error}）；它只接受批大小为 {size} 的输入</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="142"/>
        <source>traced: Python control flow that depends on the input values is frozen at the traced path</source>
        <translation>已追踪（trace）：依赖输入值的 Python 控制流被固定为追踪时经过的路径</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="143"/>
        <source>a dynamic batch axis could not be exported ({error}); the program takes batches of {size} only</source>
        <translation>无法导出动态批大小维度（{error}）；该程序只接受批大小为 {size} 的输入</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="144"/>
        <source>a pickled full model runs code from the file when it is loaded: load it only from trusted sources, and share .safetensors weights instead</source>
        <translation>加载 pickle 完整模型时会运行文件中的代码：只从可信来源加载，分享时请改用 .safetensors 权重</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="145"/>
        <source>the reloaded TorchScript model differs from the original by {diff:.3g}</source>
        <translation>重新加载的 TorchScript 模型与原模型相差 {diff:.3g}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="146"/>
        <source>{count} tensor(s) fit</source>
        <translation>{count} 个张量匹配</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="147"/>
        <source>; {count} missing from the file (e.g. {keys})</source>
        <translation>；{count} 个在文件中缺失（例如 {keys}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="148"/>
        <source>; {count} unexpected (e.g. {keys})</source>
        <translation>；{count} 个为多余张量（例如 {keys}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="149"/>
        <source>; {count} with another shape (e.g. {key}: {file_shape} in the file, {model_shape} in the model)</source>
        <translation>；{count} 个形状不同（例如 {key}：文件中为 {file_shape}，模型中为 {model_shape}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="150"/>
        <source>{split} split, {samples} samples: accuracy {accuracy:.2%}, macro F1 {macro_f1:.4f}, weighted F1 {weighted_f1:.4f}</source>
        <translation>{split} 数据，{samples} 个样本：准确率 {accuracy:.2%}，宏平均 F1 {macro_f1:.4f}，加权 F1 {weighted_f1:.4f}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="151"/>
        <source>{split} split, {samples} samples: MSE {mse:.4g}, MAE {mae:.4g}, R^2 {r2:.4f}</source>
        <translation>{split} 数据，{samples} 个样本：MSE {mse:.4g}，MAE {mae:.4g}，R^2 {r2:.4f}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="152"/>
        <source>accuracy under {attack} ({parameter} {value}): {accuracy:.2%} ({change:+.2%})</source>
        <translation>{attack} 下的准确率（{parameter} {value}）：{accuracy:.2%}（{change:+.2%}）</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="153"/>
        <source>MSE under {attack} ({parameter} {value}): {mse:.4g}</source>
        <translation>{attack} 下的 MSE（{parameter} {value}）：{mse:.4g}</translation>
    </message>
    <message>
        <location filename="../../build/backend_strings.py" line="154"/>
        <source>accuracy under {attack} ({parameter} {value})</source>
        <translation>{attack} 下的准确率（{parameter} {value}）</translation>
    </message>
</context>
<context>
    <name>ConfigFileActions</name>
    <message>
        <location filename="../../gui/config_files.py" line="39"/>
        <source>New configuration: built-in digits with an MLP.</source>
        <translation>新配置：内置 digits 数据集与 MLP 模型。</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="56"/>
        <source>Open config</source>
        <translation>打开配置</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="56"/>
        <location filename="../../gui/config_files.py" line="86"/>
        <source>TorchDesk configs (*.toml)</source>
        <translation>TorchDesk 配置文件 (*.toml)</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="63"/>
        <source>Cannot open the config</source>
        <translation>无法打开配置</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="70"/>
        <source>Opened config {path}</source>
        <translation>已打开配置 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="81"/>
        <source>The configuration needs a fix</source>
        <translation>配置需要修改</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="86"/>
        <source>Save config as</source>
        <translation>配置另存为</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="95"/>
        <source>Cannot save the config</source>
        <translation>无法保存配置</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="98"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="112"/>
        <source>Resume from checkpoint</source>
        <translation>从检查点恢复</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="112"/>
        <source>TorchDesk checkpoints (*.ckpt)</source>
        <translation>TorchDesk 检查点 (*.ckpt)</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="122"/>
        <source>Cannot resume</source>
        <translation>无法恢复训练</translation>
    </message>
    <message>
        <location filename="../../gui/config_files.py" line="126"/>
        <source>Resuming from {path}</source>
        <translation>正在从 {path} 恢复</translation>
    </message>
</context>
<context>
    <name>ConfusionPanel</name>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="24"/>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="25"/>
        <source>predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="33"/>
        <source>The confusion matrix appears after the first validation of a classification run.</source>
        <translation>分类训练完成第一次验证后，这里显示混淆矩阵。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/confusion_panel.py" line="115"/>
        <source>Epoch {epoch}: {correct:.0f} of {total:.0f} validation samples correct ({acc:.1f}%).</source>
        <translation>第 {epoch} 轮：{total:.0f} 个验证样本中 {correct:.0f} 个正确（{acc:.1f}%）。</translation>
    </message>
</context>
<context>
    <name>DataView</name>
    <message>
        <location filename="../../gui/panels/data_view.py" line="44"/>
        <source>The dataset summary appears here once PyTorch is loaded.</source>
        <translation>PyTorch 加载完成后，这里显示数据集概要。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="64"/>
        <source>The dataset cannot be used: {message}</source>
        <translation>无法使用该数据集：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="71"/>
        <source>{name}: {task}, {train:,} training and {val:,} validation samples, input shape {shape}</source>
        <translation>{name}：{task}，{train:,} 个训练样本和 {val:,} 个验证样本，输入形状 {shape}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="85"/>
        <source> … and {n} more</source>
        <translation> …… 另有 {n} 个</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="87"/>
        <source>{n} classes (training samples): {list}{more}</source>
        <translation>{n} 个类别（训练样本数）：{list}{more}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="90"/>
        <source>Note: {warning}</source>
        <translation>注意：{warning}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="122"/>
        <source>target</source>
        <translation>目标</translation>
    </message>
</context>
<context>
    <name>DatasetPanel</name>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="25"/>
        <location filename="../../gui/panels/dataset_panel.py" line="40"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="27"/>
        <source>Built-in (small, offline)</source>
        <translation>内置（小型，离线）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="28"/>
        <source>torchvision dataset (folder)</source>
        <translation>torchvision 数据集（文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="29"/>
        <source>Image folder (one subfolder per class)</source>
        <translation>图像文件夹（每个类别一个子文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="30"/>
        <source>CSV file (tabular)</source>
        <translation>CSV 文件（表格）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="39"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="39"/>
        <source>Where the training data comes from</source>
        <translation>训练数据的来源</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="41"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="193"/>
        <source>CSV files (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.tsv *.txt);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>DevicePanel</name>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="18"/>
        <location filename="../../gui/panels/device_panel.py" line="34"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="20"/>
        <source>bf16 or fp16 mixed precision on a GPU, fp32 on the CPU</source>
        <translation>GPU 上使用 bf16 或 fp16 混合精度，CPU 上使用 fp32</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="21"/>
        <source>Full 32-bit precision: slowest on a GPU, always correct</source>
        <translation>完整 32 位精度：在 GPU 上最慢，但总是正确</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="22"/>
        <source>Mixed precision with bfloat16: fast on recent GPUs, no loss scaling</source>
        <translation>bfloat16 混合精度：在较新的 GPU 上很快，无需损失缩放</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="23"/>
        <source>Mixed precision with float16 and loss scaling</source>
        <translation>float16 混合精度，带损失缩放</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="27"/>
        <source>auto (detecting devices…)</source>
        <translation>自动（正在检测设备…）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="30"/>
        <source>channels_last memory layout</source>
        <translation>channels_last 内存布局</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="31"/>
        <source>torch.compile the model</source>
        <translation>用 torch.compile 编译模型</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="34"/>
        <source>Where the model trains</source>
        <translation>模型在哪个设备上训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="36"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="36"/>
        <source>Numeric precision of the forward and backward passes</source>
        <translation>前向和反向传播的数值精度</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="38"/>
        <source>NHWC layout for image models; often faster on GPUs</source>
        <translation>图像模型使用 NHWC 布局；在 GPU 上通常更快</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="40"/>
        <source>Compile the model for speed; the first steps are slow while it compiles</source>
        <translation>编译模型以提速；编译期间前几步较慢</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="56"/>
        <source>auto ({name})</source>
        <translation>自动（{name}）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="58"/>
        <source>The fastest device found: CUDA, then MPS, then the CPU</source>
        <translation>使用找到的最快设备：依次为 CUDA、MPS、CPU</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="63"/>
        <source> ({mem} GiB)</source>
        <translation>（{mem} GiB）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="93"/>
        <source>{precision} is not supported on {device}</source>
        <translation>{device} 不支持 {precision}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="102"/>
        <source>{mem} GiB memory</source>
        <translation>{mem} GiB 内存</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="104"/>
        <source>{n} threads</source>
        <translation>{n} 个线程</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="105"/>
        <source>precisions: {p}</source>
        <translation>精度：{p}</translation>
    </message>
</context>
<context>
    <name>EngineWord</name>
    <message>
        <location filename="../../gui/backend_text.py" line="173"/>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="174"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="175"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="176"/>
        <source>stopped early</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="177"/>
        <source>NaN loss</source>
        <translation>损失为 NaN</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="178"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="179"/>
        <source>incomplete</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="180"/>
        <source>classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="181"/>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="182"/>
        <source>last</source>
        <comment>checkpoint kind</comment>
        <translation>最新</translation>
    </message>
    <message>
        <location filename="../../gui/backend_text.py" line="183"/>
        <source>best</source>
        <comment>checkpoint kind</comment>
        <translation>最佳</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="29"/>
        <source>TorchDesk — problem</source>
        <translation>TorchDesk — 出现问题</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="46"/>
        <location filename="../../gui/dialogs/error_dialog.py" line="93"/>
        <source>Show details</source>
        <translation>显示详情</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="49"/>
        <location filename="../../gui/dialogs/error_dialog.py" line="97"/>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="74"/>
        <source>Last checkpoint: {path}</source>
        <translation>最近的检查点：{path}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="76"/>
        <source>No checkpoint was saved in this run.</source>
        <translation>本次训练未保存检查点。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="89"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/error_dialog.py" line="93"/>
        <source>Hide details</source>
        <translation>隐藏详情</translation>
    </message>
</context>
<context>
    <name>EvaluateDialog</name>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="39"/>
        <source>Evaluate model</source>
        <translation>评估模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="41"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="44"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="45"/>
        <source>test (a separate set)</source>
        <translation>测试集（单独的数据）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="46"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="52"/>
        <source>A test set in the run&apos;s own format: a folder of class sub-folders of images, or a CSV file with the same columns (type its path). For MNIST, CIFAR and the like, leave it empty to use the official test files next to the training files.</source>
        <translation>与训练数据格式相同的测试集：按类别分子文件夹的图像文件夹，或列相同的 CSV 文件（输入其路径）。MNIST、CIFAR 等数据集留空即可，使用训练文件旁的官方测试文件。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="57"/>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="58"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="59"/>
        <source>Split:</source>
        <translation>数据划分：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="60"/>
        <source>Test set:</source>
        <translation>测试集：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="63"/>
        <source>Gaussian noise std:</source>
        <translation>高斯噪声标准差：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="64"/>
        <source>FGSM epsilon:</source>
        <translation>FGSM epsilon：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="74"/>
        <source>False positive rate</source>
        <translation>假阳性率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="74"/>
        <source>True positive rate</source>
        <translation>真阳性率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="76"/>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="76"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="78"/>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="79"/>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="80"/>
        <source>ROC curves</source>
        <translation>ROC 曲线</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="81"/>
        <source>Precision-recall</source>
        <translation>精确率-召回率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="82"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="135"/>
        <source>loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="172"/>
        <source>{split} split: {correct:.0f} of {total:.0f} samples correct ({acc:.1f}%).</source>
        <translation>{split} 数据：{total:.0f} 个样本中 {correct:.0f} 个正确（{acc:.1f}%）。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="185"/>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="186"/>
        <source>precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="187"/>
        <source>recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="188"/>
        <source>support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="189"/>
        <source>ROC AUC</source>
        <translation>ROC AUC</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="190"/>
        <source>average precision</source>
        <translation>平均精度</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="191"/>
        <source>macro avg</source>
        <translation>宏平均</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="192"/>
        <source>weighted avg</source>
        <translation>加权平均</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="193"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="194"/>
        <source>metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="195"/>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="219"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="219"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="227"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="17"/>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="18"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="22"/>
        <source>ONNX (.onnx)</source>
        <translation>ONNX (.onnx)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="23"/>
        <source>TorchScript (.pt)</source>
        <translation>TorchScript (.pt)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="24"/>
        <source>torch.export program (.pt2)</source>
        <translation>torch.export 程序 (.pt2)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="34"/>
        <source>trace</source>
        <translation>trace（跟踪）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="35"/>
        <source>script</source>
        <translation>script（脚本化）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="36"/>
        <source>Dynamic batch size</source>
        <translation>动态批大小</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="39"/>
        <source>default: &lt;run folder&gt;/exports/&lt;run&gt;-&lt;format&gt;-&lt;date&gt;</source>
        <translation>默认：&lt;运行文件夹&gt;/exports/&lt;运行&gt;-&lt;格式&gt;-&lt;日期&gt;</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="41"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="42"/>
        <source>ONNX opset:</source>
        <translation>ONNX opset：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="43"/>
        <source>TorchScript by:</source>
        <translation>TorchScript 方式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="45"/>
        <source>Output file:</source>
        <translation>输出文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="47"/>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="61"/>
        <source>Open containing folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="66"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="67"/>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="68"/>
        <source>Parity:</source>
        <translation>一致性：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="69"/>
        <source>Latency:</source>
        <translation>延迟：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="70"/>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="99"/>
        <source>{mb:.3f} MB ({bytes} bytes)</source>
        <translation>{mb:.3f} MB（{bytes} 字节）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="101"/>
        <source>OK</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="101"/>
        <source>FAILED</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="103"/>
        <source>max abs diff {diff:.3g} in {runtime} (limit {tol:g}): {verdict}</source>
        <translation>{runtime} 中最大绝对差 {diff:.3g}（上限 {tol:g}）：{verdict}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="109"/>
        <source>batch {b}: PyTorch {t:.3f} ms, {rt} {r:.3f} ms</source>
        <translation>批大小 {b}：PyTorch {t:.3f} ms，{rt} {r:.3f} ms</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="113"/>
        <source>exporter: {name}</source>
        <translation>导出器：{name}</translation>
    </message>
</context>
<context>
    <name>LoadWeightsDialog</name>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="33"/>
        <source>pickled full model</source>
        <translation>pickle 完整模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="47"/>
        <source>Load weights or checkpoint</source>
        <translation>加载权重或检查点</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="49"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="54"/>
        <source>Strict: every tensor must fit</source>
        <translation>严格：每个张量都必须匹配</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="56"/>
        <source>Partial: load the tensors that fit</source>
        <translation>部分：只加载匹配的张量</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="66"/>
        <source>Restore the whole configuration into the panels (checkpoints)</source>
        <translation>将完整配置恢复到各面板（检查点）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="68"/>
        <source>File to load:</source>
        <translation>要加载的文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="69"/>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="79"/>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="79"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="79"/>
        <source>Shape in file</source>
        <translation>文件中的形状</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="79"/>
        <source>Shape in model</source>
        <translation>模型中的形状</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="94"/>
        <source>No current model: the file&apos;s own model is loaded.</source>
        <translation>没有当前模型：将加载文件自带的模型。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="117"/>
        <source>reading the file</source>
        <translation>正在读取文件</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="117"/>
        <source>checking the configuration</source>
        <translation>正在检查配置</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="167"/>
        <source>Loading the trusted file…</source>
        <translation>正在加载受信任的文件…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="176"/>
        <source>Load a pickled model?</source>
        <translation>加载 pickle 模型？</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="178"/>
        <source>This file holds a pickled full model. Loading it runs code from the file: do this only for files from a source you trust. Load it?</source>
        <translation>该文件包含 pickle 格式的完整模型。加载它会执行文件中的代码：仅对来自可信来源的文件这样做。是否加载？</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="189"/>
        <source>Format: {name}</source>
        <translation>格式：{name}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="192"/>
        <source>Not loaded: </source>
        <translation>未加载：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="194"/>
        <source>; prefixes removed: {p}</source>
        <translation>；已移除前缀：{p}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="196"/>
        <source>Configuration not restored: {why}</source>
        <translation>配置未恢复：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="198"/>
        <source>The configuration was restored into the panels.</source>
        <translation>配置已恢复到各面板。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="202"/>
        <source>ok</source>
        <translation>匹配</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="203"/>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="204"/>
        <source>unexpected</source>
        <translation>多余</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="205"/>
        <source>shape mismatch</source>
        <translation>形状不符</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="215"/>
        <source>Not loaded: the weights do not fit (strict). Nothing changed.</source>
        <translation>未加载：权重不匹配（严格模式）。未做任何更改。</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="23"/>
        <source>Started: {epochs} epochs × {steps} steps on {device} ({precision}), {task}; run folder {run_dir}</source>
        <translation>开始训练：{epochs} 轮 × 每轮 {steps} 步，设备 {device}（{precision}），{task}；运行文件夹 {run_dir}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="35"/>
        <source>, </source>
        <comment>separator of the parts of an epoch line</comment>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="37"/>
        <source>Saved {kind} checkpoint (epoch {epoch}, step {step}): {path}</source>
        <translation>已保存{kind}检查点（第 {epoch} 轮，第 {step} 步）：{path}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="45"/>
        <source>Early stopping: {message}</source>
        <translation>提前停止：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="46"/>
        <source>Early stopping: the monitored metric stopped improving</source>
        <translation>提前停止：监控指标不再改善</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="49"/>
        <source>Warning: {message}</source>
        <translation>警告：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="50"/>
        <source>NaN loss: {message}</source>
        <translation>损失为 NaN：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="51"/>
        <source>Error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="57"/>
        <source>Finished: {status}, best {monitor} {best:.4g}</source>
        <translation>训练结束：{status}，最佳 {monitor} {best:.4g}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="60"/>
        <source>Finished: {status}</source>
        <translation>训练结束：{status}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="67"/>
        <source>Epoch {epoch}</source>
        <translation>第 {epoch} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="68"/>
        <source>train loss {loss:.4f}</source>
        <translation>训练损失 {loss:.4f}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="71"/>
        <source>val loss {loss:.4f}</source>
        <translation>验证损失 {loss:.4f}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="73"/>
        <source>val acc {acc:.2f}%</source>
        <translation>验证准确率 {acc:.2f}%</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="75"/>
        <source>val MAE {mae:.4g}</source>
        <translation>验证 MAE {mae:.4g}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="77"/>
        <source>lr {lr:.3g}</source>
        <translation>学习率 {lr:.3g}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="81"/>
        <source>{s:.1f} s</source>
        <translation>{s:.1f} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="83"/>
        <source>{ms:.0f} ms</source>
        <translation>{ms:.0f} 毫秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/log_panel.py" line="96"/>
        <source>Run events appear here.</source>
        <translation>训练事件显示在这里。</translation>
    </message>
</context>
<context>
    <name>LossPanel</name>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="19"/>
        <location filename="../../gui/panels/loss_panel.py" line="39"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="21"/>
        <source>Cross-entropy for classification (the usual choice)</source>
        <translation>分类用交叉熵（常用选择）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="22"/>
        <source>Binary cross-entropy on logits (two classes or multi-label)</source>
        <translation>基于 logits 的二元交叉熵（二分类或多标签）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="23"/>
        <source>Mean squared error for regression</source>
        <translation>回归用均方误差</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="24"/>
        <source>Mean absolute error for regression; robust to outliers</source>
        <translation>回归用平均绝对误差；对离群值稳健</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="25"/>
        <source>Huber-like loss: squared near zero, absolute further out</source>
        <translation>类 Huber 损失：接近零时为平方，远处为绝对值</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="26"/>
        <source>Focal loss: down-weights easy examples (imbalanced classes)</source>
        <translation>Focal 损失：降低易分样本的权重（类别不平衡）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="34"/>
        <source>equal weights</source>
        <translation>等权重</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="39"/>
        <source>What training minimises</source>
        <translation>训练要最小化的目标</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="41"/>
        <source>Label smoothing</source>
        <translation>标签平滑</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="43"/>
        <source>Spread this much probability over the other classes</source>
        <translation>将这部分概率分摊到其他类别</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="46"/>
        <source>Class weights</source>
        <translation>类别权重</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="48"/>
        <source>One weight per class, comma separated; empty for equal weights</source>
        <translation>每个类别一个权重，逗号分隔；留空为等权重</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="50"/>
        <source>Focal gamma</source>
        <translation>Focal gamma</translation>
    </message>
    <message>
        <location filename="../../gui/panels/loss_panel.py" line="50"/>
        <source>How strongly easy examples are down-weighted</source>
        <translation>易分样本权重降低的程度</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gui/main_window.py" line="53"/>
        <source>TorchDesk</source>
        <translation>TorchDesk</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="88"/>
        <source>Loading PyTorch and the model catalogue…</source>
        <translation>正在加载 PyTorch 和模型目录…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="136"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="142"/>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="153"/>
        <location filename="../../gui/main_window.py" line="279"/>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="185"/>
        <source>The training engine could not be loaded.</source>
        <translation>无法加载训练引擎。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="187"/>
        <source>TorchDesk cannot load PyTorch</source>
        <translation>TorchDesk 无法加载 PyTorch</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="198"/>
        <source>Ready: press Start (F5) to train.</source>
        <translation>就绪：按“开始”（F5）开始训练。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="243"/>
        <location filename="../../gui/main_window.py" line="247"/>
        <source>The configuration needs a fix</source>
        <translation>配置需要修改</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="256"/>
        <source>Starting {name}: {data} with {arch}, {epochs} epochs</source>
        <translation>开始 {name}：{data}，模型 {arch}，{epochs} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="280"/>
        <source>Training…</source>
        <translation>训练中…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="281"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="282"/>
        <source>Stopping: saving a checkpoint…</source>
        <translation>正在停止：保存检查点…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="351"/>
        <source>Current model: {source}</source>
        <translation>当前模型：{source}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="363"/>
        <source>Problem: {message}</source>
        <translation>问题：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="386"/>
        <source>Versions and devices copied to the clipboard.</source>
        <translation>版本和设备信息已复制到剪贴板。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="392"/>
        <source>Stop training?</source>
        <translation>停止训练？</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="393"/>
        <source>A run is in progress. Stop it (a checkpoint is saved) and close TorchDesk?</source>
        <translation>训练正在进行。停止训练（会保存检查点）并关闭 TorchDesk？</translation>
    </message>
</context>
<context>
    <name>MisclassifiedPanel</name>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="44"/>
        <location filename="../../gui/panels/misclassified_panel.py" line="77"/>
        <source>Misclassified validation samples appear after each validation.</source>
        <translation>每次验证后，这里显示分类错误的验证样本。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="113"/>
        <source>{true} → {pred}</source>
        <translation>{true} → {pred}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="125"/>
        <source>#{index}</source>
        <translation>#{index}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="126"/>
        <source>Validation sample {index}: true {true}, predicted {pred}</source>
        <translation>验证样本 {index}：真实 {true}，预测 {pred}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="139"/>
        <source>Epoch {epoch}: no misclassified validation samples.</source>
        <translation>第 {epoch} 轮：没有分类错误的验证样本。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="141"/>
        <source>Epoch {epoch}: {n} misclassified validation samples (true → predicted).</source>
        <translation>第 {epoch} 轮：{n} 个分类错误的验证样本（真实 → 预测）。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/misclassified_panel.py" line="145"/>
        <source>The images cannot be read: {message}</source>
        <translation>无法读取图像：{message}</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <location filename="../../gui/panels/model_panel.py" line="23"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_panel.py" line="27"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_panel.py" line="27"/>
        <source>The network to train</source>
        <translation>要训练的网络</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_panel.py" line="45"/>
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
    <name>OptimPanel</name>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="24"/>
        <source>Optimizer and schedule</source>
        <translation>优化器与学习率调度</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="26"/>
        <source>Stochastic gradient descent, optionally with (Nesterov) momentum</source>
        <translation>随机梯度下降，可选（Nesterov）动量</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="27"/>
        <source>Adam: adaptive moments; a robust default</source>
        <translation>Adam：自适应矩估计；稳健的默认选择</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="28"/>
        <source>AdamW: Adam with decoupled weight decay; the usual default</source>
        <translation>AdamW：解耦权重衰减的 Adam；常用默认选择</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="29"/>
        <source>RMSprop: scales steps by a running average of squared gradients</source>
        <translation>RMSprop：按梯度平方的滑动平均缩放步长</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="32"/>
        <source>Constant learning rate</source>
        <translation>恒定学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="33"/>
        <source>Multiply the learning rate by gamma every N epochs</source>
        <translation>每 N 轮将学习率乘以 gamma</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="34"/>
        <source>Multiply the learning rate by gamma at the listed epochs</source>
        <translation>在列出的轮次将学习率乘以 gamma</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="35"/>
        <source>Multiply the learning rate by gamma every epoch</source>
        <translation>每轮将学习率乘以 gamma</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="36"/>
        <source>Cosine decay from the learning rate to the minimum over the run</source>
        <translation>在整个训练中从学习率余弦衰减到最小值</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="37"/>
        <source>Reduce the learning rate when the monitored metric stops improving</source>
        <translation>监控指标不再改善时降低学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="38"/>
        <source>One-cycle: rise to a peak learning rate, then anneal</source>
        <translation>One-cycle：先升至峰值学习率，再退火</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="39"/>
        <source>Linear warm-up, then cosine decay</source>
        <translation>线性预热，然后余弦衰减</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="47"/>
        <source>Nesterov momentum</source>
        <translation>Nesterov 动量</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="66"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="66"/>
        <source>The update rule</source>
        <translation>参数更新规则</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="67"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="67"/>
        <source>Step size, e.g. 0.001 or 3e-4</source>
        <translation>步长，例如 0.001 或 3e-4</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="68"/>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="68"/>
        <source>L2 penalty (decoupled for AdamW)</source>
        <translation>L2 惩罚（AdamW 为解耦形式）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="69"/>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="70"/>
        <source>Look-ahead momentum (SGD only, needs momentum &gt; 0)</source>
        <translation>前瞻动量（仅 SGD，需要动量 &gt; 0）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="71"/>
        <source>Beta 1</source>
        <translation>Beta 1</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="71"/>
        <source>Decay of the running mean of gradients</source>
        <translation>梯度滑动平均的衰减率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="72"/>
        <source>Beta 2</source>
        <translation>Beta 2</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="72"/>
        <source>Decay of the running mean of squared gradients</source>
        <translation>梯度平方滑动平均的衰减率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="73"/>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="73"/>
        <source>How the learning rate changes during the run</source>
        <translation>训练过程中学习率如何变化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="74"/>
        <source>Step size (epochs)</source>
        <translation>衰减间隔（轮）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="74"/>
        <source>Epochs between two decays</source>
        <translation>两次衰减之间的轮数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="75"/>
        <source>Gamma</source>
        <translation>Gamma</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="75"/>
        <source>Decay factor applied at each decay</source>
        <translation>每次衰减的乘数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="76"/>
        <source>Milestones (epochs)</source>
        <translation>里程碑（轮）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="76"/>
        <source>Epochs at which to decay, e.g. 30, 60</source>
        <translation>进行衰减的轮次，例如 30, 60</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="77"/>
        <source>Minimum lr</source>
        <translation>最小学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="77"/>
        <source>The learning rate at the end of the decay</source>
        <translation>衰减结束时的学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="79"/>
        <source>Warm-up (epochs)</source>
        <translation>预热（轮）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="79"/>
        <source>Length of the linear warm-up; fractions allowed</source>
        <translation>线性预热的长度；可为小数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="81"/>
        <source>Factor</source>
        <translation>因子</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="81"/>
        <source>Multiply the learning rate by this on a plateau</source>
        <translation>进入平台期时学习率乘以该值</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="82"/>
        <source>Patience (epochs)</source>
        <translation>耐心（轮）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="82"/>
        <source>Epochs without improvement before decaying</source>
        <translation>衰减前允许的无改善轮数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="83"/>
        <source>Peak lr</source>
        <translation>峰值学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="83"/>
        <source>Highest learning rate; 0 means 10 × the learning rate</source>
        <translation>最高学习率；0 表示学习率的 10 倍</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="85"/>
        <source>Warm-up fraction</source>
        <translation>预热比例</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="85"/>
        <source>Fraction of the run spent rising to the peak</source>
        <translation>升至峰值所占的训练比例</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="121"/>
        <source>Planned learning rate</source>
        <translation>计划学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="122"/>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/optim_panel.py" line="126"/>
        <source>The learning rate over the planned run (plateau: as if it never triggers)</source>
        <translation>计划训练过程中的学习率（plateau：按从不触发绘制）</translation>
    </message>
</context>
<context>
    <name>OutputPath</name>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="90"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="98"/>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
</context>
<context>
    <name>PathEdit</name>
    <message>
        <location filename="../../gui/widgets.py" line="136"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="147"/>
        <source>Choose a file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="147"/>
        <source>Choose a folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="157"/>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="159"/>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
</context>
<context>
    <name>PlotsPanel</name>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="129"/>
        <source>Training loss per step</source>
        <translation>每步训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="129"/>
        <location filename="../../gui/panels/plots_panel.py" line="132"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="130"/>
        <source>Loss per epoch</source>
        <translation>每轮损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="130"/>
        <location filename="../../gui/panels/plots_panel.py" line="131"/>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="131"/>
        <location filename="../../gui/panels/plots_panel.py" line="256"/>
        <source>Accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="132"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="144"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="145"/>
        <source>smoothed</source>
        <translation>平滑</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="146"/>
        <location filename="../../gui/panels/plots_panel.py" line="148"/>
        <location filename="../../gui/panels/plots_panel.py" line="257"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="147"/>
        <location filename="../../gui/panels/plots_panel.py" line="149"/>
        <location filename="../../gui/panels/plots_panel.py" line="258"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="150"/>
        <source>lr</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="165"/>
        <source>Press Start (F5) to train</source>
        <translation>按“开始”（F5）开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="169"/>
        <source>Log scale (loss and lr)</source>
        <translation>对数刻度（损失和学习率）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="173"/>
        <source>Hover over a plot to read values; right-click a plot to export PNG or CSV.</source>
        <translation>将鼠标悬停在图上读取数值；右键单击图可导出 PNG 或 CSV。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="252"/>
        <source>Validation error</source>
        <translation>验证误差</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="253"/>
        <source>validation MSE</source>
        <translation>验证 MSE</translation>
    </message>
    <message>
        <location filename="../../gui/panels/plots_panel.py" line="254"/>
        <source>validation MAE</source>
        <translation>验证 MAE</translation>
    </message>
</context>
<context>
    <name>PredictDialog</name>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="30"/>
        <location filename="../../gui/dialogs/predict_dialog.py" line="33"/>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="37"/>
        <source>Drop image or CSV files here</source>
        <translation>将图像或 CSV 文件拖放到这里</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="39"/>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="41"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="51"/>
        <source>Inputs (drop files):</source>
        <translation>输入（拖放文件）：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="53"/>
        <source>Top-k:</source>
        <translation>Top-k：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="56"/>
        <source>Input / class</source>
        <translation>输入 / 类别</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="56"/>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="91"/>
        <source>Choose inputs</source>
        <translation>选择输入</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="119"/>
        <source>opening the model</source>
        <translation>正在打开模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="120"/>
        <source>predicting {count} input(s)</source>
        <translation>正在预测 {count} 个输入</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/predict_dialog.py" line="137"/>
        <source>error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
</context>
<context>
    <name>QuantizeDialog</name>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="32"/>
        <source>Quantize model</source>
        <translation>量化模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="34"/>
        <source>Compare methods</source>
        <translation>比较方法</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="36"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="37"/>
        <source>Size MB</source>
        <translation>大小 MB</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="38"/>
        <source>Smaller</source>
        <translation>缩小倍数</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="39"/>
        <source>Batch 1 ms</source>
        <translation>批 1 ms</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="40"/>
        <source>Batch 32 ms</source>
        <translation>批 32 ms</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="41"/>
        <source>Speed-up 32</source>
        <translation>加速比（批 32）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="42"/>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="43"/>
        <source>Δ vs fp32</source>
        <translation>相对 fp32 的变化</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="44"/>
        <source>Max diff</source>
        <translation>最大差异</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="45"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="61"/>
        <source>Save selected…</source>
        <translation>保存所选…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="72"/>
        <source>loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="87"/>
        <source>baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="141"/>
        <source>Save quantized model</source>
        <translation>保存量化模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="149"/>
        <source>Saved {method} to {path}</source>
        <translation>已将 {method} 保存到 {path}</translation>
    </message>
</context>
<context>
    <name>RunBar</name>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="27"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="29"/>
        <location filename="../../gui/panels/run_bar.py" line="94"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="31"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="37"/>
        <source>Start training (F5)</source>
        <translation>开始训练（F5）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="38"/>
        <source>Pause or resume the run (F6)</source>
        <translation>暂停或继续训练（F6）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="39"/>
        <source>Stop after the current step and save a checkpoint (Shift+F5)</source>
        <translation>在当前步结束后停止并保存检查点（Shift+F5）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="46"/>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="47"/>
        <source>Run</source>
        <translation>全程</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="59"/>
        <source>The most memory used so far: on a GPU the device&apos;s, on the CPU this process&apos;s (RAM)</source>
        <translation>迄今为止使用的最大内存：在 GPU 上为显存，在 CPU 上为本进程占用的内存（RAM）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="86"/>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="87"/>
        <location filename="../../gui/panels/run_bar.py" line="128"/>
        <source>ETA —</source>
        <translation>剩余时间 —</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="88"/>
        <source>— samples/s</source>
        <translation>— 样本/秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="89"/>
        <source>lr —</source>
        <translation>学习率 —</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="94"/>
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
        <location filename="../../gui/panels/run_bar.py" line="127"/>
        <source>%p% — {status}</source>
        <translation>%p% — {status}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="137"/>
        <source>epoch {e} of {n}</source>
        <translation>第 {e} / {n} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="142"/>
        <source>ETA {t}</source>
        <translation>剩余时间 {t}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="144"/>
        <source>{n:,.0f} samples/s</source>
        <translation>{n:,.0f} 样本/秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="146"/>
        <source>lr {lr:.3g}</source>
        <translation>学习率 {lr:.3g}</translation>
    </message>
</context>
<context>
    <name>RunView</name>
    <message>
        <location filename="../../gui/run_view.py" line="31"/>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="32"/>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="33"/>
        <source>Misclassified</source>
        <translation>错分样本</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="34"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="35"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="63"/>
        <source>Dataset: {message}</source>
        <translation>数据集：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="65"/>
        <source>Model: {message}</source>
        <translation>模型：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="73"/>
        <source>Training stopped: the loss is not a number</source>
        <translation>训练已停止：损失不是数值（NaN）</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="74"/>
        <source>Training could not run</source>
        <translation>训练无法运行</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="76"/>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="81"/>
        <source>Run completed</source>
        <translation>训练完成</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="82"/>
        <source>Run stopped; checkpoint saved</source>
        <translation>训练已停止；检查点已保存</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="83"/>
        <source>Run stopped early: no more improvement</source>
        <translation>训练提前停止：指标不再改善</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="84"/>
        <source>Run stopped: the loss became NaN</source>
        <translation>训练已停止：损失变为 NaN</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="85"/>
        <source>Run failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <location filename="../../gui/run_view.py" line="90"/>
        <source> — {folder}</source>
        <translation> — {folder}</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="90"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="90"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="90"/>
        <source>Best metric</source>
        <translation>最佳指标</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="90"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="94"/>
        <source>Select runs to draw their curves (dashed) next to the current run</source>
        <translation>选择运行记录，将其曲线（虚线）与当前训练一起绘制</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="96"/>
        <source>No runs yet: finished runs appear here.</source>
        <translation>暂无运行记录：完成的训练会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="98"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="100"/>
        <source>Load config into panels</source>
        <translation>将配置载入面板</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="102"/>
        <source>Put the selected run&apos;s configuration into the panels</source>
        <translation>将所选运行的配置填入各面板</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="104"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="106"/>
        <source>Continue the selected run from its last checkpoint</source>
        <translation>从最近的检查点继续所选的训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="170"/>
        <source>{status}, {n} epochs</source>
        <translation>{status}，{n} 轮</translation>
    </message>
</context>
<context>
    <name>SaveModelDialog</name>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="17"/>
        <source>Save model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="18"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="22"/>
        <source>Weights, safetensors (.safetensors)</source>
        <translation>权重，safetensors (.safetensors)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="23"/>
        <source>Weights, PyTorch state_dict (.pth)</source>
        <translation>权重，PyTorch state_dict (.pth)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="24"/>
        <source>Training checkpoint, resumable (.ckpt)</source>
        <translation>训练检查点，可恢复 (.ckpt)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="25"/>
        <source>TorchScript (.pt)</source>
        <translation>TorchScript (.pt)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="26"/>
        <source>Full pickled model (.pkl.pth)</source>
        <translation>完整 pickle 模型 (.pkl.pth)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="33"/>
        <source>default: &lt;run folder&gt;/exports/&lt;run&gt;-&lt;format&gt;-&lt;date&gt;</source>
        <translation>默认：&lt;运行文件夹&gt;/exports/&lt;运行&gt;-&lt;格式&gt;-&lt;日期&gt;</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="35"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="37"/>
        <source>Output file:</source>
        <translation>输出文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="39"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="48"/>
        <source>Open containing folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="51"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="52"/>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="53"/>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="62"/>
        <source>Warning: loading a pickled model runs code from the file; load it only from trusted sources, and share .safetensors weights instead.</source>
        <translation>警告：加载 pickle 模型会执行文件中的代码；只从可信来源加载，分享时请改用 .safetensors 权重。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="65"/>
        <source>Needs a training checkpoint as the source (a run&apos;s checkpoints/last.ckpt).</source>
        <translation>需要以训练检查点为来源（运行文件夹中的 checkpoints/last.ckpt）。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="73"/>
        <source>loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="73"/>
        <source>writing {format}</source>
        <translation>正在写入 {format}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="89"/>
        <source>{mb:.3f} MB ({bytes} bytes)</source>
        <translation>{mb:.3f} MB（{bytes} 字节）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="91"/>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>TrainPanel</name>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="21"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="33"/>
        <source>Deterministic (reproducible, slower)</source>
        <translation>确定性（可复现，较慢）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="36"/>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="37"/>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="38"/>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="39"/>
        <source>validation MAE (regression)</source>
        <translation>验证 MAE（回归）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="40"/>
        <source>validation MSE (regression)</source>
        <translation>验证 MSE（回归）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="45"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="46"/>
        <source>lower is better</source>
        <translation>越低越好</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="47"/>
        <source>higher is better</source>
        <translation>越高越好</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="50"/>
        <source>Stop early when the metric stops improving</source>
        <translation>指标不再改善时提前停止</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="56"/>
        <source>epoch ends only</source>
        <translation>仅在每轮结束时</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="57"/>
        <source>Write TensorBoard logs</source>
        <translation>写入 TensorBoard 日志</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="61"/>
        <source>Run name</source>
        <translation>运行名称</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="61"/>
        <source>Prefix of the run folder</source>
        <translation>运行文件夹的前缀</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="62"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="62"/>
        <source>Passes over the training set</source>
        <translation>遍历训练集的次数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="63"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="63"/>
        <source>Random seed for the split, initialisation and shuffling</source>
        <translation>用于划分、初始化和打乱的随机种子</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="65"/>
        <source>Gradient accumulation</source>
        <translation>梯度累积</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="67"/>
        <source>Batches per optimizer step (a larger effective batch)</source>
        <translation>每次优化器更新累积的批数（更大的等效批大小）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="69"/>
        <source>Clip grad norm</source>
        <translation>梯度范数裁剪</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="69"/>
        <source>Largest gradient norm; 0 disables</source>
        <translation>最大梯度范数；0 表示不裁剪</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="71"/>
        <source>Clip grad value</source>
        <translation>梯度值裁剪</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="71"/>
        <source>Largest absolute gradient value; 0 disables</source>
        <translation>最大梯度绝对值；0 表示不裁剪</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="73"/>
        <source>Use deterministic algorithms so a run can be repeated exactly</source>
        <translation>使用确定性算法，使训练可完全复现</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="75"/>
        <source>Monitor</source>
        <translation>监控指标</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="75"/>
        <source>Metric that picks the best checkpoint and drives early stopping</source>
        <translation>用于选择最佳检查点并决定提前停止的指标</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="77"/>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="77"/>
        <source>auto: higher is better for accuracy, lower otherwise</source>
        <translation>自动：准确率越高越好，其他越低越好</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="79"/>
        <source>Patience (epochs)</source>
        <translation>耐心（轮）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="79"/>
        <source>Epochs without improvement before stopping</source>
        <translation>停止前允许的无改善轮数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="80"/>
        <source>Minimum change</source>
        <translation>最小变化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="80"/>
        <source>Smaller improvements count as none</source>
        <translation>小于该值的改善视为没有改善</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="82"/>
        <source>Checkpoint every (steps)</source>
        <translation>检查点间隔（步）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="82"/>
        <source>Also save a checkpoint every N steps</source>
        <translation>另外每 N 步保存一次检查点</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="86"/>
        <source>Runs folder</source>
        <translation>运行文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="88"/>
        <source>Each run gets its own folder here (metrics, checkpoints, config)</source>
        <translation>每次训练在此有自己的文件夹（指标、检查点、配置）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/train_panel.py" line="109"/>
        <source>Install the tensorboard package to write TensorBoard logs</source>
        <translation>安装 tensorboard 包后才能写入 TensorBoard 日志</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <location filename="../../gui/training_worker.py" line="135"/>
        <source>The loss became NaN or infinite; training stopped.</source>
        <translation>损失变为 NaN 或无穷大；训练已停止。</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../gui/menus.py" line="222"/>
        <source>Loading PyTorch…</source>
        <translation>正在加载 PyTorch…</translation>
    </message>
    <message>
        <location filename="../../gui/menus.py" line="224"/>
        <source>No model yet: train one, or use File &gt; Load weights/checkpoint…</source>
        <translation>尚无模型：请先训练，或使用“文件 &gt; 加载权重/检查点…”</translation>
    </message>
</context>
</TS>
