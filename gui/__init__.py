"""TorchDesk desktop application (PySide6 + pyqtgraph) over the Qt-free ``backend`` engine."""
