"""The app on a 1366x768 screen (issue 12 item 6) and its error handling (issue 13 item 6), in a real browser:
the key elements inside the viewport and not overlapping, figures at their natural size (12-px text), the
analyst page readable with 8 design points, and bad input as one line with the controls still there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

SCREEN = {"width": 1366, "height": 768}


@pytest.fixture
def screen(app: Page) -> Page:
    """A page of the app in a 1366x768 window (tests using it carry the browser_context_args marker)."""
    assert app.viewport_size == SCREEN
    return app


at_1366x768 = pytest.mark.browser_context_args(viewport=SCREEN)


def box(page: Page, css: str) -> dict:
    loc = page.locator(css).locator("visible=true").first  # Solara keeps hidden copies of sidebar content
    expect(loc).to_be_visible()
    b = loc.bounding_box()
    assert b is not None, css
    return b


def inside(b: dict) -> bool:
    return b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= SCREEN["width"] + 0.5 \
        and b["y"] + b["height"] <= SCREEN["height"] + 0.5


def overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] + 0.5 or b["x"] + b["width"] <= a["x"] + 0.5
                or a["y"] + a["height"] <= b["y"] + 0.5 or b["y"] + b["height"] <= a["y"] + 0.5)


def natural_scale(page: Page, css: str) -> float:
    """Shown width over the image's own width (1.0: a 12-pt label shows at 12 px)."""
    page.wait_for_function(f"() => {{ const i = document.querySelector('{css}'); return i && i.naturalWidth > 0; }}")
    return page.evaluate(f"() => {{ const i = document.querySelector('{css}'); return i.clientWidth / i.naturalWidth; }}")


KEY_ELEMENTS = {
    "run controls": ".urbanize-run",
    "policy map": ".urbanize-map-main img",
    "second map": ".urbanize-map-twin img, .urbanize-map-difference img",
    "legend": ".urbanize-legend",
    "effect table": ".urbanize-effect",
    "charts": ".urbanize-charts img",
}


def check_layout(page: Page, name: str, artifacts) -> None:
    boxes = {k: box(page, css) for k, css in KEY_ELEMENTS.items()}
    page.screenshot(path=str(artifacts / f"{name}.png"))
    outside = [k for k, b in boxes.items() if not inside(b)]
    assert not outside, f"outside the 1366x768 viewport: {outside} ({ {k: boxes[k] for k in outside} })"
    names = list(boxes)
    clashes = [(a, b) for i, a in enumerate(names) for b in names[i + 1:] if overlap(boxes[a], boxes[b])]
    assert not clashes, f"overlapping: {clashes}"
    for css in (".urbanize-charts img", ".urbanize-map-main img"):
        assert natural_scale(page, css) >= 0.99, f"{css} is shrunk: its 12-pt text shows below 12 px"


@at_1366x768
@pytest.mark.parametrize("city", ["changshu", "zhengzhou"])
def test_live_page_fits_a_1366x768_screen(screen, app_url, artifacts, city):
    screen.goto(f"{app_url}?city={city}&households=1000")
    expect(screen.locator(".urbanize-charts img")).to_be_visible()
    check_layout(screen, f"layout_{city}", artifacts)
    screen.get_by_role("button", name="Step").click()
    expect(screen.locator(".urbanize-status")).to_contain_text("month 1 ")
    # the difference map instead of the twin: same place, same size
    screen.locator(".v-select").filter(has=screen.locator("label", has_text=re.compile("^Second map$"))).click()
    screen.locator(".menuable__content__active .v-list-item").filter(has_text="difference").click()
    expect(screen.locator(".urbanize-map-difference img")).to_be_visible()
    screen.evaluate("() => document.querySelectorAll('.v-navigation-drawer__content').forEach(e => e.scrollTop = 0)")
    check_layout(screen, f"layout_{city}_difference", artifacts)
    # plain words and zero as zero in the effect table: no snake_case names, no e-notation
    table = screen.locator(".urbanize-effect table").inner_text()
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", table), table
    assert not re.search(r"\d[eE][-+]?\d", table), table


@pytest.mark.parametrize("address", ["?seed=-1", "?seed=abc", "?households=5&city=atlantis"])
def test_bad_address_is_one_line_and_the_controls_stay(app, app_url, artifacts, address):
    app.goto(app_url + address)
    error = app.locator(".urbanize-error").first
    expect(error).to_be_visible()
    assert "\n" not in error.inner_text().strip() and "Traceback" not in app.locator("body").inner_text()
    expect(app.get_by_role("button", name="Reset")).to_be_visible()
    expect(app.get_by_role("textbox", name="Seed")).to_be_visible()


def test_seed_typed_as_minus_one_is_a_message_after_reset(app, app_url, artifacts):
    app.goto(app_url + "?households=300")
    expect(app.locator(".urbanize-charts img")).to_be_visible()
    seed = app.get_by_role("textbox", name="Seed")
    seed.fill("-1")
    seed.press("Enter")
    expect(app.locator(".urbanize-error").first).to_contain_text("seed = -1")
    app.get_by_role("button", name="Reset").click()
    expect(app.locator(".urbanize-main-error, .urbanize-error").first).to_contain_text("seed")
    assert "Traceback" not in app.locator("body").inner_text()
    seed.fill("4")
    seed.press("Enter")
    app.get_by_role("button", name="Reset").click()
    expect(app.locator(".urbanize-error")).to_have_count(0)
    expect(app.locator(".urbanize-charts img")).to_be_visible()
    app.screenshot(path=str(artifacts / "seed_recovered.png"))


@at_1366x768
def test_analyst_page_with_8_design_points_stays_readable(screen, app_url, artifacts, eight_point_sweep):
    screen.goto(app_url + "analyst")
    folder = screen.get_by_label("Sweep or comparison folder")
    folder.fill("/etc")
    screen.get_by_role("button", name="Open").click()
    expect(screen.locator(".urbanize-error")).to_contain_text("outside the folder this app may read")
    folder.fill(str(eight_point_sweep))
    screen.get_by_role("button", name="Open").click()
    expect(screen.locator(".urbanize-analyst-chart img")).to_be_visible()
    expect(screen.locator(".urbanize-analyst-legend .item")).to_have_count(8)
    screen.screenshot(path=str(artifacts / "analyst_8_points.png"))
    screen.locator(".urbanize-analyst-tables").screenshot(path=str(artifacts / "analyst_8_points_tables.png"))
    screen.locator(".urbanize-analyst-legend").screenshot(path=str(artifacts / "analyst_8_points_legend.png"))
    width = screen.evaluate("() => document.documentElement.clientWidth")
    for css in (".urbanize-analyst-legend", ".urbanize-differences table", ".urbanize-summary table",
                ".urbanize-analyst-chart img"):
        b = box(screen, css)
        assert b["x"] >= 0 and b["x"] + b["width"] <= width + 0.5, f"{css} overflows the page: {b}"
    assert screen.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert natural_scale(screen, ".urbanize-analyst-chart img") >= 0.99
    headers = screen.locator(".urbanize-differences th").all_inner_texts()
    assert not [h for h in headers if "_" in h], headers
