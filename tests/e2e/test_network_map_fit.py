"""The network map opens fitted to its column: the canvas as wide as the column (the side
panel takes room only while open), the drawing inside the canvas and centred, with room for
labels; on a phone too. The page offers every export format of the current view."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser


def _fit(page: Page) -> dict[str, float]:
    page.wait_for_selector("#map[data-ready='1'][data-bounds]", timeout=15000)
    return page.evaluate("""() => {
      const map = document.getElementById("map");
      const wrap = map.parentElement.getBoundingClientRect();
      const box = map.getBoundingClientRect();
      const canvas = map.querySelector("canvas").getBoundingClientRect();
      const [x0, y0, x1, y1] = map.dataset.bounds.split(",").map(Number);
      return {wrap: wrap.width, map: box.width, height: box.height, canvas: canvas.width,
              x0, y0, x1, y1};
    }""")


def _inside(fit: dict[str, float], width: float) -> None:
    assert abs(fit["canvas"] - fit["map"]) <= 2, fit  # the canvas fills its box
    # The bulk of the map (data-bounds: between the 1st and 99th percentile of the nodes on
    # each axis) is inside the canvas, with room on the right for labels...
    assert fit["x0"] >= 10 and fit["x1"] <= width - min(200, width * 0.15), fit
    assert fit["y0"] >= 10 and fit["y1"] <= fit["height"] - 10, fit
    # ...fills it on one axis at least (not a small drawing in a corner)...
    assert (fit["x1"] - fit["x0"]) >= width * 0.5 or (fit["y1"] - fit["y0"]) >= (
        fit["height"] * 0.7), fit
    # ...and is centred vertically.
    middle = (fit["y0"] + fit["y1"]) / 2
    assert abs(middle - fit["height"] / 2) <= fit["height"] * 0.1, fit


def test_the_map_opens_fitted_to_its_column(page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base)
    page.goto(base + "/network")
    fit = _fit(page)
    assert abs(fit["map"] - fit["wrap"]) <= 2, fit  # the whole column while no panel is open
    _inside(fit, fit["map"])
    page.locator("#map").screenshot(path="/tmp/w19c-network-1280.png")
    assert "view=" not in page.url  # the fitted view is the default one, not a chosen view

    page.get_by_label("Search an actor").fill("Uganda Community Land")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#panel")).to_be_visible()
    page.wait_for_function(
        "() => Number(document.getElementById('map').dataset.width) < "
        f"{fit['map'] - 100}")
    narrow = _fit(page)
    assert narrow["map"] < fit["map"] - 100 and abs(narrow["canvas"] - narrow["map"]) <= 2

    page.get_by_role("button", name="Close the panel").click()
    page.wait_for_function(
        f"() => Number(document.getElementById('map').dataset.width) > {fit['map'] - 3}")
    wide = _fit(page)  # the camera stays where the search took it; the canvas is whole again
    assert abs(wide["canvas"] - fit["map"]) <= 2, wide

    # Exports of the filtered view, every format, from the page.
    page.goto(base + "/network?country=UG")
    links = page.locator("#map-export a")
    expect(links).to_have_count(6)
    for href in links.evaluate_all("as => as.map(a => a.getAttribute('href'))"):
        assert "country=UG" in href
    with page.expect_download() as download:
        links.filter(has_text="GraphML").click()
    assert download.value.suggested_filename == "network-filtered.graphml"


def test_the_map_fits_a_phone(page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base)
    page.goto(base + "/network")
    fit = _fit(page)
    assert fit["map"] <= 360 and abs(fit["map"] - fit["wrap"]) <= 2, fit
    _inside(fit, fit["map"])
    page.locator("#map").screenshot(path="/tmp/w19c-network-360.png")
