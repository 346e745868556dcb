"""The strip above the run's tabs that says whether the configuration can run, and why not.

Its height is fixed (two lines of text), so a problem appearing or going away never moves the tabs
below it; a longer text is cut at two lines and shown whole in the tooltip. A problem with an obvious
fix gets a button that applies it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStackedLayout, QWidget

from gui.problems import Problem

_WARNING_STYLE = (
    "QFrame#configProblem { background: #fff3cd; border: 1px solid #e0c36b; border-radius: 3px; }"
    " QFrame#configProblem QLabel { color: #5c4400; border: none; }"
)


class ProblemBanner(QFrame):
    """The warning: the problems that keep Start disabled, and the fix button of the first with a fix."""

    fix_requested = Signal(object)
    """(config key, value): the user pressed the fix button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("configProblem")
        self.setStyleSheet(_WARNING_STYLE)
        self.label = QLabel(self)
        self.label.setObjectName("configProblemText")
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)  # never grows the strip
        self.fix_button = QPushButton(self)
        self.fix_button.setObjectName("configProblemFix")
        self.fix_button.clicked.connect(self._on_fix)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._fix: tuple | None = None
        self._text = ""

    def text(self) -> str:
        """Every problem shown, one a line ("" when there is none)."""
        return self._text

    def set_problems(self, problems: list[Problem]) -> None:
        self._text = "\n".join(p.text for p in problems)
        self.setToolTip(self._text)
        more = self.tr(" (and {n} more: point here to read them)").format(n=len(problems) - 1)
        self.label.setText((problems[0].text + (more if len(problems) > 1 else "")) if problems else "")
        with_fix = next((p for p in problems if p.fix is not None), None)
        self._fix = with_fix.fix if with_fix is not None else None
        self.fix_button.setText(with_fix.fix_text if with_fix is not None else "")
        self.fix_button.setVisible(with_fix is not None)

    def _on_fix(self) -> None:
        if self._fix is not None:
            self.fix_requested.emit(self._fix)


class ProblemStrip(QWidget):
    """A strip of fixed height: the warning banner when there is a problem, else a muted "ready" line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ready = QLabel(self)
        self.ready.setObjectName("configReady")
        self.ready.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, follows the theme
        self.ready.setContentsMargins(8, 0, 8, 0)
        self.banner = ProblemBanner(self)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.ready)
        self._stack.addWidget(self.banner)
        self.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 12)

    def show_problems(self, problems: list[Problem], ready_text: str) -> None:
        self.banner.set_problems(problems)
        self.ready.setText(ready_text)
        self._stack.setCurrentWidget(self.banner if problems else self.ready)
