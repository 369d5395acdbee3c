"""Analyst-grade reports: p-values and their Benjamini-Hochberg adjustment against a direct scipy computation,
intervals that respect an outcome's bounds, units and calendar years on the figures' axes, readable numbers, and
one self-contained HTML report per sweep or comparison."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sweep_helpers import write_spec

from urbanize.experiments import figures
from urbanize.experiments.analysis import adjust_comparisons, paired_differences, summarize
from urbanize.experiments.cli import main
from urbanize.experiments.compare import format_table
from urbanize.experiments.outcomes import fmt, month_label, outcome_info
from urbanize.experiments.report import write_report
from urbanize.experiments.spec import load_spec
from urbanize.experiments.stats import bounded_ci
from urbanize.experiments.sweep import run_sweep

E_NOTATION = re.compile(r"\d[eE][+-]?\d")


def hand_table() -> pd.DataFrame:
    """3 packages x 4 replicates x 2 months, two outcomes, made up by hand."""
    y = {
        0: [10.0, 12.0, 11.0, 13.0],
        1: [11.0, 12.5, 12.0, 14.5],
        2: [10.0, 12.1, 10.9, 13.2],
    }
    z = {0: [0.30, 0.32, 0.31, 0.35], 1: [0.30, 0.36, 0.33, 0.35], 2: [0.40, 0.41, 0.43, 0.44]}
    rows = []
    for month in (6, 12):
        for point in (0, 1, 2):
            for r in range(4):
                shift = 0.5 * point * (month == 12)
                rows.append(
                    {"point": point, "replicate": r, "month": month, "y": y[point][r] + shift, "z": z[point][r]}
                )
    return pd.DataFrame(rows)


def test_p_values_and_bh_adjustment_match_scipy() -> None:
    df = hand_table()
    table = adjust_comparisons(paired_differences(df, 0, [1, 2], ["y", "z"], months=[6, 12]))
    assert len(table) == 8
    for month, family in table.groupby("month"):
        expected_p = []
        for r in family.itertuples():
            a = df[(df.point == r.point) & (df.month == month)].sort_values("replicate")[r.outcome].to_numpy()
            b = df[(df.point == 0) & (df.month == month)].sort_values("replicate")[r.outcome].to_numpy()
            expected_p.append(stats.ttest_rel(a, b).pvalue)
        np.testing.assert_allclose(family["p_value"], expected_p, rtol=1e-12)
        # one family per month: all outcomes and packages at that month
        np.testing.assert_allclose(
            family["p_adjusted"], stats.false_discovery_control(expected_p, method="bh"), rtol=1e-12
        )
        assert (family["p_adjust_method"] == "Benjamini-Hochberg over 4 tests at this month").all()
    sm = pytest.importorskip("statsmodels.stats.multitest")
    month6 = table[table.month == 6]
    np.testing.assert_allclose(month6["p_adjusted"], sm.multipletests(month6["p_value"], method="fdr_bh")[1])


def test_a_package_against_itself_has_p_one_and_a_constant_shift_p_zero() -> None:
    df = pd.DataFrame(
        {"point": [0] * 3 + [1] * 3, "replicate": [0, 1, 2] * 2, "month": [6] * 6, "y": [1.0, 2, 3, 3, 4, 5]}
    )
    same = paired_differences(df, 0, [0], ["y"])
    assert same["p_value"].tolist() == [1.0]
    assert paired_differences(df, 0, [1], ["y"])["p_value"].tolist() == [0.0]


@pytest.mark.parametrize(
    ("values", "lo", "hi", "method"),
    [
        ([0.0, 0.0, 0.02], 0.0, 1.0, "bootstrap"),  # t interval would go below 0
        ([0.97, 1.0, 1.0], 0.0, 1.0, "bootstrap"),  # ... above 1
        ([0.0, 0.0, 40.0], 0.0, np.inf, "bootstrap"),  # a count
        ([0.4, 0.5, 0.45], 0.0, 1.0, "t"),  # well inside: the t interval
        ([0.0, 0.0, 0.02], -np.inf, np.inf, "t"),  # unbounded
    ],
)
def test_intervals_respect_bounds(values: list[float], lo: float, hi: float, method: str) -> None:
    low, high, used = bounded_ci(np.array(values), lo, hi)
    assert used == method
    if method == "bootstrap":
        assert min(values) <= low <= np.mean(values) <= high <= max(values)
    else:
        assert (low, high) == pytest.approx(stats.t.interval(0.95, 2, np.mean(values), stats.sem(values)))


def test_summary_of_a_share_near_zero_stays_at_or_above_zero() -> None:
    df = pd.DataFrame(
        {"point": 0, "replicate": [0, 1, 2], "month": 6, "registration_rate": [0.0, 0.0, 0.03]}
    )
    design = pd.DataFrame({"point": [0], "policies": ["status_quo"], "sample": [0]})
    (row,) = summarize(df, design, ["registration_rate"]).to_dict(orient="records")
    assert row["unit"] == "share" and row["ci_method"] == "bootstrap" and row["ci_low"] >= 0


def test_month_labels_follow_the_model_calendar() -> None:
    assert month_label(0) == "2009-01" and month_label(12) == "2010-01" and month_label(121) == "2019-02"


@pytest.mark.parametrize(
    ("x", "text"),
    [(0.0, "0"), (-1.42e-14, "0"), (0.000123456, "0.0001235"), (0.41234, "0.4123"), (1946365.4, "1,946,365"),
     (-30957.2, "-30,957"), (12.0, "12"), (float("nan"), "")],
)
def test_readable_numbers(x: float, text: str) -> None:
    assert fmt(x) == text


def test_outcome_units_bounds_and_flows_come_from_the_registry() -> None:
    assert outcome_info("registration_rate").axis_label() == "registration rate (share)"
    assert (outcome_info("registration_rate").lo, outcome_info("registration_rate").hi) == (0.0, 1.0)
    assert outcome_info("access_gap_training").lo == -1.0
    assert outcome_info("arrivals").flow and outcome_info("fiscal_spend_total").flow
    assert not outcome_info("hukou_conversions").flow and outcome_info("hukou_conversions").lo == 0.0


def _design(n: int, sampled: bool = False) -> pd.DataFrame:
    return pd.DataFrame(
        {"point": range(n), "policies": "status_quo", "sample": range(n), "arrival_rate": np.linspace(0.005, 0.02, n)}
    )


def _runs(n_points: int, outcome: str) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = [
        {"point": p, "replicate": r, "month": m, outcome: 100 + p + m + rng.normal()}
        for p in range(n_points)
        for r in range(3)
        for m in range(13)
    ]
    return pd.DataFrame(rows)


def test_trajectory_axes_carry_units_and_calendar_years_with_at_most_four_lines_a_panel() -> None:
    meta = {"city": "changshu", "households": 2000, "replicates": 3}
    fig = figures.plot_trajectories(_runs(6, "residents"), _design(6), "residents", meta=meta)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 2 and all(len(ax.get_lines()) <= figures.MAX_LINES for ax in panels)
    assert sum(len(ax.get_lines()) for ax in panels) == 6
    assert panels[0].get_ylabel() == "residents (persons)" and panels[0].get_xlabel().startswith("year")
    assert panels[0].get_lines()[0].get_xdata()[0] == 2009.0
    title = fig._suptitle.get_text()
    assert "Changshu, 2,000 households, 3 replicates" in title and "95 % CI across replicates" in title
    # a monthly flow starts at month 1: no false ramp from the month-0 zero
    flow = figures.plot_trajectories(_runs(2, "arrivals"), _design(2), "arrivals", meta=meta)
    assert flow.axes[0].get_lines()[0].get_xdata()[0] == pytest.approx(2009 + 1 / 12)
    assert flow.axes[0].get_ylabel() == "arrivals (persons/month)"


def test_sampled_designs_label_the_band_as_design_spread_not_a_ci() -> None:
    fig = figures.plot_trajectories(_runs(5, "residents"), _design(5), "residents", sampled=True)
    assert "not a CI" in fig._suptitle.get_text() and "95 % CI" not in fig._suptitle.get_text()
    assert len(fig.axes[0].get_lines()) == 1  # pooled into the package's line


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cmp") / "cmp"
    args = ["compare", "--city", "changshu", "--policies", "status_quo,changshu_pilot", "--replicates", "3",
            "--months", "6", "--households", "300", "--out", str(out), "--workers", "2", "--no-progress",
            "--outcomes", "registration_rate,residents,fiscal_spend_total,arrivals"]
    assert main(args) == 0
    return out


def _assert_self_contained(page: str, images: int) -> None:
    assert not re.search(r"https?://", page)
    assert "<script" not in page and "<link" not in page
    sources = re.findall(r"src='([^']*)'", page)
    assert len(sources) == images and all(s.startswith("data:image/png;base64,") for s in sources)


def test_comparison_writes_p_values_a_forest_plot_and_one_html(comparison: Path) -> None:
    csv_text = (comparison / "comparison.csv").read_text()
    assert not E_NOTATION.search(csv_text)
    table = pd.read_csv(comparison / "comparison.csv")
    assert {"unit", "date", "p_value", "p_adjusted", "p_adjust_method"} <= set(table.columns)
    assert table["p_adjust_method"].str.startswith("Benjamini-Hochberg").all()
    np.testing.assert_allclose(
        table["p_adjusted"], stats.false_discovery_control(table["p_value"], method="bh"), rtol=1e-6
    )
    assert not E_NOTATION.search(format_table(table))
    report = comparison / "report"
    forests = sorted(report.glob("forest_*.png"))
    assert forests
    page = (report / "report.html").read_text()
    pngs = list(report.glob("*.png"))
    _assert_self_contained(page, len(pngs))
    assert "Comparison: status_quo vs changshu_pilot" in page and "Benjamini-Hochberg" in page
    assert "Changshu, 300 households, 3 replicates" in page


def test_forest_plot_axes_name_the_difference_with_its_unit(comparison: Path) -> None:
    table = pd.read_csv(comparison / "comparison.csv")
    fig = figures.plot_forest(table, meta={"city": "changshu", "households": 300, "replicates": 3})
    labels = [ax.get_xlabel() for ax in fig.axes if ax.get_visible()]
    assert "difference in residents (persons)" in labels
    assert "difference in fiscal spend total (yuan/month)" in labels
    assert "vs status_quo at month 6 (2009-07)" in fig._suptitle.get_text()


def test_sweep_report_is_one_self_contained_html(tmp_path: Path) -> None:
    grid = {
        "name": "report_grid",
        "city": "changshu",
        "policies": ["status_quo"],
        "households": 200,
        "months": 4,
        "replicates": 2,
        "seed": 5,
        "sampler": "grid",
        "outcomes": ["registration_rate", "arrivals"],
        "parameters": {"arrival_rate": [0.005, 0.02]},
    }
    spec = load_spec(write_spec(tmp_path / "spec.toml", grid))
    out = tmp_path / "sweep"
    assert run_sweep(spec, out, workers=2, progress=False).failed == 0
    files = write_report(out, to=tmp_path / "rep")
    assert files[0].name == "report.html"
    page = files[0].read_text()
    _assert_self_contained(page, len([f for f in files if f.suffix == ".png"]))
    assert "response to arrival_rate" in page.lower()
    assert not E_NOTATION.search((tmp_path / "rep" / "summary.csv").read_text())


def test_many_packages_become_small_multiples_and_none_is_dropped() -> None:
    n = 6
    design = pd.DataFrame({"point": range(n), "policies": [f"pkg{i}" for i in range(n)], "sample": 0})
    fig = figures.plot_paired_over_time(_runs(n, "residents"), design, "residents")
    rights = fig.axes[1::2]
    labels = [line.get_label() for ax in rights for line in ax.get_lines() if "minus" in str(line.get_label())]
    assert sorted(labels) == [f"pkg{i} minus pkg0" for i in range(1, n)]
    assert all(len(ax.get_lines()) <= figures.MAX_LINES for ax in fig.axes)
    assert rights[0].get_ylabel() == "difference in residents (persons)"
    summary = pd.DataFrame(
        [
            {"policies": f"pkg{i}", "arrival_rate": a, "month": 12, "outcome": "residents", "mean": 1.0 + a,
             "ci_low": 0.5, "ci_high": 2.0}
            for i in range(n)
            for a in (0.01, 0.02)
        ]
    )
    fig = figures.plot_response(summary, "arrival_rate", "residents", param_unit="share of migrant households/month")
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert sum(len(ax.get_lines()) for ax in shown) >= n and all(len(ax.get_legend().get_texts()) <= 4 for ax in shown)
    assert shown[0].get_xlabel() == "arrival_rate (share of migrant households/month)"
