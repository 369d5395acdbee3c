"""The app in a real browser (Debian's Chromium, offline): live page, policies, stepping, twin, analyst page."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


# --- helpers ----------------------------------------------------------------------------------------------------
def open_live(app: Page, url: str) -> None:
    app.goto(url)
    expect(app.get_by_role("button", name="Step")).to_be_visible()
    expect(app.locator(".urbanize-charts img")).to_be_visible()
    expect(app.locator(".urbanize-map-main img")).to_be_visible()


def status(app: Page) -> str:
    return app.locator(".urbanize-status").inner_text()


def month(app: Page) -> int:
    m = re.search(r"month (\d+)", status(app))
    assert m, status(app)
    return int(m.group(1))


def img_src(app: Page, css: str) -> str:
    for _ in range(20):  # the <img> node is replaced on every render: retry when it detaches
        try:
            return app.locator(css).first.get_attribute("src", timeout=5000) or ""
        except Exception:
            time.sleep(0.1)
    return ""


def wait_src_change(app: Page, css: str, before: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = img_src(app, css)
        if now and now != before:
            return now
        time.sleep(0.05)
    raise AssertionError(f"{css} did not change within {timeout} s")


def choose(app: Page, label: str, option: str) -> None:
    """Pick ``option`` in the Vuetify select labelled ``label``."""
    app.locator(".v-select").filter(has=app.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))).first.click()
    app.locator(".menuable__content__active .v-list-item").filter(
        has_text=re.compile(f"^{re.escape(option)}$")).first.click()


def step(app: Page, times: int = 1) -> None:
    for _ in range(times):
        before = month(app)
        app.get_by_role("button", name="Step").click()
        expect(app.locator(".urbanize-status")).to_contain_text(f"month {before + 1} ")


def switch_on(app: Page, policy: str, artifacts) -> None:
    """Open "Individual policies" and tick ``policy``. The panel is waited for until fully open (Vuetify's expand
    transition) and the tick is checked in the page itself, so a click that the browser did not register fails
    here, with a screenshot, rather than later as a status that did not change."""
    header = app.get_by_text("Individual policies (switch on or off)")
    header.click()
    expect(app.locator(".v-expansion-panel--active").filter(has=header)).to_have_count(1)
    box = app.locator(".v-input--checkbox").filter(has_text=re.compile(f"^{re.escape(policy)}"))
    expect(box).to_be_visible()
    box.scroll_into_view_if_needed()
    box.locator("label").click()
    try:
        expect(box.locator("input")).to_have_attribute("aria-checked", "true")
    except AssertionError:
        shot(app, artifacts, f"lost_click_{policy}")
        raise


def shot(app: Page, artifacts, name: str) -> None:
    app.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def packages_with_effect() -> list[str]:
    """Packages besides the status quo whose policies are all registered (so the app can build them)."""
    from urbanize.viz.config import package_ready, packages

    return [p for p in packages() if p != "status_quo" and package_ready(p)]


# --- tests -------------------------------------------------------------------------------------------------
def test_live_page_renders_offline(app, app_url, artifacts):
    open_live(app, app_url)
    assert month(app) == 0
    expect(app.locator(".urbanize-error")).to_have_count(0)
    # no Mesa leftovers: SolaraViz's empty parameter card, its thread switch and its "Time: 0.0" card
    for leftover in ("Model Parameters", "Use Threads", "Information"):
        expect(app.get_by_text(leftover, exact=True)).to_have_count(0)
    expect(app.get_by_text(re.compile(r"^Time: \d"))).to_have_count(0)
    shot(app, artifacts, "live_initial")
    assert app.external == [], f"the page tried to reach the network: {app.external[:5]}"
    assert app.missing == [], f"resources missing offline: {app.missing[:5]}"


def test_step_changes_month_and_charts(app, app_url, artifacts):
    open_live(app, app_url)
    charts = img_src(app, ".urbanize-charts img")
    city_map = img_src(app, ".urbanize-map-main img")
    step(app)
    assert month(app) == 1
    wait_src_change(app, ".urbanize-charts img", charts)
    wait_src_change(app, ".urbanize-map-main img", city_map)
    # play a few months, then pause and wait for the counter to hold still
    app.get_by_role("button", name="▶").click()
    expect(app.locator(".urbanize-status")).to_contain_text(re.compile(r"month ([3-9]|\d\d+) "), timeout=30_000)
    app.get_by_role("button", name="❚❚").click()
    held = -1
    for _ in range(40):
        time.sleep(0.25)
        now = month(app)
        if now == held:
            break
        held = now
    assert held >= 3
    shot(app, artifacts, "live_after_steps")
    app.get_by_role("button", name="Reset").click()
    expect(app.locator(".urbanize-status")).to_contain_text("month 0 ")


def test_choose_city_and_policy(app, app_url, artifacts):
    open_live(app, app_url)
    choose(app, "City", "yanta")
    expect(app.locator(".urbanize-status")).to_contain_text("yanta")
    assert month(app) == 0
    choose(app, "Policy package", "status_quo")
    expect(app.locator(".urbanize-status")).to_contain_text("yanta - status_quo -")
    extra = [p for p in packages_with_effect() if p.startswith("yanta")] or packages_with_effect()
    if extra:
        choose(app, "Policy package", extra[0])
        expect(app.locator(".urbanize-status")).to_contain_text(f"yanta - {extra[0]} -")
    # colour by registration state
    app.get_by_role("button", name="registration").click()
    expect(app.locator(".urbanize-map-main img")).to_be_visible()
    step(app)
    shot(app, artifacts, "live_yanta")
    expect(app.locator(".urbanize-error")).to_have_count(0)


def test_parameter_out_of_range_shows_message(app, app_url, artifacts):
    open_live(app, app_url)
    box = app.get_by_label("Overrides: name=value, ...")
    box.fill("arrival_rate=5")
    box.press("Enter")
    expect(app.locator(".urbanize-error").first).to_contain_text("outside its valid range")
    app.get_by_role("button", name="Reset").click()
    expect(app.locator(".urbanize-error").first).to_contain_text("arrival_rate")
    shot(app, artifacts, "live_bad_parameter")
    box.fill("")
    box.press("Enter")
    app.get_by_role("button", name="Reset").click()
    expect(app.locator(".urbanize-error")).to_have_count(0)
    expect(app.locator(".urbanize-charts img")).to_be_visible()


def test_analyst_page_renders_a_sweep(app, app_url, artifacts, small_sweep, tmp_path):
    from urbanize.experiments.analysis import summarize
    from urbanize.experiments.storage import load_design, open_runs

    app.goto(app_url + "analyst")
    folder = app.get_by_label("Sweep or comparison folder")
    # a folder that holds no sweep: a clear message, not a blank page
    folder.fill(str(tmp_path))
    app.get_by_role("button", name="Open").click()
    expect(app.locator(".urbanize-error")).to_contain_text("holds no sweep")
    folder.fill(str(tmp_path / "nowhere"))
    app.get_by_role("button", name="Open").click()
    expect(app.locator(".urbanize-error")).to_contain_text("does not exist")
    shot(app, artifacts, "analyst_bad_folder")

    folder.fill(str(small_sweep))
    app.get_by_role("button", name="Open").click()
    expect(app.locator(".urbanize-analyst-chart img")).to_be_visible()
    expect(app.get_by_text("Paired differences from P0")).to_be_visible()
    expect(app.locator(".urbanize-error")).to_have_count(0)
    # the page's numbers are the report's numbers
    design, _ = load_design(small_sweep)
    runs = open_runs(small_sweep)
    table = summarize(runs, design, ["registration_rate"], None)
    body = app.locator("body").inner_text()
    for mean in table["mean"]:
        assert f"{mean:.4g}" in body
    shot(app, artifacts, "analyst_sweep")
    assert app.external == []


def test_twin_shows_the_effect_of_a_policy(app, app_url, artifacts):
    open_live(app, app_url)
    choose(app, "City", "yanta")
    choose(app, "Policy package", "status_quo")
    expect(app.locator(".urbanize-effect")).to_contain_text("No twin")
    # switch one measure on: urban hukou with rented housing (Yanta), which lets more migrants convert
    switch_on(app, "rented_residence_hukou", artifacts)
    expect(app.locator(".urbanize-status")).to_contain_text("yanta - rented_residence_hukou -")
    charts = img_src(app, ".urbanize-charts img")
    step(app, 12)
    wait_src_change(app, ".urbanize-charts img", charts)
    summary = app.locator(".urbanize-effect-summary")
    expect(summary).to_contain_text("Largest relative effect")
    # the effect table marks every indicator that differs from the twin (its direction is the model's business,
    # tested with the policies; here: the page shows a difference)
    diffs = [float(t.replace(",", "")) for t in app.locator(".urbanize-effect td.strong").all_inner_texts()]
    assert diffs and any(d != 0 for d in diffs)
    expect(app.locator(".urbanize-charts img")).to_be_visible()
    shot(app, artifacts, "live_twin_effect")


def test_workshop_size_and_address_presets(app, app_url, artifacts):
    # an address can preset a session; a bad value there gets a message, not a blank page
    app.goto(app_url + "?households=999999")
    expect(app.locator(".urbanize-error").first).to_contain_text("outside the app's range")
    expect(app.get_by_role("button", name="Reset")).to_be_visible()
    # 5,000 households: the map switches to per-district layers and stays responsive
    app.goto(app_url + "?city=zhengzhou&households=5000&twin=1")
    expect(app.locator(".urbanize-charts img")).to_be_visible()
    expect(app.locator(".urbanize-status")).to_contain_text("zhengzhou")
    expect(app.locator(".urbanize-status")).to_contain_text(re.compile(r"5,\d{3} households"))
    app.get_by_role("button", name="housing").click()
    step(app, 3)
    expect(app.locator(".urbanize-error")).to_have_count(0)
    shot(app, artifacts, "live_5000_districts")


def test_policy_parameter_controls_apply_on_reset(app, app_url, artifacts):
    open_live(app, app_url + "?city=yanta&policies=rented_residence_hukou&households=500")
    card = app.locator(".v-card").filter(has_text="Policy parameters (apply on Reset)")
    card.get_by_text("rented_residence_hukou", exact=True).click()
    slider = card.locator(".urbanize-param").filter(has_text="contribution_years (years): 3")
    expect(slider).to_be_visible()
    slider.locator("[role=slider]").focus()
    app.keyboard.press("ArrowRight")
    expect(card.locator(".urbanize-param").filter(has_text="contribution_years (years): 4")).to_be_visible()
    app.get_by_role("button", name="Reset").click()
    expect(app.locator(".urbanize-policy-params")).to_contain_text("rented_residence_hukou.contribution_years=4")
    expect(app.locator(".urbanize-error")).to_have_count(0)
    step(app)
    shot(app, artifacts, "live_policy_parameters")
