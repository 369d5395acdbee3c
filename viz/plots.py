"""Matplotlib figures of the live page: the city map and the indicator charts (main run against its twin).

Pure functions from a :class:`viz.twin.TwinRun` to a ``matplotlib.figure.Figure`` (no pyplot, so figures are
thread-safe and never leak), testable without a browser. Figures are drawn small and at low dpi: the browser
receives one PNG per figure per step.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox
from PIL import Image

from urbanize.viz.config import POINT_LIMIT

DPI = 72

# --- categories households are coloured by ---------------------------------------------------------------
TYPE_LABELS = ("migrant", "local farmer", "urban poor", "urban resident")
TYPE_COLOURS = ("#e6550d", "#31a354", "#756bb1", "#3182bd")
REG_LABELS = ("unregistered", "registered", "residence permit", "hukou applicant", "local urban hukou",
              "local rural hukou")
REG_COLOURS = ("#d62728", "#ff7f0e", "#bcbd22", "#17becf", "#1f77b4", "#2ca02c")
SCHOOL_LABELS = ("no child of school age", "public school", "private migrant school", "a child without a place")
SCHOOL_COLOURS = ("#c7c7c7", "#2ca02c", "#ff7f0e", "#d62728")
HOUSING_LABELS = ("dormitory", "urban-village rental", "private rental", "public rental", "owned", "resettlement")
HOUSING_COLOURS = ("#8c564b", "#e377c2", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd")
KIND_COLOURS = ("#f2e6d9", "#f9d9d9", "#e3eefa", "#ececec", "#e5f2df")  # DistrictKind order
KIND_LABELS = ("urban core", "urban village", "new town", "industrial park", "rural township")


@dataclass(frozen=True)
class Categories:
    codes: np.ndarray  # category per household row
    labels: tuple[str, ...]
    colours: tuple[str, ...]
    title: str
    skip_in_districts: tuple[int, ...] = ()  # categories left out of the per-district composition


def household_categories(pop, colour_by: str) -> Categories:
    """Category of every household row for a colour mode (type, registration, school, housing)."""
    match colour_by:
        case "type":
            return Categories(np.asarray(pop.htype, dtype=np.int64), TYPE_LABELS, TYPE_COLOURS, "household type")
        case "registration":
            return Categories(np.asarray(pop.reg, dtype=np.int64), REG_LABELS, REG_COLOURS, "registration state")
        case "school":
            return Categories(_school_codes(pop), SCHOOL_LABELS, SCHOOL_COLOURS, "children's schooling", (0,))
        case "housing":
            return Categories(np.asarray(pop.residence, dtype=np.int64), HOUSING_LABELS, HOUSING_COLOURS,
                              "housing")
        case _:
            raise ValueError(f"unknown colour mode '{colour_by}'; valid: type, registration, school, housing")


def _school_codes(pop) -> np.ndarray:
    """0 no child of compulsory age, 1 all in public school, 2 some in a private migrant school, 3 some without
    a place (the services' ``use_*`` columns when the model has them, else its ``unschooled`` count)."""
    school_age = np.asarray(pop.kids_6_11, dtype=np.int64) + np.asarray(pop.kids_12_14, dtype=np.int64)
    cols = pop.columns
    public = np.zeros_like(school_age)
    for name in ("use_primary_school", "use_junior_school"):
        if name in cols:
            public = public + np.asarray(pop.col(name), dtype=np.int64)
    private = (np.asarray(pop.col("use_private_migrant_school"), dtype=np.int64)
               if "use_private_migrant_school" in cols else np.zeros_like(school_age))
    if "use_primary_school" in cols:
        without = school_age - public - private > 0
    else:
        without = np.asarray(pop.unschooled, dtype=np.int64) > 0
    return np.select([school_age == 0, without, private > 0], [0, 3, 2], default=1)


def _jitter(uid: np.ndarray, salt: int) -> np.ndarray:
    """A stable offset in [0.1, 0.9) per household and axis (a splitmix64 hash of the id, display only: it
    never touches the model's random stream)."""
    with np.errstate(over="ignore"):
        z = uid.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15) * np.uint64(salt + 1)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return 0.1 + 0.8 * (z >> np.uint64(11)).astype(np.float64) / float(2**53)


def _encode(canvas) -> bytes:
    """The canvas as PNG, fast compression (the browser gets one per figure per step)."""
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
    return buf.getvalue()


class _Blitter:
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
        return _encode(self.canvas)


class MapRenderer:
    """The city's districts with households drawn individually (small runs) or per district (large runs)."""

    def __init__(self, city: str) -> None:
        from urbanize.model.city import load_city

        self.profile = profile = load_city(city)
        self.fig = Figure(figsize=(6.4, 4.2), dpi=DPI)
        self.blit = _Blitter(self.fig)
        self.ax = ax = self.fig.add_axes((0.01, 0.12, 0.98, 0.80))
        ax.set_axis_off()
        w, h = profile.width, profile.height
        kind = np.zeros((h, w), dtype=np.int64)
        district_of = np.zeros((h, w), dtype=np.int64)
        for d in profile.districts:
            for x, y in d.cells:
                kind[y, x] = int(d.kind)
                district_of[y, x] = d.index
        ax.imshow(kind, origin="lower", cmap=ListedColormap(KIND_COLOURS), vmin=-0.5,
                  vmax=len(KIND_COLOURS) - 0.5, extent=(0, w, 0, h), interpolation="nearest")
        # district borders: where neighbouring cells belong to different districts
        ys, xs = np.nonzero(district_of[:, 1:] != district_of[:, :-1])
        segs = [((x + 1, y), (x + 1, y + 1)) for y, x in zip(ys, xs, strict=True)]
        ys, xs = np.nonzero(district_of[1:, :] != district_of[:-1, :])
        segs += [((x, y + 1), (x + 1, y + 1)) for y, x in zip(ys, xs, strict=True)]
        ax.add_collection(LineCollection(segs, colors="#555555", linewidths=1.0))
        ax.set_xlim(0, w)
        ax.set_ylim(0, h)
        self.centres = [self._anchor(d) for d in profile.districts]
        self.legend = None
        self.legend_mode = None

    @staticmethod
    def _anchor(district) -> tuple[float, float, float]:
        """Where a district's composition bar goes: centred on the district's longest horizontal run of cells
        (ring-shaped districts such as urban villages around a core have their centroid outside themselves),
        preferring runs near the district's centroid; returns (x centre, y centre, bar width)."""
        cells = np.array(district.cells, dtype=np.int64)
        cy_mean = cells[:, 1].mean()
        best = None
        for y in np.unique(cells[:, 1]):
            xs = np.sort(cells[cells[:, 1] == y, 0])
            breaks = np.nonzero(np.diff(xs) > 1)[0]
            starts = np.concatenate([[0], breaks + 1])
            ends = np.concatenate([breaks, [len(xs) - 1]])
            for a, b in zip(starts, ends, strict=True):
                length = xs[b] - xs[a] + 1
                score = (min(length, 7), -abs(y - cy_mean))
                if best is None or score > best[0]:
                    best = (score, (xs[a] + xs[b] + 1) / 2.0, y + 0.5, length)
        _, cx, cy, length = best
        return float(cx), float(cy), float(min(6.0, max(1.5, length - 0.4)))

    def _set_legend(self, cats: Categories) -> None:
        if self.legend_mode == cats.title:
            return
        if self.legend is not None:
            self.legend.remove()
        handles = [Patch(color=c, label=lab) for c, lab in zip(cats.colours, cats.labels, strict=True)]
        self.legend = self.fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 3), fontsize=8,
                                      frameon=False)
        self.legend_mode = cats.title

    def png(self, run, colour_by: str = "type", layer: str = "auto") -> bytes:
        pop = run.main.pop
        cats = household_categories(pop, colour_by)
        self._set_legend(cats)
        n = int(pop.n)
        draw_points = layer == "households" or (layer == "auto" and n <= POINT_LIMIT)
        dynamic: list = []
        ax = self.ax
        if draw_points:
            uid = np.asarray(pop.uid)
            xy = np.column_stack([np.asarray(pop.cell_x, dtype=np.float64) + _jitter(uid, 1),
                                  np.asarray(pop.cell_y, dtype=np.float64) + _jitter(uid, 2)])
            colours = np.array(cats.colours)[np.clip(cats.codes, 0, len(cats.colours) - 1)]
            dots = ax.scatter(xy[:, 0], xy[:, 1], s=4 if n > 1000 else 9, c=colours, linewidths=0, alpha=0.85)
            dynamic.append(dots)
            mode = f"{n:,} households"
        else:
            weight = np.asarray(pop.weight, dtype=np.float64)
            district = np.asarray(pop.district, dtype=np.int64)
            k = len(cats.labels)
            comp = np.zeros((len(self.profile.districts), k))
            np.add.at(comp, (district, np.clip(cats.codes, 0, k - 1)), weight)
            households = comp.sum(axis=1)
            comp[:, list(cats.skip_in_districts)] = 0.0
            rects, colours = [], []
            for d, (cx, cy, bw) in zip(self.profile.districts, self.centres, strict=True):
                total = comp[d.index].sum()
                left = cx - bw / 2
                for j in range(k):
                    share = comp[d.index, j] / total if total else 0.0
                    if share > 0:
                        rects.append(Rectangle((left, cy - 0.45), bw * share, 0.9))
                        colours.append(cats.colours[j])
                        left += bw * share
                frame = Rectangle((cx - bw / 2, cy - 0.45), bw, 0.9, facecolor="none", edgecolor="#333333", lw=0.8)
                dynamic.append(ax.add_patch(frame))
                dynamic.append(ax.text(cx, cy + 0.55, f"{d.code} {households[d.index] / 1000:,.0f}k hh", ha="center",
                                       va="bottom", fontsize=7))
            dynamic.insert(0, ax.add_collection(PatchCollection(rects, facecolors=colours, linewidths=0)))
            mode = "by district, school-age families" if cats.skip_in_districts else "by district (weighted)"
        title = f"{self.profile.display_name}, month {run.month}: {cats.title} - {mode}"
        dynamic.append(ax.text(0.5, 1.02, title, ha="center", va="bottom", fontsize=10, transform=ax.transAxes))
        try:
            return self.blit.frame(("map", cats.title), dynamic)
        finally:
            for a in dynamic:
                a.remove()


def map_png(run, colour_by: str = "type", layer: str = "auto") -> bytes:
    """PNG of the city map of a run (renderer kept on the run, so later frames only redraw households)."""
    if run is None or not run.ok:
        return _message_png("no model")
    cache = run.__dict__.setdefault("_viz_renderers", {})
    key = ("map", run.config.city)
    if key not in cache:
        cache[key] = MapRenderer(run.config.city)
    return cache[key].png(run, colour_by, layer)


def _message_png(text: str) -> bytes:
    fig = Figure(figsize=(6.4, 1.0), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, ha="center", va="center")
    canvas.draw()
    return _encode(canvas)


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
PANELS = (
    Panel("Migrant registration rate", ("registration_rate",), 100.0, "%"),
    Panel("Hukou conversions (cumulative)", ("hukou_conversions",), 1e-3, "thousand"),
    Panel("Settlement intention (migrants)", ("settlement_intention",), 100.0, "%"),
    Panel("Urbanization gap (residence - hukou)", ("urbanization_gap",), 100.0, "points"),
    Panel("Migrant children in public school", ("migrant_children_public_school_share",), 100.0, "%"),
    Panel("Primary class size", ("avg_class_size_primary",), 1.0, "pupils"),
    Panel("Public rental coverage", ("public_rental_households",), 1e-3, "thousand households"),
    Panel("Fiscal spending by sector", ("fiscal_spend_",), 1e-6, "million yuan/month"),
    Panel("Access gap: schools (local - migrant)",
          tuple(_GAP + s for s in ("primary_school", "junior_school", "private_migrant_school")), 100.0, "points",
          _GAP),
    Panel("Access gap: health, community, training",
          tuple(_GAP + s for s in ("child_health", "maternal_health", "community_centre", "training")), 100.0,
          "points", _GAP),
    Panel("Access gap: housing, assistance",
          tuple(_GAP + s for s in ("public_rental", "dibao", "hardship_aid", "pension", "medical_insurance")),
          100.0, "points", _GAP),
    Panel("Migrant access index", ("migrant_access_index",), 100.0, "%"),
)


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


#: Indicators of the effect table (those the model reports), with scale and unit.
HEADLINE = (
    ("registration_rate", 100.0, "%"),
    ("hukou_conversions", 1e-3, "thousand"),
    ("settlement_intention", 100.0, "%"),
    ("migrant_children_public_school_share", 100.0, "%"),
    ("avg_class_size_primary", 1.0, "pupils"),
    ("public_rental_households", 1e-3, "thousand hh"),
    ("fiscal_spend_total", 1e-6, "M yuan/month"),
    ("fiscal_spend_per_resident", 1.0, "yuan/month"),
    ("migrant_access_index", 100.0, "%"),
    ("urbanization_gap", 100.0, "points"),
)


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
        return pd.DataFrame(columns=["indicator", "unit", "policies", "status quo", "difference"])
    if everything:
        items = [(col, p.scale, p.unit) for p in PANELS for col in panel_columns(p, main)]
    else:
        items = [(c, sc, u) for c, sc, u in HEADLINE if c in main]
    for col, scale, unit in items:
        a = _latest(main, col, scale)
        b = _latest(twin, col, scale)
        rows.append({"indicator": col, "unit": unit, "policies": a, "status quo": b, "difference": a - b})
    return pd.DataFrame(rows)


class ChartsRenderer:
    """Indicator panels over the months: policy run (solid), status-quo twin (dashed), the gap shaded.

    Axes limits move in steps (x: whole years; y: with headroom) so that most months only the lines are redrawn.
    """

    NCOLS = 4

    def __init__(self, run, panels: tuple[Panel, ...] = PANELS) -> None:
        main = run.indicators("main")
        twin = run.indicators("twin")
        self.panels = panels
        nrows = (len(panels) + self.NCOLS - 1) // self.NCOLS
        self.fig = Figure(figsize=(13.0, 2.6 * nrows), dpi=DPI)
        self.blit = _Blitter(self.fig)
        axes = self.fig.subplots(nrows, self.NCOLS, squeeze=False)
        self.fig.subplots_adjust(left=0.05, right=0.99, top=0.92, bottom=0.06, wspace=0.28, hspace=0.5)
        self.items: list[tuple] = []  # (ax, panel, columns, main lines, twin lines)
        for ax, panel in zip(axes.flat, panels, strict=False):
            ax.set_title(panel.title, fontsize=10)
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(5))
            cols = panel_columns(panel, main) if main is not None else []
            if not cols:
                ax.text(0.5, 0.5, "not reported by the model", ha="center", va="center", fontsize=8,
                        color="#888888", transform=ax.transAxes)
                continue
            family = len(panel.columns) > 1 or panel.columns[0].endswith("_")
            mains, twins = [], []
            for i, col in enumerate(cols):
                colour = f"C{i % 10}"
                label = panel.label(col) if family else "policies"
                (line,) = ax.plot([], [], color=colour, lw=1.6, label=label)
                mains.append(line)
                if twin is not None and col in twin:
                    (tl,) = ax.plot([], [], color=colour, lw=1.2, ls="--", alpha=0.8,
                                    label=None if family else "status quo")
                    twins.append(tl)
            ax.set_ylabel(panel.unit, fontsize=8)
            if family:
                ax.legend(fontsize=6, loc="upper left", ncol=2, framealpha=0.6, handlelength=1.2,
                          columnspacing=0.8, borderpad=0.3, labelspacing=0.2)
            elif twin is not None:
                ax.legend(fontsize=7, loc="upper left", frameon=False)
            ax.set_xlim(0, 12)
            self.items.append((ax, panel, cols, family, mains, twins))
        for ax in list(axes.flat)[len(panels):]:
            ax.set_axis_off()
        title = "Indicators by month"
        if twin is not None:
            title += "  -  solid: chosen policies, dashed: status quo (same seed), shaded: the difference"
        self.fig.suptitle(title, fontsize=10)
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
        span = max(hi - lo, abs(hi) * 0.1, abs(lo) * 0.1, 1e-6)
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
        return _encode(canvas)


def charts_png(run) -> bytes:
    """PNG of the indicator charts of a run (renderer kept on the run)."""
    if run is None or not run.ok:
        return _message_png("no model")
    cache = run.__dict__.setdefault("_viz_renderers", {})
    if "charts" not in cache:
        cache["charts"] = ChartsRenderer(run)
    return cache["charts"].png(run)


def png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return buf.getvalue()
