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
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from viz.config import POINT_LIMIT

DPI = 72

# --- categories households are coloured by ---------------------------------------------------------------
TYPE_LABELS = ("migrant", "local farmer", "urban poor", "urban resident")
TYPE_COLOURS = ("#e6550d", "#31a354", "#756bb1", "#3182bd")
REG_LABELS = ("unregistered", "registered", "residence permit", "hukou applicant", "local urban hukou",
              "local rural hukou")
REG_COLOURS = ("#d62728", "#ff7f0e", "#bcbd22", "#17becf", "#1f77b4", "#2ca02c")
SCHOOL_LABELS = ("no child of school age", "all children in school", "a child without a place")
SCHOOL_COLOURS = ("#c7c7c7", "#2ca02c", "#d62728")
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


def household_categories(pop, colour_by: str) -> Categories:
    """Category of every household row for a colour mode (type, registration, school, housing)."""
    match colour_by:
        case "type":
            return Categories(np.asarray(pop.htype, dtype=np.int64), TYPE_LABELS, TYPE_COLOURS, "household type")
        case "registration":
            return Categories(np.asarray(pop.reg, dtype=np.int64), REG_LABELS, REG_COLOURS, "registration state")
        case "school":
            school_age = np.asarray(pop.kids_6_11, dtype=np.int64) + np.asarray(pop.kids_12_14, dtype=np.int64)
            unschooled = np.asarray(pop.unschooled, dtype=np.int64)
            codes = np.where(school_age == 0, 0, np.where(unschooled > 0, 2, 1))
            return Categories(codes, SCHOOL_LABELS, SCHOOL_COLOURS, "children's schooling")
        case "housing":
            return Categories(np.asarray(pop.residence, dtype=np.int64), HOUSING_LABELS, HOUSING_COLOURS,
                              "housing")
        case _:
            raise ValueError(f"unknown colour mode '{colour_by}'; valid: type, registration, school, housing")


def _jitter(uid: np.ndarray, salt: int) -> np.ndarray:
    """A stable offset in [0.1, 0.9) per household and axis (a splitmix64 hash of the id, display only: it
    never touches the model's random stream)."""
    with np.errstate(over="ignore"):
        z = uid.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15) * np.uint64(salt + 1)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return 0.1 + 0.8 * (z >> np.uint64(11)).astype(np.float64) / float(2**53)


def map_figure(run, colour_by: str = "type", layer: str = "auto") -> Figure:
    """The city's districts with households drawn individually (small runs) or per district (large runs)."""
    from model.city import load_city

    fig = Figure(figsize=(6.4, 4.2), dpi=DPI)
    ax = fig.add_axes((0.01, 0.12, 0.98, 0.80))
    ax.set_axis_off()
    if run is None or not run.ok:
        ax.text(0.5, 0.5, "no model", ha="center", va="center", transform=ax.transAxes)
        return fig
    profile = load_city(run.config.city)
    w, h = profile.width, profile.height
    kind = np.zeros((h, w), dtype=np.int64)
    district_of = np.zeros((h, w), dtype=np.int64)
    for d in profile.districts:
        for x, y in d.cells:
            kind[y, x] = int(d.kind)
            district_of[y, x] = d.index
    ax.imshow(kind, origin="lower", cmap=ListedColormap(KIND_COLOURS), vmin=-0.5, vmax=len(KIND_COLOURS) - 0.5,
              extent=(0, w, 0, h), interpolation="nearest")
    # district borders: where neighbouring cells belong to different districts
    ys, xs = np.nonzero(district_of[:, 1:] != district_of[:, :-1])
    segs_v = [((x + 1, y), (x + 1, y + 1)) for y, x in zip(ys, xs, strict=True)]
    ys, xs = np.nonzero(district_of[1:, :] != district_of[:-1, :])
    segs_h = [((x, y + 1), (x + 1, y + 1)) for y, x in zip(ys, xs, strict=True)]
    from matplotlib.collections import LineCollection

    ax.add_collection(LineCollection(segs_v + segs_h, colors="#555555", linewidths=1.0))
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)

    pop = run.main.pop
    cats = household_categories(pop, colour_by)
    n = int(pop.n)
    draw_points = layer == "households" or (layer == "auto" and n <= POINT_LIMIT)
    colours = np.array(cats.colours)
    if draw_points and n:
        uid = np.asarray(pop.uid)
        x = np.asarray(pop.cell_x, dtype=np.float64) + _jitter(uid, 1)
        y = np.asarray(pop.cell_y, dtype=np.float64) + _jitter(uid, 2)
        ax.scatter(x, y, s=4 if n > 1000 else 9, c=colours[np.clip(cats.codes, 0, len(colours) - 1)],
                   linewidths=0, alpha=0.85)
        mode = f"{n:,} households"
    else:
        weight = np.asarray(pop.weight, dtype=np.float64)
        district = np.asarray(pop.district, dtype=np.int64)
        k = len(cats.labels)
        comp = np.zeros((len(profile.districts), k))
        np.add.at(comp, (district, np.clip(cats.codes, 0, k - 1)), weight)
        for d in profile.districts:
            total = comp[d.index].sum()
            cells = np.array(d.cells, dtype=np.float64)
            cx, cy = cells[:, 0].mean() + 0.5, cells[:, 1].mean() + 0.5
            bw = min(6.0, max(2.5, np.sqrt(len(d.cells))))
            left = cx - bw / 2
            for j in range(k):
                share = comp[d.index, j] / total if total else 0.0
                if share > 0:
                    ax.add_patch(_rect(left, cy - 0.45, bw * share, 0.9, cats.colours[j]))
                    left += bw * share
            ax.add_patch(_rect(cx - bw / 2, cy - 0.45, bw, 0.9, "none", edge="#333333"))
            ax.text(cx, cy + 0.7, f"{d.code}  {total / 1000:,.0f}k hh", ha="center", va="bottom", fontsize=8)
        mode = "district composition (weighted)"
    ax.set_title(f"{profile.display_name}, month {run.month}: {cats.title} - {mode}", fontsize=10)
    handles = [Patch(color=c, label=lab) for c, lab in zip(cats.colours, cats.labels, strict=True)]
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 3), fontsize=8, frameon=False)
    return fig


def _rect(x: float, y: float, w: float, h: float, colour: str, edge: str | None = None):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=colour, edgecolor=edge or "none", linewidth=0.8 if edge else 0)


# --- indicator charts -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Panel:
    title: str
    columns: tuple[str, ...]  # exact names, or a prefix ending in "_" for a family of columns
    scale: float = 1.0
    unit: str = ""


PANELS = (
    Panel("Migrant registration rate", ("registration_rate",), 100.0, "%"),
    Panel("Hukou conversions (cumulative)", ("hukou_conversions",), 1e-3, "thousand"),
    Panel("Migrant children in public school", ("migrant_children_public_school_share",), 100.0, "%"),
    Panel("Primary class size", ("avg_class_size_primary",), 1.0, "pupils"),
    Panel("Public rental coverage", ("public_rental_households",), 1e-3, "thousand households"),
    Panel("Fiscal spending by sector", ("fiscal_spend_",), 1e-6, "million yuan/month"),
    Panel("Access gap by service (urban - migrant)", ("access_gap_",), 100.0, "points"),
    Panel("Settlement intention", ("settlement_intention",), 100.0, "%"),
)


def panel_columns(panel: Panel, df: pd.DataFrame) -> list[str]:
    """Columns of ``df`` a panel plots (for a family: every ``prefix*`` column but the total)."""
    out = []
    for c in panel.columns:
        if c.endswith("_"):
            out += [col for col in df.columns if col.startswith(c) and not col.endswith("_total")
                    and not col.endswith("per_resident")]
        elif c in df.columns:
            out.append(c)
    return out


def effect_table(run) -> pd.DataFrame:
    """Latest month of every charted indicator: policy run, status-quo twin and their difference."""
    rows = []
    main = run.indicators("main") if run is not None and run.ok else None
    twin = run.indicators("twin") if run is not None and run.ok else None
    if main is None or main.empty:
        return pd.DataFrame(columns=["indicator", "unit", "policies", "status quo", "difference"])
    for panel in PANELS:
        for col in panel_columns(panel, main):
            a = float(main[col].iloc[-1]) * panel.scale
            b = float(twin[col].iloc[-1]) * panel.scale if twin is not None and col in twin else np.nan
            rows.append({"indicator": col, "unit": panel.unit, "policies": a, "status quo": b,
                         "difference": a - b})
    return pd.DataFrame(rows)


def charts_figure(run, panels: tuple[Panel, ...] = PANELS) -> Figure:
    """Indicator panels over the months: policy run (solid), status-quo twin (dashed), gap shaded."""
    ncols = 4
    nrows = (len(panels) + ncols - 1) // ncols
    fig = Figure(figsize=(13.0, 3.0 * nrows), dpi=DPI)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    fig.subplots_adjust(left=0.05, right=0.99, top=0.9, bottom=0.1, wspace=0.28, hspace=0.55)
    main = run.indicators("main") if run is not None and run.ok else None
    twin = run.indicators("twin") if run is not None and run.ok else None
    for ax, panel in zip(axes.flat, panels, strict=False):
        ax.set_title(panel.title, fontsize=10)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        cols = panel_columns(panel, main) if main is not None else []
        if not cols:
            ax.text(0.5, 0.5, "not reported by the model", ha="center", va="center", fontsize=8,
                    color="#888888", transform=ax.transAxes)
            continue
        x = main["month"].to_numpy() if "month" in main else np.arange(len(main))
        family = len(cols) > 1 or panel.columns[0].endswith("_")
        for i, col in enumerate(cols):
            colour = f"C{i}"
            y = main[col].to_numpy(dtype=np.float64) * panel.scale
            label = col.removeprefix(panel.columns[0]) if family else "policies"
            ax.plot(x, y, color=colour, lw=1.6, label=label)
            if twin is not None and col in twin:
                tx = twin["month"].to_numpy() if "month" in twin else np.arange(len(twin))
                ty = twin[col].to_numpy(dtype=np.float64) * panel.scale
                ax.plot(tx, ty, color=colour, lw=1.2, ls="--", alpha=0.8,
                        label=None if family else "status quo")
                if not family and len(tx) == len(x):
                    ax.fill_between(x, y, ty, color=colour, alpha=0.15, lw=0)
        ax.set_ylabel(panel.unit, fontsize=8)
        if family or twin is not None:
            ax.legend(fontsize=7, loc="best", frameon=False)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_axis_off()
    title = "Indicators by month"
    if twin is not None:
        title += "  -  solid: chosen policies, dashed: status quo (same seed), shaded: the difference"
    fig.suptitle(title, fontsize=10)
    return fig


def png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return buf.getvalue()
