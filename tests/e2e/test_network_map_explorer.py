"""The network map in Chromium: the demo map draws, search opens an actor's panel, a country
filter narrows the map, an introduction path is highlighted; without JavaScript the SVG and
tables show the same facts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser
PATH = "from=samvirke-dk&to=mz-ministerio-saude"


def _ready(page: Page) -> None:
    page.wait_for_selector("#map[data-ready='1']", timeout=15000)


def test_explore_the_demo_map(page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    page.goto(base + "/login")
    log_in(page, base)
    page.goto(base + "/network")
    _ready(page)
    assert int(page.locator("#map").get_attribute("data-nodes") or 0) > 250
    assert page.locator("#map canvas").count() > 0  # drawn by sigma.js (WebGL)

    page.get_by_label("Search an actor").fill("Uganda Community Land")
    page.get_by_role("button", name="Show").click()
    panel = page.locator("#panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_contain_text("Uganda Community Land Alliance")
    expect(panel).to_contain_text("Samvirke for Global Retfærdighed")
    assert "actor=ug-land-alliance" in page.url  # the view's state is in the URL

    # People's judgements (the demo's Net-Map session) in the panel, apart from the measures
    page.get_by_label("Search an actor").fill("Mineradora do Sul")
    page.get_by_role("button", name="Show").click()
    expect(panel.get_by_role("heading", level=2)).to_contain_text("Mineradora do Sul")
    judged = panel.locator(".judgements")
    expect(judged).to_contain_text(
        "Land law reform: influence 4 of 5, opponent (medium confidence)")
    assert judged.get_by_role("link").get_attribute("href") == (
        "/network/actors/mz-mineradora-sul#judgements")

    page.get_by_label("Country", exact=True).select_option("UG")
    page.wait_for_url("**country=UG**")
    _ready(page)
    shown = int(page.locator("#map").get_attribute("data-nodes") or 0)
    assert 0 < shown < 10

    page.goto(base + "/network?" + PATH)
    _ready(page)
    page.wait_for_selector("#map[data-path]")
    path = (page.locator("#map").get_attribute("data-path") or "").split()
    assert path[0] == "samvirke-dk" and path[-1] == "mz-ministerio-saude"
    assert "cso-saude-rural" in path


def test_without_javascript_the_same_facts(nojs_page: Page, page: Page,
                                           live_server: LiveServer) -> None:
    base = live_server.url
    page.goto(base + "/login")
    log_in(page, base)
    page.goto(base + "/network?" + PATH)
    _ready(page)
    page.wait_for_selector("#map[data-path]")
    js_path = (page.locator("#map").get_attribute("data-path") or "").split()
    page.goto(base + "/network?country=UG")
    _ready(page)
    js_count = int(page.locator("#map").get_attribute("data-nodes") or 0)

    nojs_page.goto(base + "/login")
    log_in(nojs_page, base)
    nojs_page.goto(base + "/network?" + PATH)
    links = nojs_page.locator("#path-result p").first.locator("a")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert [h.rsplit("/", 1)[1] for h in hrefs] == js_path
    svg = nojs_page.locator("img.map-svg")
    expect(svg).to_be_visible()
    assert nojs_page.evaluate("document.querySelector('img.map-svg').naturalWidth") > 0

    nojs_page.goto(base + "/network/actors?country=UG")
    assert nojs_page.locator("#actors-table tbody tr").count() == js_count
    nojs_page.get_by_role("link", name="Uganda Community Land Alliance").click()
    expect(nojs_page.locator("#actor-ties")).to_contain_text("Samvirke for Global Retfærdighed")


FOCUS = "focus=forum-juntos-mz&hops=2&cap=50"


def test_expand_a_capped_focus_by_tie_kind(page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    log_in(page, base)
    page.goto(base + "/network?" + FOCUS)
    _ready(page)
    assert page.locator("#map").get_attribute("data-nodes") == "50"
    notice = page.locator("#focus-notice")
    expect(notice).to_contain_text("hidden")
    funds = notice.locator("a[data-kind='funds']")
    added = int((funds.text_content() or "").split("+")[1].split()[0])
    page.evaluate("window.__sameDocument = true")  # gone if the page were reloaded
    funds.click()
    page.wait_for_url("**expand=funds**")
    _ready(page)
    assert page.evaluate("window.__sameDocument === true")  # drawn in place, no reload
    assert int(page.locator("#map").get_attribute("data-nodes") or 0) == 50 + added
    expect(page.locator("#focus-notice")).to_contain_text("funds")
    expect(page.locator("#focus-notice a[data-kind='funds']")).to_have_count(0)
    # The state is in the URL: loading it afresh gives the same view.
    shared = page.url
    page.goto(shared)
    _ready(page)
    assert int(page.locator("#map").get_attribute("data-nodes") or 0) == 50 + added
    # A second expansion keeps the first one.
    page.locator("#focus-notice a[data-kind='partner']").click()
    page.wait_for_url("**expand=funds%7Cpartner**")
    _ready(page)
    assert int(page.locator("#map").get_attribute("data-nodes") or 0) > 50 + added


def test_expand_without_javascript(nojs_page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    log_in(nojs_page, base)
    nojs_page.goto(base + "/network/actors?" + FOCUS)
    assert nojs_page.locator("#actors-table tbody tr").count() == 50
    link = nojs_page.locator("#focus-notice a[data-kind='funds']")
    added = int((link.text_content() or "").split("+")[1].split()[0])
    link.click()
    nojs_page.wait_for_url("**expand=funds**")
    assert nojs_page.locator("#actors-table tbody tr").count() == 50 + added
    src = nojs_page.locator("img.map-svg").get_attribute("src") or ""
    assert "expand=funds" in src
    assert nojs_page.evaluate("document.querySelector('img.map-svg').naturalWidth") > 0


def test_relax_layout_in_the_browser_is_bounded_and_stoppable(page: Page,
                                                             live_server: LiveServer) -> None:
    base = live_server.url
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, base)
    page.goto(base + "/network")
    _ready(page)
    assert page.locator("#map").get_attribute("data-relax") is None  # no physics on load
    relax = page.get_by_role("button", name="Relax layout")
    relax.click()
    page.wait_for_selector("#map[data-relax='running']")
    page.wait_for_function("() => Number(document.getElementById('map').dataset.relaxSteps) > 3")
    page.get_by_role("button", name="Stop").click()
    page.wait_for_selector("#map[data-relax='stopped']")
    steps = int(page.locator("#map").get_attribute("data-relax-steps") or 0)
    assert 3 < steps < 500
    expect(relax).to_be_visible()
    relax.click()
    page.wait_for_selector("#map[data-relax='done']", timeout=60000)
    assert page.locator("#map").get_attribute("data-relax-steps") == "500"  # the bound
    # In the vendored web worker (a static file the CSP allows), not on the page's thread.
    assert page.locator("#map").get_attribute("data-relax-engine") == "worker"
    assert int(page.locator("#map").get_attribute("data-relax-moved") or 0) > 0
    expect(page.locator("#map-relax-status")).to_contain_text("yours only")
    # Still interactive: search and the panel work on the relaxed map.
    page.get_by_label("Search an actor").fill("Uganda Community Land")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#panel")).to_be_visible()
    assert errors == []


def test_zoom_and_focus_link_keep_the_view_in_the_url(page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    log_in(page, base)
    page.goto(base + "/network?colour=kind")
    _ready(page)
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 3, box["y"] + box["height"] / 3)
    page.mouse.wheel(0, -400)
    page.wait_for_url("**view=**")
    camera = page.locator("#map").get_attribute("data-camera")
    shared = page.url
    page.goto(shared)
    _ready(page)
    page.wait_for_selector("#map[data-camera]")
    assert page.locator("#map").get_attribute("data-camera") == camera  # same zoom and pan

    page.get_by_label("Search an actor").fill("Uganda Community Land")
    page.get_by_role("button", name="Show").click()
    focus = page.locator("#panel a.button")
    expect(focus).to_be_visible()
    href = focus.get_attribute("href") or ""
    assert "focus=ug-land-alliance" in href and "colour=kind" in href
    focus.click()
    page.wait_for_url("**focus=ug-land-alliance**")
    _ready(page)
    expect(page.locator("#panel")).to_be_visible()
    page.get_by_role("button", name="Close the panel").click()
    expect(page.locator("#panel")).to_be_hidden()
    assert "actor=" not in page.url
    shown = int(page.locator("#map").get_attribute("data-nodes") or 0)
    assert 1 < shown < 60
