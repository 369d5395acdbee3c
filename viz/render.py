"""Rendering helpers shared by the app's figures: PNG encoding, blitting of the changing artists, messages.

Figures are drawn without pyplot (thread-safe, never leaked) at 72 dpi, so 1 point is 1 CSS pixel when an image
is shown at its natural size: a 12-pt label reads as 12 px.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

DPI = 72
FONT = 12  # points = CSS pixels at DPI 72: the smallest text of every figure


def encode(canvas) -> bytes:
    """The canvas as PNG, fast compression (the browser gets one per figure per step)."""
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
    return buf.getvalue()


class Blitter:
    """Draws the static part of a figure once and only the changing artists on later frames.

    ``frame(static_key, dynamic)``: when ``static_key`` differs from the last one (axes limits, colour mode...)
    the whole figure is drawn with the dynamic artists hidden and kept as background; otherwise the background is
    restored and only ``dynamic`` is drawn on top. The result is what a full draw gives, at a fraction of the cost
    (tick labels and titles are the expensive part of a matplotlib draw).
    """

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.key: object = None
        self.background = None

    def frame(self, static_key: object, dynamic: list) -> bytes:
        if self.background is None or static_key != self.key:
            for a in dynamic:
                a.set_visible(False)
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
            self.key = static_key
            for a in dynamic:
                a.set_visible(True)
        else:
            self.canvas.restore_region(self.background)
        renderer = self.canvas.get_renderer()
        for a in dynamic:
            a.draw(renderer)
        return encode(self.canvas)


def message_png(text: str, width: float = 6.4, height: float = 1.0) -> bytes:
    """A figure-sized PNG holding a message (where a figure cannot be drawn), sizes in inches."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=FONT)
    canvas.draw()
    return encode(canvas)


def png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return buf.getvalue()
