"""Light, dark or system colours for the whole application (Fusion style with a palette).

Icons that must read on any background (the run bar's) are drawn here in the palette's text
colour at paint time, so a theme change recolours them; check boxes get an outline that stands
out from the window colour (Fusion's own outline is the window colour darkened, invisible on dark).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QStyleOption, QWidget

_original: tuple[str, QPalette] | None = None
MEDIA_SHAPES = ("play", "pause", "stop")


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 30), QColor(220, 220, 220)
    disabled = QColor(120, 120, 120)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, window)
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(60, 60, 60))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, window)
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor(255, 80, 80))
    p.setColor(QPalette.ColorRole.Link, QColor(90, 160, 255))
    p.setColor(QPalette.ColorRole.Highlight, QColor(42, 130, 218))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.PlaceholderText, disabled)
    p.setColor(QPalette.ColorRole.Mid, QColor(150, 150, 150))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def apply_theme(name: str) -> bool:
    """Apply ``system``, ``light`` or ``dark``; returns True when the result is dark."""
    global _original
    app = QApplication.instance()
    if _original is None:
        _original = (app.style().name(), QPalette(app.palette()))
    if name == "dark":
        app.setStyle(ContrastStyle())
        app.setPalette(_dark_palette())
    elif name == "light":
        app.setStyle(ContrastStyle())
        app.setPalette(app.style().standardPalette())
    else:
        app.setStyle(QStyleFactory.create(_original[0]) or QStyleFactory.create("Fusion"))
        app.setPalette(_original[1])
    return is_dark(app.palette())


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def warning_color(palette: QPalette) -> QColor:
    """Amber that reads on the palette's window colour (deep on light, bright on dark)."""
    return QColor(255, 193, 90) if is_dark(palette) else QColor(150, 88, 0)


def _mix(a: QColor, b: QColor, share_of_a: float) -> QColor:
    t = share_of_a
    return QColor.fromRgbF(*(t * x + (1 - t) * y for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3], strict=True)))


class ContrastStyle(QProxyStyle):
    """Fusion, with check box and radio button indicators outlined in a colour between text and base."""

    INDICATORS = (
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
        QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    )

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(  # noqa: N802 - Qt override
        self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter, widget: QWidget | None = None
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in self.INDICATORS:
            return
        palette = option.palette
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        share = 0.6 if enabled else 0.3
        colour = _mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), share)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(colour)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 1.5, 1.5)
        painter.restore()


class _MediaIconEngine(QIconEngine):
    """A play/pause/stop symbol in the application palette's button-text colour, read at paint time."""

    def __init__(self, shape: str) -> None:
        super().__init__()
        self.shape = shape

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        palette = QApplication.palette()
        group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled else QPalette.ColorGroup.Active
        colour = palette.color(group, QPalette.ColorRole.ButtonText)
        side = min(rect.width(), rect.height()) * 0.8
        box = QRectF(0, 0, side, side)
        box.moveCenter(QRectF(rect).center())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        if self.shape == "play":
            path = QPainterPath(QPointF(box.left() + side * 0.15, box.top()))
            path.lineTo(box.right() - side * 0.05, box.center().y())
            path.lineTo(box.left() + side * 0.15, box.bottom())
            path.closeSubpath()
            painter.drawPath(path)
        elif self.shape == "pause":
            bar = side * 0.3
            painter.drawRect(QRectF(box.left() + side * 0.12, box.top(), bar, side))
            painter.drawRect(QRectF(box.right() - side * 0.12 - bar, box.top(), bar, side))
        else:
            painter.drawRect(box.adjusted(side * 0.08, side * 0.08, -side * 0.08, -side * 0.08))
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _MediaIconEngine(self.shape)


def media_icon(shape: str) -> QIcon:
    """``play``, ``pause`` or ``stop``, in the current palette's text colour (light and dark themes alike)."""
    if shape not in MEDIA_SHAPES:
        raise ValueError(f"unknown icon {shape!r}; one of {MEDIA_SHAPES}")
    return QIcon(_MediaIconEngine(shape))
