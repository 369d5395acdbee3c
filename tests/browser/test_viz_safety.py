"""The app's safety rules without a browser (fast; not marked ``browser``): session bounds, seeds, the server's
environment and warning, the ``urbanize viz`` options, zero shown as zero."""

from __future__ import annotations

import pytest

from urbanize.experiments.cli import main
from urbanize.viz import plots, server, twin
from urbanize.viz.config import VizConfig, check_seed
from urbanize.viz.twin import TwinRun


@pytest.mark.parametrize(("value", "message"), [
    (-1, "outside"), ("abc", "whole number"), (None, "whole number"), (2**64, "outside"), ("1.5", "whole number"),
])
def test_bad_seeds_are_one_line(value, message):
    with pytest.raises(ValueError, match=message):
        check_seed(value)
    run = TwinRun(VizConfig(seed=value, households=300, package="status_quo"))  # never raises
    assert not run.ok and message in run.error and "\n" not in run.error


def test_a_session_stops_at_its_month_bound_with_a_notice(monkeypatch):
    monkeypatch.setattr(twin, "MONTHS_MAX", 3)
    run = TwinRun(VizConfig(city="yanta", households=300, package="status_quo"))
    for _ in range(5):
        run.step()
    assert run.month == 3 and run.running is False and run.ok
    assert "at most 3 months" in run.notice


def test_a_session_stops_when_the_city_outgrows_the_row_bound(monkeypatch):
    run = TwinRun(VizConfig(city="yanta", households=300, package="status_quo"))
    monkeypatch.setattr(twin, "ROWS_MAX", run.main.pop.n - 1)
    run.step()
    assert run.month == 0 and run.running is False and "household agents" in run.notice


def test_server_environment_culls_sessions_and_sets_the_root_without_pythonpath(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTHONPATH", raising=False)
    env = server.server_env(cull_seconds=5, root=tmp_path)
    assert env["SOLARA_KERNEL_CULL_TIMEOUT"] == "5s"
    assert env[server.ROOT_ENV] == str(tmp_path.resolve())
    assert "PYTHONPATH" not in env  # the installed package is found by its own import hook


@pytest.mark.parametrize(("host", "warns"), [
    ("127.0.0.1", False), ("localhost", False), ("::1", False), ("127.0.0.2", False), ("0.0.0.0", True),
    ("192.168.1.10", True), ("::", True),
])
def test_a_host_beyond_this_machine_gets_a_warning(host, warns):
    warning = server.host_warning(host)
    assert (warning is not None) == warns
    if warns:
        assert "no authentication" in warning


@pytest.mark.parametrize("argv", [
    ["viz", "--root", "/no/such/folder"],
    ["viz", "--cull-after", "0"],
    ["viz", "--cull-after", "soon"],
    ["viz", "--port", "0"],
])
def test_bad_viz_options_are_one_line_and_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main(argv))
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and "Traceback" not in "\n".join(err)
    assert err[-1].startswith(("error:", "urbanize viz: error:", "usage:")) or "error:" in err[-1]


@pytest.mark.parametrize(("value", "text"), [
    (-1.42e-14, "0"), (1e-12, "0"), (0.0, "0"), (3.14159, "3.14"), (1234.5, "1,234"), (0.000123, "0.000123"),
    (float("nan"), "-"), (-25.0, "-25"),
])
def test_numbers_on_the_page_have_no_e_notation_and_zero_is_zero(value, text):
    assert plots.fmt(value) == text


def _texts(widget, out: list[str]) -> list[str]:
    for child in getattr(widget, "children", None) or []:
        if isinstance(child, str):
            out.append(child)
        else:
            _texts(child, out)
    return out


def test_an_error_while_drawing_the_page_is_one_line_above_a_fresh_page(monkeypatch):
    import solara

    from urbanize.viz import app

    @solara.component
    def Broken(safe: bool = False):
        if not safe:  # the session's own settings break the page; the defaults do not
            raise RuntimeError("boom\nsecond line")
        solara.Text("fresh page with the default settings")

    monkeypatch.setattr(app, "LivePage", Broken)
    box, rc = solara.render(app.Page(), handle_error=False)
    try:
        texts = _texts(box, [])
    finally:
        rc.close()
    assert "the page hit an error and restarted with the default settings: boom second line" in texts
    assert "fresh page with the default settings" in texts
    assert not [t for t in texts if "Traceback" in t]
