"""Names where people pick organisations, in Chromium: a campaign's lead and partners typed in
part (with suggestions as one types, and without JavaScript by choosing from what matched),
and the network map's focus and introduction path by name or acronym."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser


def _new_campaign(page: Page, base: str, title: str) -> None:
    page.goto(base + "/campaigns/new")
    page.get_by_label("Title").fill(title)
    lead = page.get_by_label("Lead organisation")
    expect(lead).to_have_value("Fórum Juntos de Organizações da Sociedade Civil (FJOSC)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_a_partner_added_by_typing_part_of_its_name(page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    log_in(page, base)
    _new_campaign(page, base, "Names: water for all")
    box = page.locator("#partner-organisation")
    box.press_sequentially("Lutsan", delay=30)
    suggestion = page.locator("#partner-organisation-list option").first
    expect(suggestion).to_have_attribute("value", "Lutsango Women's Justice Network (LWJN)")
    box.fill(suggestion.get_attribute("value") or "")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".invitations")).to_contain_text("Lutsango Women's Justice Network")

    # A name typed without accents that two records go by: both offered, none taken silently
    page.locator("#partner-organisation").fill("Accao Cidada Mocambique")
    page.get_by_role("button", name="Invite").click()
    choices = page.locator("#partner-organisation-choices")
    expect(choices).to_contain_text("Acção Cidadã Moçambique (ACM)")
    expect(choices).to_contain_text("ACCAO CIDADA MOCAMBIQUE (A.C.M.)")
    page.get_by_label("Acção Cidadã Moçambique (ACM)").check()
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".invitations")).to_contain_text("Acção Cidadã Moçambique")
    expect(page.locator(".invitations")).not_to_contain_text("ACCAO CIDADA")


def test_without_javascript_a_partner_is_searched_then_chosen(
        nojs_page: Page, live_server: LiveServer) -> None:
    page, base = nojs_page, live_server.url
    log_in(page, base)
    _new_campaign(page, base, "Names: no script")
    page.locator("#partner-organisation").fill("hargeisa")
    page.get_by_role("button", name="Invite").click()
    page.get_by_label("Hargeisa Voices for Accountability (HVA)").check()
    expect(page.locator("#partner-organisation-choices")).to_contain_text("Somaliland")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".invitations")).to_contain_text("Hargeisa Voices for Accountability")


@pytest.mark.parametrize("typed", ["Plataforma Terra e Comunidades", "PLATERRA"])
def test_network_focus_by_name_or_acronym(page: Page, live_server: LiveServer,
                                          typed: str) -> None:
    base = live_server.url
    log_in(page, base)
    page.goto(base + "/network/actors")
    page.get_by_label("Focus on actor").fill(typed)
    page.locator("#map-filters").get_by_role("button", name="Apply").click()
    page.wait_for_url("**focus=rede-terra-mz**")
    expect(page.get_by_label("Focus on actor")).to_have_value("Plataforma Terra e Comunidades")
    expect(page.locator("table")).to_contain_text("Plataforma Terra e Comunidades")


@pytest.mark.parametrize(("start", "end"), [
    ("Samvirke for Global Retfærdighed", "Ministério da Saúde de Moçambique"),
    ("SGR", "MISAU-J"),
])
def test_introduction_path_by_name_or_acronym(nojs_page: Page, live_server: LiveServer,
                                              start: str, end: str) -> None:
    page, base = nojs_page, live_server.url
    log_in(page, base)
    page.goto(base + "/network")
    page.get_by_label("Introduction path from").fill(start)
    page.get_by_label("to", exact=True).fill(end)
    page.get_by_role("button", name="Find path").click()
    page.wait_for_url("**from=samvirke-dk**")
    assert "to=mz-ministerio-saude" in page.url
    expect(page.locator("#path-result")).to_contain_text("Samvirke for Global Retfærdighed")
    expect(page.get_by_label("Introduction path from")).to_have_value(
        "Samvirke for Global Retfærdighed")


def test_a_name_several_actors_go_by_offers_them(nojs_page: Page,
                                                 live_server: LiveServer) -> None:
    page, base = nojs_page, live_server.url
    log_in(page, base)
    page.goto(base + "/network?focus=Accao+Cidada+Mocambique")
    expect(page.get_by_role("heading", level=1)).to_have_text("Which actor do you mean?")
    page.get_by_role("link", name="Acção Cidadã Moçambique (ACM)").click()
    page.wait_for_url("**focus=mz-accao-cidada**")
