"""The city maps of the live page: households (or per-district composition bars) over the districts, for the
policy run or its status-quo twin, and a map of their difference by district.

Pure functions from a :class:`urbanize.viz.twin.TwinRun` to PNG bytes, testable without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from urbanize.viz.config import POINT_LIMIT
from urbanize.viz.render import DPI, FONT, Blitter, message_png

MAP_PX = 300  # width of a map image in CSS pixels (two maps and the effect table share a row)
MAP_MAX_H = 190  # height of the map itself at most: maps, legend and charts fit a 768-px screen
TITLE_PX = 34  # two 12-px lines of title above a map

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
#: colour mode -> (category labels, colours, what the categories are), for the page's HTML legend
CATEGORY_STYLES = {
    "type": (TYPE_LABELS, TYPE_COLOURS, "household type"),
    "registration": (REG_LABELS, REG_COLOURS, "registration state"),
    "school": (SCHOOL_LABELS, SCHOOL_COLOURS, "children's schooling"),
    "housing": (HOUSING_LABELS, HOUSING_COLOURS, "housing"),
}


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


class MapRenderer:
    """The city's districts with households drawn individually (small runs) or per district (large runs)."""

    def __init__(self, city: str) -> None:
        from urbanize.model.city import load_city

        self.profile = profile = load_city(city)
        w, h = profile.width, profile.height
        scale = min((MAP_PX - 4) / w, MAP_MAX_H / h)  # the grid's aspect within MAP_PX x MAP_MAX_H
        map_w, map_h = w * scale, h * scale
        fig_h = map_h + 4 + TITLE_PX
        self.fig = Figure(figsize=(MAP_PX / DPI, fig_h / DPI), dpi=DPI)
        self.blit = Blitter(self.fig)
        self.ax = ax = self.fig.add_axes(((MAP_PX - map_w) / 2 / MAP_PX, 2 / fig_h, map_w / MAP_PX, map_h / fig_h))
        ax.set_axis_off()
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
        assert best is not None  # a district has at least one cell
        _, cx, cy, length = best
        return float(cx), float(cy), float(min(6.0, max(1.5, length - 0.4)))

    def png(self, run, colour_by: str = "type", layer: str = "auto", which: str = "main") -> bytes:
        pop = (run.twin if which == "twin" else run.main).pop
        cats = household_categories(pop, colour_by)
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
            mode = f"{n:,} households by {cats.title}"
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
                dynamic.append(ax.text(cx, cy + 0.55, _thousands(households[d.index]), ha="center", va="bottom",
                                       fontsize=FONT))
            dynamic.insert(0, ax.add_collection(PatchCollection(rects, facecolors=colours, linewidths=0)))
            mode = ("school-age families by district" if cats.skip_in_districts
                    else "households by district (bar labels: households)")
        title = f"{'Status quo (twin)' if which == 'twin' else 'Chosen policies'}, month {run.month}\n{mode}"
        dynamic.append(ax.text(0.5, 1.01, title, ha="center", va="bottom", fontsize=FONT, transform=ax.transAxes,
                               linespacing=1.2))
        try:
            return self.blit.frame(("map", cats.title), dynamic)
        finally:
            for a in dynamic:
                a.remove()


def _thousands(households: float) -> str:
    return f"{households / 1000:,.0f}k" if households >= 1000 else f"{households:,.0f}"


def map_png(run, colour_by: str = "type", layer: str = "auto", which: str = "main") -> bytes:
    """PNG of the city map of one run of a TwinRun (``which``: "main", the policies, or "twin", the status
    quo); the renderer is kept on the run, so later frames only redraw households."""
    if run is None or not run.ok:
        return message_png("no model", MAP_PX / DPI, 200 / DPI)
    if which == "twin" and run.twin is None:
        return message_png("no twin run:\nthe chosen package is the status quo\nor the twin is off", MAP_PX / DPI,
                           200 / DPI)
    cache = run.__dict__.setdefault("_viz_renderers", {})
    key = ("map", run.config.city, which)
    if key not in cache:
        cache[key] = MapRenderer(run.config.city)
    return cache[key].png(run, colour_by, layer, which)


#: The share each colour mode's difference map compares, as (codes counted, codes of the denominator, label).
#: Assumed: one share per mode that a policy aims to move (registration, public schooling, public rental...).
FOCUS = {
    "type": ((0,), None, "migrant households, %"),
    "registration": ((1, 2, 3, 4), (0, 1, 2, 3, 4), "registered or urban hukou, %"),
    "school": ((1,), (1, 2, 3), "families with all pupils in public school, %"),
    "housing": ((3,), None, "households in public rental, %"),
}


def district_shares(run, which: str, colour_by: str) -> np.ndarray:
    """Per district, the weighted share (in %) of households in the colour mode's focus (``FOCUS``); NaN where a
    district has no household in the denominator."""
    model = run.twin if which == "twin" else run.main
    pop = model.pop
    codes = household_categories(pop, colour_by).codes
    num_codes, den_codes, _ = FOCUS[colour_by]
    weight = np.asarray(pop.weight, dtype=np.float64)
    district = np.asarray(pop.district, dtype=np.int64)
    k = len(model.profile.districts)
    in_den = np.isin(codes, den_codes) if den_codes is not None else np.ones(codes.shape, dtype=bool)
    num = np.bincount(district, weights=weight * (np.isin(codes, num_codes) & in_den), minlength=k)
    den = np.bincount(district, weights=weight * in_den, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), np.nan)


class DifferenceRenderer:
    """Districts coloured by the policies' effect on the colour mode's focus share (policies - status quo, in
    points; blue: higher under the policies, red: lower), the value written in each district."""

    def __init__(self, city: str) -> None:
        self.base = MapRenderer(city)
        self.profile = self.base.profile
        w, h = self.profile.width, self.profile.height
        self.district_of = np.full((h, w), -1, dtype=np.int64)
        for d in self.profile.districts:
            for x, y in d.cells:
                self.district_of[y, x] = d.index

    def png(self, run, colour_by: str = "type") -> bytes:
        diff = district_shares(run, "main", colour_by) - district_shares(run, "twin", colour_by)
        diff = np.where(np.abs(diff) < 1e-9, 0.0, diff)  # zero shown as zero, never -1e-14
        ax = self.base.ax
        limit = max(1.0, float(np.nanmax(np.abs(diff))) if np.isfinite(diff).any() else 1.0)
        grid = np.where(self.district_of >= 0, diff[np.clip(self.district_of, 0, None)], np.nan)
        w, h = self.profile.width, self.profile.height
        dynamic: list = [ax.imshow(np.ma.masked_invalid(grid), origin="lower", cmap="RdBu", vmin=-limit,
                                   vmax=limit, extent=(0, w, 0, h), interpolation="nearest", alpha=0.85)]
        for d, (cx, cy, _) in zip(self.profile.districts, self.base.centres, strict=True):
            v = diff[d.index]
            if np.isfinite(v):
                dynamic.append(ax.text(cx, cy, f"{v:+.1f}" if v else "0", ha="center", va="center", fontsize=FONT))
        title = f"Policies - status quo, month {run.month}\n{FOCUS[colour_by][2]} (points)"
        dynamic.append(ax.text(0.5, 1.01, title, ha="center", va="bottom", fontsize=FONT, transform=ax.transAxes,
                               linespacing=1.2))
        try:
            return self.base.blit.frame(("difference",), dynamic)
        finally:
            for a in dynamic:
                a.remove()


def difference_png(run, colour_by: str = "type") -> bytes:
    """PNG of the difference map of a TwinRun (a message when there is no twin to compare with)."""
    if run is None or not run.ok:
        return message_png("no model", MAP_PX / DPI, 200 / DPI)
    if run.twin is None:
        return message_png("no difference to show:\nthere is no status-quo twin", MAP_PX / DPI, 200 / DPI)
    cache = run.__dict__.setdefault("_viz_renderers", {})
    key = ("difference", run.config.city)
    if key not in cache:
        cache[key] = DifferenceRenderer(run.config.city)
    return cache[key].png(run, colour_by)


