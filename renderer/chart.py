"""Charts for reports, drawn as PNG in matplotlib's own DejaVu Serif: a serif like the letter's
Times New Roman, with Vietnamese letters, on every machine."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

import matplotlib

matplotlib.use("Agg")  # no screen: draw to memory

from matplotlib import pyplot  # noqa: E402


def bar_chart(labels: Sequence[str], percents: Sequence[float], axis: str) -> bytes:
    """Horizontal bars of percentages along AXIS, labelled with their values; the same input
    always gives the same bytes (no timestamp in the file)."""
    with matplotlib.rc_context({"font.family": "serif", "font.serif": ["DejaVu Serif"]}):
        return _bars(labels, percents, axis)


def _bars(labels: Sequence[str], percents: Sequence[float], axis: str) -> bytes:
    figure, axes = pyplot.subplots(figsize=(7.5, 0.6 * len(labels) + 1.4), dpi=120)
    try:
        bars = axes.barh(list(labels), list(percents), color="#1f4e79")
        axes.bar_label(bars, labels=[f"{p:.0f}%" for p in percents], padding=3)
        axes.set_xlim(0, 110)
        axes.set_xlabel(axis)
        axes.invert_yaxis()
        figure.tight_layout()
        buffer = BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        pyplot.close(figure)
