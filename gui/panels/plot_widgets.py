"""The pyqtgraph parts of the live plots: one titled plot with its legend row and planned-end line.

Kept apart from ``plots_panel`` so that the main window can paint before pyqtgraph is imported
(about 0.6 s): ``PlotsPanel.build`` imports this module once the window is on screen.
"""

from __future__ import annotations

import html

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

LEGEND_COLUMNS = 3  # legend entries per row under each plot: the live curves of a plot fit one row
FAINT = "#9a9a9a"  # the planned end of the run: a note in the title and a line, never in the way


class WholeNumberAxis(pg.AxisItem):
    """An axis that only ticks whole numbers (epochs and steps: no "epoch 2.5")."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803 - pyqtgraph API
        levels = []
        for spacing, values in super().tickValues(minVal, maxVal, size):
            if spacing >= 1:
                levels.append((spacing, [v for v in values if float(v).is_integer()]))
        return levels or [(1.0, [float(v) for v in range(int(minVal) + 1, int(maxVal) + 1)])]


def make_plot(parent: QWidget, name: str, title: str) -> pg.PlotWidget:
    """A plot titled with what it shows and along what ("Loss per epoch"): no x-axis label under it,
    whose row the data area needs more on a short screen."""
    plot = pg.PlotWidget(parent, axisItems={"bottom": WholeNumberAxis("bottom")})
    plot.setObjectName(name)
    plot.setTitle(title)
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setMinimumSize(220, 180)  # its data area stays readable whatever the docks take
    item = plot.getPlotItem()
    item.setDownsampling(auto=True, mode="peak")
    item.setClipToView(True)
    # The legend of the live curves is a row of the plot's own layout, under the x axis: curves never
    # cover it. Curves named when plotted join it (PlotItem.addItem adds to ``item.legend``); past
    # runs have one legend for all plots, above them (PlotsPanel.overlay_legend).
    legend = pg.LegendItem(offset=None, colCount=LEGEND_COLUMNS, verSpacing=-8, horSpacing=12, labelTextSize="8pt")
    item.layout.addItem(legend, 4, 1)
    item.legend = legend
    # The planned end of the run: a faint line that the axes do not range over (they follow the data).
    end = pg.InfiniteLine(angle=90, pen=pg.mkPen(FAINT, width=1, style=Qt.PenStyle.DashLine))
    end.setVisible(False)
    item.addItem(end, ignoreBounds=True)
    plot.planned_end = end
    plot.title_text = title
    return plot


def set_title(plot: pg.PlotWidget, title: str, note: str = "") -> None:
    """The plot's title, followed by a faint note (where the run ends) when there is one."""
    plot.title_text = title
    plot.setTitle(title + (f" <span style='color:{FAINT}'>({html.escape(note)})</span>" if note else ""))
