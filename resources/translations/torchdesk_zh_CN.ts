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
        <location filename="../../gui/panels/dataset_panel.py" line="55"/>
        <source>Column to predict; empty: the last column</source>
        <translation>要预测的列；留空：最后一列</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="55"/>
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="60"/>
        <source>auto: classification for text or few integer values, else regression</source>
        <translation>自动：文本或少量整数值为分类，否则为回归</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="62"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="68"/>
        <source>Fetch the files into the folder first (needs a network)</source>
        <translation>先将文件下载到该文件夹（需要网络）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="69"/>
        <source>Download if missing</source>
        <translation>缺失时下载</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="75"/>
        <source>Fraction of the samples held out for validation</source>
        <translation>留作验证的样本比例</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="78"/>
        <source>Validation split</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="80"/>
        <source>Samples per training step</source>
        <translation>每个训练步的样本数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="80"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="85"/>
        <source>Draw every class equally often (for imbalanced classes)</source>
        <translation>各类别以相同频率抽样（用于类别不平衡）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="86"/>
        <source>Balanced sampling</source>
        <translation>均衡采样</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="92"/>
        <source>Skip the last, smaller batch of each epoch</source>
        <translation>跳过每轮最后一个不完整的批</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="93"/>
        <source>Drop the last partial batch</source>
        <translation>丢弃最后不完整的批</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="99"/>
        <source>Resize images to this many pixels square</source>
        <translation>将图像缩放为该边长的正方形（像素）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="102"/>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="103"/>
        <source>keep</source>
        <translation>保持原样</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="109"/>
        <source>Random changes to training images</source>
        <translation>对训练图像的随机变换</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="111"/>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="117"/>
        <source>Custom augmentation, comma separated, e.g. hflip, rotation:15</source>
        <translation>自定义数据增强，逗号分隔，例如 hflip, rotation:15</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="118"/>
        <source>Transforms</source>
        <translation>变换</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="124"/>
        <source>Per-channel normalisation of the images</source>
        <translation>图像的逐通道归一化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="126"/>
        <source>Normalisation</source>
        <translation>归一化</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="132"/>
        <source>auto: decode into memory when it fits; off: stream from disk</source>
        <translation>自动：内存够用时解码到内存；关闭：从磁盘流式读取</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="134"/>
        <source>Cache</source>
        <translation>缓存</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="140"/>
        <source>Processes decoding images when streaming</source>
        <translation>流式读取时解码图像的进程数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="143"/>
        <source>Loader workers</source>
        <translation>加载进程数</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="149"/>
        <source>Page-locked batches for faster copies to a GPU</source>
        <translation>锁页内存，加快向 GPU 复制</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="150"/>
        <source>Pin memory</source>
        <translation>锁页内存</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="156"/>
        <source>Keep loader processes alive between epochs</source>
        <translation>在轮次之间保留加载进程</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="157"/>
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
        <location filename="../../gui/dialogs/artifact_base.py" line="128"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="136"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="145"/>
        <source>Run</source>
        <translation>全程</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="148"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="168"/>
        <source>No model yet: choose a checkpoint or weights file.</source>
        <translation>尚无模型：请选择检查点或权重文件。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="174"/>
        <location filename="../../gui/dialogs/artifact_base.py" line="271"/>
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="207"/>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="215"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="231"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="242"/>
        <source>Failed: see the message.</source>
        <translation>失败：请查看消息。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="246"/>
        <source> — problem</source>
        <translation> — 出现问题</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="251"/>
        <source>Cancelled; nothing was written.</source>
        <translation>已取消；未写入任何文件。</translation>
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
        <location filename="../../gui/panels/data_view.py" line="42"/>
        <source>The dataset summary appears here once PyTorch is loaded.</source>
        <translation>PyTorch 加载完成后，这里显示数据集概要。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="62"/>
        <source>The dataset cannot be used: {message}</source>
        <translation>无法使用该数据集：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="69"/>
        <source>{name}: {task}, {train:,} training and {val:,} validation samples, input shape {shape}</source>
        <translation>{name}：{task}，{train:,} 个训练样本和 {val:,} 个验证样本，输入形状 {shape}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="83"/>
        <source> … and {n} more</source>
        <translation> …… 另有 {n} 个</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="85"/>
        <source>{n} classes (training samples): {list}{more}</source>
        <translation>{n} 个类别（训练样本数）：{list}{more}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="88"/>
        <source>Note: {warning}</source>
        <translation>注意：{warning}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/data_view.py" line="120"/>
        <source>target</source>
        <translation>目标</translation>
    </message>
</context>
<context>
    <name>DatasetPanel</name>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="24"/>
        <location filename="../../gui/panels/dataset_panel.py" line="39"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="26"/>
        <source>Built-in (small, offline)</source>
        <translation>内置（小型，离线）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="27"/>
        <source>torchvision dataset (folder)</source>
        <translation>torchvision 数据集（文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="28"/>
        <source>Image folder (one subfolder per class)</source>
        <translation>图像文件夹（每个类别一个子文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="29"/>
        <source>CSV file (tabular)</source>
        <translation>CSV 文件（表格）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="38"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="38"/>
        <source>Where the training data comes from</source>
        <translation>训练数据的来源</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="40"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location filename="../../gui/panels/dataset_panel.py" line="189"/>
        <source>CSV files (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.tsv *.txt);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>DevicePanel</name>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="17"/>
        <location filename="../../gui/panels/device_panel.py" line="33"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="19"/>
        <source>bf16 or fp16 mixed precision on a GPU, fp32 on the CPU</source>
        <translation>GPU 上使用 bf16 或 fp16 混合精度，CPU 上使用 fp32</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="20"/>
        <source>Full 32-bit precision: slowest on a GPU, always correct</source>
        <translation>完整 32 位精度：在 GPU 上最慢，但总是正确</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="21"/>
        <source>Mixed precision with bfloat16: fast on recent GPUs, no loss scaling</source>
        <translation>bfloat16 混合精度：在较新的 GPU 上很快，无需损失缩放</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="22"/>
        <source>Mixed precision with float16 and loss scaling</source>
        <translation>float16 混合精度，带损失缩放</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="26"/>
        <source>auto (detecting devices…)</source>
        <translation>自动（正在检测设备…）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="29"/>
        <source>channels_last memory layout</source>
        <translation>channels_last 内存布局</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="30"/>
        <source>torch.compile the model</source>
        <translation>用 torch.compile 编译模型</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="33"/>
        <source>Where the model trains</source>
        <translation>模型在哪个设备上训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="35"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="35"/>
        <source>Numeric precision of the forward and backward passes</source>
        <translation>前向和反向传播的数值精度</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="37"/>
        <source>NHWC layout for image models; often faster on GPUs</source>
        <translation>图像模型使用 NHWC 布局；在 GPU 上通常更快</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="39"/>
        <source>Compile the model for speed; the first steps are slow while it compiles</source>
        <translation>编译模型以提速；编译期间前几步较慢</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="55"/>
        <source>auto ({name})</source>
        <translation>自动（{name}）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="57"/>
        <source>The fastest device found: CUDA, then MPS, then the CPU</source>
        <translation>使用找到的最快设备：依次为 CUDA、MPS、CPU</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="62"/>
        <source> ({mem} GiB)</source>
        <translation>（{mem} GiB）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="92"/>
        <source>{precision} is not supported on {device}</source>
        <translation>{device} 不支持 {precision}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="101"/>
        <source>{mem} GiB memory</source>
        <translation>{mem} GiB 内存</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="103"/>
        <source>{n} threads</source>
        <translation>{n} 个线程</translation>
    </message>
    <message>
        <location filename="../../gui/panels/device_panel.py" line="104"/>
        <source>precisions: {p}</source>
        <translation>精度：{p}</translation>
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
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="38"/>
        <source>Evaluate model</source>
        <translation>评估模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="40"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="43"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="44"/>
        <source>test (a separate set)</source>
        <translation>测试集（单独的数据）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="45"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="51"/>
        <source>A test set in the run&apos;s own format: a folder of class sub-folders of images, or a CSV file with the same columns (type its path). For MNIST, CIFAR and the like, leave it empty to use the official test files next to the training files.</source>
        <translation>与训练数据格式相同的测试集：按类别分子文件夹的图像文件夹，或列相同的 CSV 文件（输入其路径）。MNIST、CIFAR 等数据集留空即可，使用训练文件旁的官方测试文件。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="56"/>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="57"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="58"/>
        <source>Split:</source>
        <translation>数据划分：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="59"/>
        <source>Test set:</source>
        <translation>测试集：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="62"/>
        <source>Gaussian noise std:</source>
        <translation>高斯噪声标准差：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="63"/>
        <source>FGSM epsilon:</source>
        <translation>FGSM epsilon：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="73"/>
        <source>False positive rate</source>
        <translation>假阳性率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="73"/>
        <source>True positive rate</source>
        <translation>真阳性率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="75"/>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="75"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="77"/>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="78"/>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="79"/>
        <source>ROC curves</source>
        <translation>ROC 曲线</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="80"/>
        <source>Precision-recall</source>
        <translation>精确率-召回率</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="81"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="167"/>
        <source>{split} split: {correct:.0f} of {total:.0f} samples correct ({acc:.1f}%).</source>
        <translation>{split} 数据：{total:.0f} 个样本中 {correct:.0f} 个正确（{acc:.1f}%）。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="196"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="196"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/evaluate_dialog.py" line="204"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="16"/>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="17"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="21"/>
        <source>ONNX (.onnx)</source>
        <translation>ONNX (.onnx)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="22"/>
        <source>TorchScript (.pt)</source>
        <translation>TorchScript (.pt)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="23"/>
        <source>torch.export program (.pt2)</source>
        <translation>torch.export 程序 (.pt2)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="33"/>
        <source>trace</source>
        <translation>trace（跟踪）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="34"/>
        <source>script</source>
        <translation>script（脚本化）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="35"/>
        <source>Dynamic batch size</source>
        <translation>动态批大小</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="38"/>
        <source>default: &lt;run folder&gt;/exports/&lt;run&gt;-&lt;format&gt;-&lt;date&gt;</source>
        <translation>默认：&lt;运行文件夹&gt;/exports/&lt;运行&gt;-&lt;格式&gt;-&lt;日期&gt;</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="40"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="41"/>
        <source>ONNX opset:</source>
        <translation>ONNX opset：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="42"/>
        <source>TorchScript by:</source>
        <translation>TorchScript 方式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="44"/>
        <source>Output file:</source>
        <translation>输出文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="46"/>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="60"/>
        <source>Open containing folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="65"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="66"/>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="67"/>
        <source>Parity:</source>
        <translation>一致性：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="68"/>
        <source>Latency:</source>
        <translation>延迟：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="69"/>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="98"/>
        <source>{mb:.3f} MB ({bytes} bytes)</source>
        <translation>{mb:.3f} MB（{bytes} 字节）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="100"/>
        <source>OK</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="100"/>
        <source>FAILED</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="102"/>
        <source>max abs diff {diff:.3g} in {runtime} (limit {tol:g}): {verdict}</source>
        <translation>{runtime} 中最大绝对差 {diff:.3g}（上限 {tol:g}）：{verdict}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="108"/>
        <source>batch {b}: PyTorch {t:.3f} ms, {rt} {r:.3f} ms</source>
        <translation>批大小 {b}：PyTorch {t:.3f} ms，{rt} {r:.3f} ms</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/export_dialog.py" line="112"/>
        <source>exporter: {name}</source>
        <translation>导出器：{name}</translation>
    </message>
</context>
<context>
    <name>LoadWeightsDialog</name>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="45"/>
        <source>Load weights or checkpoint</source>
        <translation>加载权重或检查点</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="47"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="52"/>
        <source>Strict: every tensor must fit</source>
        <translation>严格：每个张量都必须匹配</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="54"/>
        <source>Partial: load the tensors that fit</source>
        <translation>部分：只加载匹配的张量</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="64"/>
        <source>Restore the whole configuration into the panels (checkpoints)</source>
        <translation>将完整配置恢复到各面板（检查点）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="66"/>
        <source>File to load:</source>
        <translation>要加载的文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="67"/>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="77"/>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="77"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="77"/>
        <source>Shape in file</source>
        <translation>文件中的形状</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="77"/>
        <source>Shape in model</source>
        <translation>模型中的形状</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="92"/>
        <source>No current model: the file&apos;s own model is loaded.</source>
        <translation>没有当前模型：将加载文件自带的模型。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="164"/>
        <source>Loading the trusted file…</source>
        <translation>正在加载受信任的文件…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="173"/>
        <source>Load a pickled model?</source>
        <translation>加载 pickle 模型？</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="175"/>
        <source>This file holds a pickled full model. Loading it runs code from the file: do this only for files from a source you trust. Load it?</source>
        <translation>该文件包含 pickle 格式的完整模型。加载它会执行文件中的代码：仅对来自可信来源的文件这样做。是否加载？</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="186"/>
        <source>Format: {name}</source>
        <translation>格式：{name}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="188"/>
        <source>Not loaded: </source>
        <translation>未加载：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="190"/>
        <source>; prefixes removed: {p}</source>
        <translation>；已移除前缀：{p}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="192"/>
        <source>Configuration not restored: {why}</source>
        <translation>配置未恢复：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/load_weights_dialog.py" line="194"/>
        <source>The configuration was restored into the panels.</source>
        <translation>配置已恢复到各面板。</translation>
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
        <location filename="../../gui/panels/log_panel.py" line="59"/>
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
        <location filename="../../gui/main_window.py" line="52"/>
        <source>TorchDesk</source>
        <translation>TorchDesk</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="87"/>
        <source>Loading PyTorch and the model catalogue…</source>
        <translation>正在加载 PyTorch 和模型目录…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="135"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="141"/>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="152"/>
        <location filename="../../gui/main_window.py" line="277"/>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="184"/>
        <source>The training engine could not be loaded.</source>
        <translation>无法加载训练引擎。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="186"/>
        <source>TorchDesk cannot load PyTorch</source>
        <translation>TorchDesk 无法加载 PyTorch</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="197"/>
        <source>Ready: press Start (F5) to train.</source>
        <translation>就绪：按“开始”（F5）开始训练。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="242"/>
        <location filename="../../gui/main_window.py" line="246"/>
        <source>The configuration needs a fix</source>
        <translation>配置需要修改</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="254"/>
        <source>Starting {name}: {data} with {arch}, {epochs} epochs</source>
        <translation>开始 {name}：{data}，模型 {arch}，{epochs} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="278"/>
        <source>Training…</source>
        <translation>训练中…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="279"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="280"/>
        <source>Stopping: saving a checkpoint…</source>
        <translation>正在停止：保存检查点…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="349"/>
        <source>Current model: {source}</source>
        <translation>当前模型：{source}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="360"/>
        <source>Problem: {message}</source>
        <translation>问题：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="383"/>
        <source>Versions and devices copied to the clipboard.</source>
        <translation>版本和设备信息已复制到剪贴板。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="389"/>
        <source>Stop training?</source>
        <translation>停止训练？</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="390"/>
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
        <location filename="../../gui/panels/model_panel.py" line="22"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_panel.py" line="26"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_panel.py" line="26"/>
        <source>The network to train</source>
        <translation>要训练的网络</translation>
    </message>
    <message>
        <location filename="../../gui/panels/model_panel.py" line="44"/>
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
        <location filename="../../gui/dialogs/artifact_base.py" line="89"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/artifact_base.py" line="97"/>
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
        <location filename="../../gui/dialogs/predict_dialog.py" line="135"/>
        <source>error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
</context>
<context>
    <name>QuantizeDialog</name>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="23"/>
        <source>Quantize model</source>
        <translation>量化模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="25"/>
        <source>Compare methods</source>
        <translation>比较方法</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="27"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="28"/>
        <source>Size MB</source>
        <translation>大小 MB</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="29"/>
        <source>Smaller</source>
        <translation>缩小倍数</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="30"/>
        <source>Batch 1 ms</source>
        <translation>批 1 ms</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="31"/>
        <source>Batch 32 ms</source>
        <translation>批 32 ms</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="32"/>
        <source>Speed-up 32</source>
        <translation>加速比（批 32）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="33"/>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="34"/>
        <source>Δ vs fp32</source>
        <translation>相对 fp32 的变化</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="35"/>
        <source>Max diff</source>
        <translation>最大差异</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="36"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="49"/>
        <source>Save selected…</source>
        <translation>保存所选…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="73"/>
        <source>baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="124"/>
        <source>Save quantized model</source>
        <translation>保存量化模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/quantize_dialog.py" line="132"/>
        <source>Saved {method} to {path}</source>
        <translation>已将 {method} 保存到 {path}</translation>
    </message>
</context>
<context>
    <name>RunBar</name>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="25"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="27"/>
        <location filename="../../gui/panels/run_bar.py" line="89"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="29"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="35"/>
        <source>Start training (F5)</source>
        <translation>开始训练（F5）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="36"/>
        <source>Pause or resume the run (F6)</source>
        <translation>暂停或继续训练（F6）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="37"/>
        <source>Stop after the current step and save a checkpoint (Shift+F5)</source>
        <translation>在当前步结束后停止并保存检查点（Shift+F5）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="44"/>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="45"/>
        <source>Run</source>
        <translation>全程</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="81"/>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="82"/>
        <location filename="../../gui/panels/run_bar.py" line="119"/>
        <source>ETA —</source>
        <translation>剩余时间 —</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="83"/>
        <source>— samples/s</source>
        <translation>— 样本/秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="84"/>
        <source>lr —</source>
        <translation>学习率 —</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="89"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="105"/>
        <source>%p% (step %v of %m)</source>
        <translation>%p%（第 %v / %m 步）</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="106"/>
        <source>epoch 1 of {n}</source>
        <translation>第 1 / {n} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="112"/>
        <source>peak memory {mb:.0f} MB</source>
        <translation>峰值显存 {mb:.0f} MB</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="118"/>
        <source>%p% — {status}</source>
        <translation>%p% — {status}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="128"/>
        <source>epoch {e} of {n}</source>
        <translation>第 {e} / {n} 轮</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="133"/>
        <source>ETA {t}</source>
        <translation>剩余时间 {t}</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="135"/>
        <source>{n:,.0f} samples/s</source>
        <translation>{n:,.0f} 样本/秒</translation>
    </message>
    <message>
        <location filename="../../gui/panels/run_bar.py" line="137"/>
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
        <location filename="../../gui/panels/runs_panel.py" line="89"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="89"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="89"/>
        <source>Best metric</source>
        <translation>最佳指标</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="89"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="93"/>
        <source>Select runs to draw their curves (dashed) next to the current run</source>
        <translation>选择运行记录，将其曲线（虚线）与当前训练一起绘制</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="95"/>
        <source>No runs yet: finished runs appear here.</source>
        <translation>暂无运行记录：完成的训练会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="97"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="99"/>
        <source>Load config into panels</source>
        <translation>将配置载入面板</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="101"/>
        <source>Put the selected run&apos;s configuration into the panels</source>
        <translation>将所选运行的配置填入各面板</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="103"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="105"/>
        <source>Continue the selected run from its last checkpoint</source>
        <translation>从最近的检查点继续所选的训练</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="169"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="170"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="171"/>
        <source>stopped early</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="172"/>
        <source>NaN loss</source>
        <translation>损失为 NaN</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="173"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="174"/>
        <source>incomplete</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location filename="../../gui/panels/runs_panel.py" line="178"/>
        <source>{status}, {n} epochs</source>
        <translation>{status}，{n} 轮</translation>
    </message>
</context>
<context>
    <name>SaveModelDialog</name>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="16"/>
        <source>Save model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="17"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="21"/>
        <source>Weights, safetensors (.safetensors)</source>
        <translation>权重，safetensors (.safetensors)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="22"/>
        <source>Weights, PyTorch state_dict (.pth)</source>
        <translation>权重，PyTorch state_dict (.pth)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="23"/>
        <source>Training checkpoint, resumable (.ckpt)</source>
        <translation>训练检查点，可恢复 (.ckpt)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="24"/>
        <source>TorchScript (.pt)</source>
        <translation>TorchScript (.pt)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="25"/>
        <source>Full pickled model (.pkl.pth)</source>
        <translation>完整 pickle 模型 (.pkl.pth)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="32"/>
        <source>default: &lt;run folder&gt;/exports/&lt;run&gt;-&lt;format&gt;-&lt;date&gt;</source>
        <translation>默认：&lt;运行文件夹&gt;/exports/&lt;运行&gt;-&lt;格式&gt;-&lt;日期&gt;</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="34"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="36"/>
        <source>Output file:</source>
        <translation>输出文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="38"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="47"/>
        <source>Open containing folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="50"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="51"/>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="52"/>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="61"/>
        <source>Warning: loading a pickled model runs code from the file; load it only from trusted sources, and share .safetensors weights instead.</source>
        <translation>警告：加载 pickle 模型会执行文件中的代码；只从可信来源加载，分享时请改用 .safetensors 权重。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="64"/>
        <source>Needs a training checkpoint as the source (a run&apos;s checkpoints/last.ckpt).</source>
        <translation>需要以训练检查点为来源（运行文件夹中的 checkpoints/last.ckpt）。</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="87"/>
        <source>{mb:.3f} MB ({bytes} bytes)</source>
        <translation>{mb:.3f} MB（{bytes} 字节）</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/save_model_dialog.py" line="89"/>
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
