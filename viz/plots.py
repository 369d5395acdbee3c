"""The indicator charts of the live page (policy run against its status-quo twin) and the effect table.

Pure functions from a :class:`urbanize.viz.twin.TwinRun` to PNG bytes or tables (no pyplot, so figures are
thread-safe and never leak), testable without a browser. Names and units shown are plain words; raw
indicator names stay in the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from urbanize.viz.render import DPI, FONT, Blitter, encode, message_png, png  # noqa: F401  (png: re-exported)

#: Differences smaller than this (in the shown unit) are shown as 0: the runs' float sums differ by rounding
#: (about 1e-14) where the policies changed nothing.
ZERO = 1e-9


def fmt(v: float, sign: bool = False) -> str:
    """A number for the page: 0 for rounding noise (never -1.42e-14), thousands separated, 3 significant digits
    below 100, no e-notation."""
    if v != v:  # NaN
        return "-"
    if abs(v) < ZERO:
        return "0"
    if abs(v) >= 100:
        text = f"{v:,.0f}"
    elif abs(v) >= 0.001:
        text = f"{v:.3g}"
        if "e" in text:
            text = f"{v:.3f}"
    else:
        text = f"{v:.6f}".rstrip("0")
    return ("+" + text) if sign and v > 0 else text


@cache
def plain_name(column: str) -> str:
    """The indicator's meaning from the registry (its doc without a trailing source in parentheses), or the
    column name in words when the registry does not know it."""
    try:
        from urbanize.model.indicators import registry

        info = registry().get(column)
    except Exception:  # the page must render even if the registry is broken
        info = None
    if info is None or not info.doc:
        return column.replace("_", " ")
    text = re.sub(r"\s*\([^()]*\d[^()]*\)\s*$", "", info.doc)  # "(CMDS 2015: 57 %)" and the like
    return text.replace("_", " ")


# --- indicator charts -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Panel:
    title: str
    columns: tuple[str, ...]  # exact names, or a prefix ending in "_" for a family of columns
    scale: float = 1.0
    unit: str = ""
    strip: str = ""  # prefix removed from column names in the legend of a multi-line panel

    def label(self, col: str) -> str:
        return col.removeprefix(self.strip or self.columns[0]).replace("_", " ")


_GAP = "access_gap_"
#: Eight panels (4 x 2, one line per run each: readable at 12 px in a 1080 x 330 px image); the access gaps
#: per service, too many lines for a panel, are in the effect table.
PANELS = (
    Panel("Migrants registered", ("registration_rate",), 100.0, "%"),
    Panel("Hukou conversions", ("hukou_conversions",), 1e-3, "thousands"),
    Panel("Migrants intending to settle", ("settlement_intention",), 100.0, "%"),
    Panel("Urbanization gap", ("urbanization_gap",), 100.0, "points"),
    Panel("Migrant pupils in public school", ("migrant_children_public_school_share",), 100.0, "%"),
    Panel("Public primary class size", ("avg_class_size_primary",), 1.0, "pupils"),
    Panel("Public spending", ("fiscal_spend_total",), 1e-6, "million yuan/month"),
    Panel("Migrant access index", ("migrant_access_index",), 100.0, "%"),
)
#: Access gaps (local urban residents' access minus migrants', per service): compared in the effect table only.
GAP_SERVICES = ("primary_school", "junior_school", "private_migrant_school", "child_health", "maternal_health",
                "community_centre", "training", "public_rental", "dibao", "hardship_aid", "pension",
                "medical_insurance")


def panel_columns(panel: Panel, df: pd.DataFrame) -> list[str]:
    """Columns of ``df`` a panel plots (for a family: every ``prefix*`` column but the total)."""
    out = []
    for c in panel.columns:
        if c.endswith("_"):
            out += [col for col in df.columns if col.startswith(c)
                    and not col.endswith(("_total", "per_resident", "_cumulative"))]
        elif c in df.columns:
            out.append(c)
    return out


#: Indicators of the effect table (those the model reports): column, scale, unit shown, short plain name (the
#: registry's full meaning is the row's tooltip).
HEADLINE = (
    ("registration_rate", 100.0, "%", "Migrants registered"),
    ("hukou_conversions", 1e-3, "thousand persons", "Hukou conversions since start"),
    ("settlement_intention", 100.0, "%", "Migrants intending to settle"),
    ("migrant_children_public_school_share", 100.0, "%", "Migrant pupils in public school"),
    ("avg_class_size_primary", 1.0, "pupils/class", "Public primary class size"),
    ("public_rental_households", 1e-3, "thousand households", "Households in public rental"),
    ("fiscal_spend_total", 1e-6, "million yuan/month", "Public spending on services"),
    ("fiscal_spend_per_resident", 1.0, "yuan/month", "Public spending per resident"),
    ("migrant_access_index", 100.0, "%", "Migrant access index"),
    ("urbanization_gap", 100.0, "points", "Urbanization gap (residence - hukou)"),
)


def gap_name(column: str) -> str:
    """``access_gap_primary_school`` -> "Access gap: primary school (local - migrant)"."""
    return f"Access gap: {column.removeprefix(_GAP).replace('_', ' ')} (local - migrant)"


def _latest(df: pd.DataFrame | None, col: str, scale: float) -> float:
    if df is None or col not in df or df.empty:
        return np.nan
    return float(df[col].iloc[-1]) * scale


def effect_table(run, everything: bool = False) -> pd.DataFrame:
    """Latest month of the headline indicators (or, with ``everything``, of every charted column): policy
    run, status-quo twin and their difference."""
    rows = []
    main = run.indicators("main") if run is not None and run.ok else None
    twin = run.indicators("twin") if run is not None and run.ok else None
    if main is None or main.empty:
        return pd.DataFrame(columns=["indicator", "name", "unit", "policies", "status quo", "difference", "doc"])
    items = [item for item in HEADLINE if item[0] in main]
    if everything:
        items += [(_GAP + s, 100.0, "points", gap_name(_GAP + s)) for s in GAP_SERVICES if _GAP + s in main]
    for col, scale, unit, name in items:
        a = _latest(main, col, scale)
        b = _latest(twin, col, scale)
        diff = a - b
        rows.append({"indicator": col, "name": name, "unit": unit, "policies": a, "status quo": b,
                     "difference": 0.0 if abs(diff) < ZERO else diff, "doc": plain_name(col)})
    return pd.DataFrame(rows)


class ChartsRenderer:
    """Indicator panels over the months: policy run (solid), status-quo twin (dashed), the gap shaded.

    Axes limits move in steps (x: whole years; y: with headroom) so that most months only the lines are redrawn.
    """

    NCOLS = 4
    WIDTH_PX, ROW_PX = 1040, 158  # drawn at the size shown on a 1366x768 screen: 12-pt text reads as 12 px

    def __init__(self, run, panels: tuple[Panel, ...] = PANELS) -> None:
        main = run.indicators("main")
        twin = run.indicators("twin")
        self.panels = panels
        nrows = (len(panels) + self.NCOLS - 1) // self.NCOLS
        height = self.ROW_PX * nrows + 22
        self.fig = Figure(figsize=(self.WIDTH_PX / DPI, height / DPI), dpi=DPI)
        self.blit = Blitter(self.fig)
        axes = self.fig.subplots(nrows, self.NCOLS, squeeze=False)
        self.fig.subplots_adjust(left=0.045, right=0.995, top=1 - 46 / height, bottom=22 / height, wspace=0.28,
                                 hspace=40 / (self.ROW_PX - 40))
        self.items: list[tuple] = []  # (ax, panel, columns, main lines, twin lines)
        for ax, panel in zip(axes.flat, panels, strict=False):
            ax.set_title(f"{panel.title}, {panel.unit}" if panel.unit else panel.title, fontsize=FONT, pad=4)
            ax.tick_params(labelsize=FONT, pad=2)
            ax.grid(alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(4))
            ax.ticklabel_format(axis="y", style="plain", useOffset=False)  # never a "1e-7" above an axis
            cols = panel_columns(panel, main) if main is not None else []
            if not cols:
                ax.text(0.5, 0.5, "not reported by the model", ha="center", va="center", fontsize=FONT,
                        color="#888888", transform=ax.transAxes)
                continue
            family = len(panel.columns) > 1 or panel.columns[0].endswith("_")
            mains, twins = [], []
            for i, col in enumerate(cols):
                colour = f"C{i % 10}"
                (line,) = ax.plot([], [], color=colour, lw=1.8)
                mains.append(line)
                if twin is not None and col in twin:
                    (tl,) = ax.plot([], [], color=colour, lw=1.4, ls="--", alpha=0.8)
                    twins.append(tl)
            ax.set_xlim(0, 12)
            self.items.append((ax, panel, cols, family, mains, twins))
        for ax in list(axes.flat)[len(panels):]:
            ax.set_axis_off()
        title = "Indicators by month"
        if twin is not None:
            title += ":  solid line = chosen policies,  dashed = status quo (same seed),  shaded = the difference"
        self.fig.suptitle(title, fontsize=FONT, y=1 - 4 / height, va="top")
        self.ylims: dict[int, tuple[float, float]] = {}
        self.boxes: dict[int, Bbox] = {}  # last drawn extent of each panel (ticks and titles included)

    @staticmethod
    def _grow(current: tuple[float, float] | None, lo: float, hi: float, ahead: tuple[float, float] = (0.0, 0.0),
              ) -> tuple[float, float]:
        """Y limits that hold [lo, hi]: kept while the data fits, else widened with generous headroom, and at
        least as far as the recent trend reaches by the end of the month axis (``ahead``: expected fall and rise),
        so that a trend needs only a few re-layouts (each costs a full draw of the panel)."""
        if current is not None and current[0] <= lo and hi <= current[1]:
            return current
        if current is not None:
            lo, hi = min(lo, current[0]), max(hi, current[1])
        span = max(hi - lo, abs(hi) * 0.1, abs(lo) * 0.1, 1.0)  # at least one unit: a flat 0 shows as 0
        grow_down = current is None or lo < current[0]
        grow_up = current is None or hi > current[1]
        new_lo = lo - (max(0.5 * span, ahead[0]) if grow_down else 0.0)
        new_hi = hi + (max(0.5 * span, ahead[1]) if grow_up else 0.0)
        if lo >= 0 > new_lo:  # counts and shares never go below zero
            new_lo = 0.0
        return (new_lo, new_hi)

    @staticmethod
    def _trend(series: list[np.ndarray], months_left: int, window: int = 6) -> tuple[float, float]:
        """How far the lines may fall and rise by the end of the month axis at their recent pace."""
        fall = rise = 0.0
        for y in series:
            y = y[np.isfinite(y)]
            if y.size < 3:
                continue
            recent = y[-min(window, y.size):]
            slope = (recent[-1] - recent[0]) / (recent.size - 1)
            reach = abs(slope) * months_left
            if slope > 0:
                rise = max(rise, reach)
            elif slope < 0:
                fall = max(fall, reach)
        return fall, rise

    def png(self, run) -> bytes:
        main = run.indicators("main")
        twin = run.indicators("twin")
        x = main["month"].to_numpy() if "month" in main else np.arange(len(main))
        tx = None
        if twin is not None:
            tx = twin["month"].to_numpy() if "month" in twin else np.arange(len(twin))
        last = int(x[-1]) if len(x) else 0
        xmax = max(24, 24 * int(np.ceil((last + 1) / 24)))
        dynamic: list = []
        changed = []
        for idx, (ax, panel, cols, family, mains, twins) in enumerate(self.items):
            values = []
            for j, col in enumerate(cols):
                y = main[col].to_numpy(dtype=np.float64) * panel.scale
                mains[j].set_data(x, y)
                dynamic.append(mains[j])
                values.append(y)
                if j < len(twins) and twin is not None and col in twin:
                    ty = twin[col].to_numpy(dtype=np.float64) * panel.scale
                    twins[j].set_data(tx, ty)
                    dynamic.append(twins[j])
                    values.append(ty)
                    if not family and len(ty) == len(y):
                        dynamic.append(ax.fill_between(x, y, ty, color=mains[j].get_color(), alpha=0.15, lw=0))
            allv = np.concatenate(values) if values else np.array([])
            allv = allv[np.isfinite(allv)]
            if allv.size:
                new = self._grow(self.ylims.get(idx), float(allv.min()), float(allv.max()),
                                 self._trend(values, xmax - last))
                if new != self.ylims.get(idx):
                    self.ylims[idx] = new
                    ax.set_ylim(*new)
                    changed.append(ax)
        try:
            return self._frame(xmax, changed, dynamic)
        finally:
            for a in dynamic:
                if a.axes is not None and a in a.axes.collections:
                    a.remove()

    def _frame(self, xmax: int, changed: list, dynamic: list) -> bytes:
        """Full draw when the month axis grows; else redraw only the panels whose y range changed."""
        blit = self.blit
        if blit.background is None or blit.key != xmax:
            for ax, *_ in self.items:
                ax.set_xlim(0, xmax)
            out = blit.frame(xmax, dynamic)
            renderer = blit.canvas.get_renderer()
            self.boxes = {id(ax): ax.get_tightbbox(renderer) for ax, *_ in self.items}
            return out
        if not changed:
            return blit.frame(xmax, dynamic)
        canvas = blit.canvas
        canvas.restore_region(blit.background)
        renderer = canvas.get_renderer()
        for a in dynamic:
            a.set_visible(False)
        try:
            cleared: list[Bbox] = []
            for ax in changed:
                box = ax.get_tightbbox(renderer)
                old = self.boxes.get(id(ax))
                clear = Bbox.union([box, old]) if old is not None else box
                for _ in range(3):  # a panel's title can move when its tick labels change: clear until it holds
                    Rectangle((clear.x0 - 3, clear.y0 - 3), clear.width + 6, clear.height + 6, transform=None,
                              facecolor=self.fig.get_facecolor(), edgecolor="none").draw(renderer)
                    ax.draw(renderer)
                    drawn = ax.get_tightbbox(renderer)
                    if clear.containsx(drawn.x0) and clear.containsx(drawn.x1) and \
                            clear.containsy(drawn.y0) and clear.containsy(drawn.y1):
                        break
                    clear = Bbox.union([clear, drawn])
                self.boxes[id(ax)] = drawn
                cleared.append(clear.expanded(1.0, 1.0).padded(3))
            # a wide title or tick label of a cleared panel can reach into its neighbour: redraw those on top
            for ax, *_ in self.items:
                if ax not in changed and id(ax) in self.boxes and \
                        any(self.boxes[id(ax)].overlaps(c) for c in cleared):
                    ax.draw(renderer)
            title = self.fig._suptitle  # a cleared panel box may have clipped the figure's title: redraw it
            if title is not None and changed:
                tb = title.get_window_extent(renderer)
                Rectangle((tb.x0 - 2, tb.y0 - 2), tb.width + 4, tb.height + 4, transform=None,
                          facecolor=self.fig.get_facecolor(), edgecolor="none").draw(renderer)
                title.draw(renderer)
            blit.background = canvas.copy_from_bbox(self.fig.bbox)
        finally:
            for a in dynamic:
                a.set_visible(True)
        for a in dynamic:
            a.draw(renderer)
        return encode(canvas)


def charts_png(run) -> bytes:
    """PNG of the indicator charts of a run (renderer kept on the run)."""
    if run is None or not run.ok:
        return message_png("no model", ChartsRenderer.WIDTH_PX / DPI)
    cache = run.__dict__.setdefault("_viz_renderers", {})
    if "charts" not in cache:
        cache["charts"] = ChartsRenderer(run)
    return cache["charts"].png(run)


