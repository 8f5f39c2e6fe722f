"""People's judgements (Net-Map): recorded on an actor's page, kept apart from the computed
measures in pages, JSON, the actors table and exports, and hidden with a private campaign."""

from __future__ import annotations

import json

import pytest

from juntos.db import Database
from juntos.errors import ValidationError
from juntos.network_map.judgements import JudgementInput
from tests.support.web import post_form, soup


def test_a_judgement_is_checked_field_by_field() -> None:
    with pytest.raises(ValidationError) as e:
        JudgementInput.validated(org_id=1, issue="", influence="7", stance="friend",
                                 confidence="sure")
    assert set(e.value.errors) == {"issue", "influence", "stance", "confidence"}
    ok = JudgementInput.validated(org_id=1, issue="  land   law ", influence="0", stance="ally",
                                  confidence="LOW")
    assert (ok.issue, ok.influence, ok.confidence) == ("land law", 0, "low")


@pytest.fixture(autouse=True)
def no_demo_judgements(request) -> None:  # type: ignore[no-untyped-def]
    """These tests count from none; the demo's own are checked in the first test."""
    if "demo_db" in request.fixturenames:
        db = request.getfixturevalue("demo_db")
        assert {r["issue"] for r in db["judgements"].rows} == {
            "Universal health coverage", "Land law reform"}
        db["judgements"].delete_where()


def _private_campaign(db: Database) -> str:
    return next(db.query("select slug from campaigns where visibility = 'private'"))["slug"]


def test_record_a_judgement_and_see_it_apart_from_the_metrics(demo_db: Database,
                                                             as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("member")
    page = "/network/actors/mz-ministerio-saude"
    bad = post_form(client, f"{page}/judgements",
                    {"issue": "", "influence": "9", "stance": "opponent", "confidence": "high"},
                    form_page=page)
    assert bad.status_code == 400
    assert "0 to 5" in soup(bad).select_one("#je-influence").text
    assert soup(bad).select_one("#je-issue") is not None
    assert demo_db["judgements"].count == 0
    done = post_form(client, f"{page}/judgements",
                     {"issue": "health budget", "influence": "5", "stance": "opponent",
                      "confidence": "high", "note": "<b>said so</b> at the hearing"},
                     form_page=page)
    assert done.status_code == 200 and done.url.path == page
    rows = soup(done).select("#judgements-table tbody tr")
    assert "health budget" in rows[0].text and "<b>said so</b>" in rows[0].text  # escaped
    data = client.get(f"{page}.json").json()
    [judged] = data["judgements"]
    assert (judged["issue"], judged["influence"], judged["stance"]) == (
        "health budget", 5, "opponent")
    assert "influence" not in data["metrics"]  # computed measures never carry it
    table = soup(client.get("/network/actors?sort=judged_influence&order=desc"))
    groups = [th.text for th in table.select("#actors-table thead tr.column-groups th")]
    assert groups[-1] == "People's judgement"
    first = table.select_one("#actors-table tbody tr")
    assert first.select_one("a")["href"] == page
    assert [td.text for td in first.select("td.judged")] == ["1", "5.0", "opponent"]
    export = json.loads(client.get("/network/export?format=json").text)
    node = next(n for n in export["nodes"] if n["id"] == "mz-ministerio-saude")
    assert node["judgements"][0]["influence"] == 5 and "judgements" not in node["metrics"]


def test_a_judgement_on_a_private_campaign_stays_with_those_who_see_it(demo_db: Database,
                                                                       as_user) -> None:  # type: ignore[no-untyped-def]
    campaign = _private_campaign(demo_db)
    page = "/network/actors/mz-ministerio-saude"
    coordinator, member = as_user("coordinator"), as_user("member")
    assert campaign not in {o["value"] for o in soup(member.get(page)).select(
        "#j-campaign option")}
    refused = post_form(member, f"{page}/judgements",
                        {"campaign": campaign, "influence": "3", "stance": "ally",
                         "confidence": "low"}, form_page=page)
    assert refused.status_code == 400 and soup(refused).select_one("#je-campaign")
    post_form(coordinator, f"{page}/judgements",
              {"campaign": campaign, "influence": "4", "stance": "neutral",
               "confidence": "medium"}, form_page=page)
    assert coordinator.get(f"{page}.json").json()["judgements"][0]["campaign"] == campaign
    assert member.get(f"{page}.json").json()["judgements"] == []
    assert campaign not in member.get(page).text
    assert campaign not in member.get("/network/export?format=json").text
    row = soup(member.get("/network/actors?sort=judgements&order=desc")).select_one(
        "#actors-table tbody tr")
    assert row.select_one("td.judged").text == ""


def test_only_the_recorder_or_a_coordinator_withdraws_a_judgement(demo_db: Database,
                                                                  as_user) -> None:  # type: ignore[no-untyped-def]
    page = "/network/actors/sadc"
    member, other = as_user("member"), as_user("other_member")
    post_form(member, f"{page}/judgements", {"issue": "trade", "influence": "2",
                                             "stance": "ally", "confidence": "low"},
              form_page=page)
    [judged] = member.get(f"{page}.json").json()["judgements"]
    assert not soup(other.get(page)).select("#judgements-table form")
    denied = post_form(other, f"/network/judgements/{judged['id']}/delete", {}, form_page=page)
    assert denied.status_code == 403
    post_form(member, f"/network/judgements/{judged['id']}/delete", {}, form_page=page)
    assert member.get(f"{page}.json").json()["judgements"] == []
