"""Campaign store: creation, partners, the RACI matrix, commitments, dates and the log."""

from __future__ import annotations

from datetime import date

import pytest

from juntos.campaigns import activity, matrix, schedule, store
from juntos.campaigns.models import CallToActionInput, CampaignInput, CommitmentInput
from juntos.db import Database
from juntos.errors import NotFound, ValidationError
from tests.campaigns.conftest import make_campaign
from tests.support.clock import FrozenClock

TODAY = date(2026, 11, 23)


def count(db: Database, table: str) -> int:
    return db[table].count


def test_create_makes_the_lead_a_partner_with_default_workstreams(db, clock, users) -> None:
    c = make_campaign(db, clock, slug="autumn", themes=["labour"], countries=["MZ", "ZA"])
    assert c["themes"] == ["labour"] and c["countries"] == ["MZ", "ZA"]
    assert [p["role"] for p in store.partners(db, c["id"])] == ["lead"]
    assert c["lead_org_ids"] == c["member_org_ids"] == [users["member"].organisation_id]
    assert len(matrix.workstreams(db, c["id"])) == 8
    assert store.get(db, "autumn")["id"] == c["id"]
    with pytest.raises(NotFound):
        store.get(db, "nope")


def test_a_taken_slug_or_unknown_lead_is_a_field_error_and_nothing_is_saved(db, clock,
                                                                           users) -> None:
    make_campaign(db, clock, slug="autumn")
    before = (count(db, "campaigns"), count(db, "participations"), count(db, "workstreams"))
    with pytest.raises(ValidationError) as err:
        make_campaign(db, clock, slug="autumn")
    assert "already taken" in err.value.errors["slug"]
    with pytest.raises(ValidationError) as err:
        make_campaign(db, clock, slug="other", lead="no-such-org")
    assert "No organisation matches “no-such-org”" in err.value.errors["lead"]
    after = (count(db, "campaigns"), count(db, "participations"), count(db, "workstreams"))
    assert after == before


def test_update_checks_the_slug_against_other_campaigns(db, clock, users) -> None:
    a = make_campaign(db, clock, slug="a")
    make_campaign(db, clock, slug="b")
    with pytest.raises(ValidationError) as err:
        store.update(db, a["id"], CampaignInput.validated(title="A", slug="b"), now=clock())
    assert set(err.value.errors) == {"slug"}
    renamed = store.update(db, a["id"], CampaignInput.validated(title="A2", slug="a"),
                           now=clock())
    assert renamed["title"] == "A2"


def test_partners_roles_and_their_errors(db, clock, users, org_c) -> None:
    c = make_campaign(db, clock, slug="autumn")
    store.add_partner(db, c["id"], "org-b", "partner", accepted=True, now=clock())
    store.add_partner(db, c["id"], "Lutsango Women", "co-lead", accepted=True,  # by name
                      now=clock())
    assert [(p["slug"], p["role"]) for p in store.partners(db, c["id"])] == [
        ("org-a", "lead"), ("org-c", "co-lead"), ("org-b", "partner")]
    with pytest.raises(ValidationError) as err:
        store.add_partner(db, c["id"], "org-b", "partner", accepted=True, now=clock())
    assert "already a partner" in err.value.errors["organisation"]
    with pytest.raises(ValidationError) as err:
        store.add_partner(db, c["id"], "ghost-org", "partner", accepted=True, now=clock())
    assert "No organisation" in err.value.errors["organisation"]
    with pytest.raises(ValidationError) as err:
        store.add_partner(db, c["id"], "org-b", "boss", accepted=True, now=clock())
    assert set(err.value.errors) == {"role"}
    store.remove_partner(db, c["id"], org_c["id"], now=clock())
    lead_id = users["member"].organisation_id
    with pytest.raises(ValidationError) as err:  # the last lead cannot go
        store.set_role(db, c["id"], lead_id, "partner", now=clock())
    assert "at least one lead" in err.value.errors["role"]


def test_matrix_allows_exactly_one_accountable_organisation(db, clock, users) -> None:
    c = make_campaign(db, clock, slug="autumn")
    b = store.add_partner(db, c["id"], "org-b", "partner", accepted=True, now=clock())
    a_id = users["member"].organisation_id
    research, messaging = matrix.workstreams(db, c["id"])[:2]
    matrix.set_matrix(db, c["id"], {(research["id"], a_id): "A", (research["id"], b["id"]): "r",
                                   (messaging["id"], b["id"]): "A"}, now=clock())
    assert matrix.matrix(db, c["id"]) == {(research["id"], a_id): "A",
                                         (research["id"], b["id"]): "R",
                                         (messaging["id"], b["id"]): "A"}
    with pytest.raises(ValidationError) as err:
        matrix.assign(db, c["id"], research["id"], b["id"], "A", now=clock())
    assert err.value.errors[f"ws-{research['id']}"].startswith("research: only one")
    with pytest.raises(ValidationError) as err:  # letters without any accountable one
        matrix.set_matrix(db, c["id"], {(research["id"], b["id"]): "R"}, now=clock())
    assert "exactly one" in err.value.errors[f"ws-{research['id']}"]
    with pytest.raises(ValidationError) as err:  # not a partner
        matrix.set_matrix(db, c["id"], {(research["id"], 99999): "A"}, now=clock())
    assert "Unknown organisation" in err.value.errors[f"ws-{research['id']}"]
    # Nothing of the rejected changes was saved.
    assert matrix.matrix(db, c["id"])[(research["id"], b["id"])] == "R"
    partners = {p["slug"]: p for p in store.partners(db, c["id"])}
    assert partners["org-b"]["workstreams"] == [{"id": research["id"], "name": "research",
                                                 "raci": "R"},
                                                {"id": messaging["id"], "name": "messaging",
                                                 "raci": "A"}]


def test_the_database_itself_refuses_a_second_accountable_organisation(db, clock,
                                                                       users) -> None:
    import sqlite3

    c = make_campaign(db, clock, slug="autumn")
    b = store.add_partner(db, c["id"], "org-b", "partner", accepted=True, now=clock())
    ws = matrix.workstreams(db, c["id"])[0]
    matrix.assign(db, c["id"], ws["id"], b["id"], "A", now=clock())
    with pytest.raises(sqlite3.IntegrityError):
        db["assignments"].insert({"workstream_id": ws["id"], "campaign_id": c["id"],
                                  "organisation_id": users["member"].organisation_id,
                                  "raci": "A"})


def test_commitments_overdue_first_and_only_from_partners(db, clock: FrozenClock,
                                                         users) -> None:
    c = make_campaign(db, clock, slug="autumn")
    a_id = users["member"].organisation_id
    ws = matrix.workstreams(db, c["id"])[0]
    late = schedule.add_commitment(db, c["id"], CommitmentInput.validated(
        organisation_id=str(a_id), workstream_id=str(ws["id"]), title="Research brief",
        due_date="2026-11-01"), now=clock())
    schedule.add_commitment(db, c["id"], CommitmentInput.validated(
        organisation_id=str(a_id), title="Press release", due_date="2026-12-01"), now=clock())
    done = schedule.add_commitment(db, c["id"], CommitmentInput.validated(
        organisation_id=str(a_id), title="Kick-off", due_date="2026-10-01"), now=clock())
    schedule.set_commitment_status(db, c["id"], done, "done", now=clock())
    rows = schedule.commitments(db, c["id"], today=TODAY)
    assert [r["id"] for r in rows if r["overdue"]] == [late]
    groups = schedule.grouped_commitments(rows)
    assert [g for g, _ in groups] == ["overdue", "open", "done"]
    assert groups[0][1][0]["workstream"] == "research"
    with pytest.raises(ValidationError) as err:
        schedule.add_commitment(db, c["id"], CommitmentInput.validated(
            organisation_id=str(users["other_member"].organisation_id), title="x"), now=clock())
    assert "Unknown organisation" in err.value.errors["organisation_id"]
    mine = schedule.my_commitments(db, users["member"], today=TODAY)
    assert [m["title"] for m in mine] == ["Research brief", "Press release"]
    assert mine[0]["campaign_slug"] == "autumn" and mine[0]["overdue"]


def test_calls_milestones_and_dated_items_share_stable_ids(db, clock, users) -> None:
    c = make_campaign(db, clock, slug="autumn")
    call = schedule.add_call_to_action(db, c["id"], CallToActionInput.validated(
        title="Women's Day", start_date="2027-03-08", observance_key="international-women-s-day"),
        now=clock())
    with pytest.raises(ValidationError):  # the same day twice
        schedule.add_call_to_action(db, c["id"], CallToActionInput.validated(
            title="Again", start_date="2027-03-08",
            observance_key="international-women-s-day"), now=clock())
    items = schedule.dated_items(db, users["other_member"], date(2027, 1, 1),
                                 date(2027, 12, 31))
    assert [(i["kind"], i["id"], i["campaign_slug"]) for i in items] == [
        ("call", call, "autumn")]
    upcoming = schedule.upcoming_calls(db, users["member"], start=date(2027, 3, 1),
                                       end=date(2027, 3, 31))
    assert [u["title"] for u in upcoming] == ["Women's Day"]


def test_every_change_is_logged_with_who_and_when(db, clock: FrozenClock, users) -> None:
    by = users["member"].id
    c = store.create(db, CampaignInput.validated(title="Autumn"), lead="org-a", now=clock(),
                     by=by)
    clock.advance(hours=1)
    store.add_partner(db, c["id"], "org-b", "supporter", now=clock(), by=by)
    log = activity.activity(db, c["id"])
    assert [(e["action"], e["at"]) for e in log] == [
        ("partner_invited", "2026-11-23T10:00:00Z"), ("created", "2026-11-23T09:00:00Z")]
    assert log[0]["user_name"] == "member@example.org"
    assert log[0]["detail"] == "Ubuntu Labour (supporter)"


def test_search_filters_by_status_theme_country_and_organisation(db, clock, users) -> None:
    make_campaign(db, clock, slug="health", status="active", themes=["health"],
                  countries=["MZ"])
    labour = make_campaign(db, clock, slug="labour", status="planning", themes=["labour"],
                           countries=["ZA"], lead="org-b")
    coordinator = users["coordinator"]

    def slugs(**kw: object) -> list[str]:
        rows, total = store.search(db, store.CampaignFilter(**kw), user=coordinator)
        assert total == len(rows)
        return [r["slug"] for r in rows]

    assert slugs() == ["health", "labour"]  # active before planning
    assert slugs(status="planning") == ["labour"]
    assert slugs(theme="Health") == ["health"]
    assert slugs(country="za") == ["labour"]
    assert slugs(organisation_id=labour["lead_org_ids"][0]) == ["labour"]
    assert slugs(q="heal") == ["health"]
    rows, _ = store.search(db, store.CampaignFilter(), user=coordinator)
    assert {r["slug"]: r["leads"] for r in rows} == {"health": "Acção Cidadã",
                                                    "labour": "Ubuntu Labour"}
