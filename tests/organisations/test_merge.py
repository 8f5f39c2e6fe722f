"""Merging duplicates: references in every area follow the survivor, all or nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.db import Database, change_counter
from juntos.errors import NotFound, ValidationError
from juntos.network_map import store as network
from juntos.network_map.models import TieInput
from juntos.organisations import duplicates, merge, names, store
from juntos.organisations.models import OrganisationInput
from tests.support.clock import FrozenClock


def _org(db: Database, clock: FrozenClock, **values) -> dict:
    return store.create(db, OrganisationInput.validated(**values), now=clock())


@pytest.fixture
def pair(db: Database, clock: FrozenClock) -> tuple[dict, dict]:
    keep = _org(db, clock, name="Acção Cidadã", slug="accao-cidada", acronym="AC", country="MZ",
                themes=["health"])
    drop = _org(db, clock, name="Accao Cidada Mocambique", slug="accao-cidada-mz",
                acronym="ACM", country="MZ", city="Maputo", themes=["advocacy"],
                website="https://accao.example.org")
    return keep, drop


def _tie(db: Database, clock: FrozenClock, a: int, b: int, kind: str = "partner") -> int:
    return network.add_tie(db, TieInput.validated(from_id=a, to_id=b, kind=kind), now=clock())


def test_references_are_discovered_from_the_schema(db: Database) -> None:
    found = {(r.table, r.column) for r in merge.references(db)}
    assert {("memberships", "member_id"), ("memberships", "network_id"),
            ("participations", "organisation_id"), ("ties", "from_id"), ("ties", "to_id"),
            ("users", "organisation_id"), ("social_accounts", "organisation_id"),
            ("organisation_aliases", "org_id")} <= found


def test_merge_repoints_every_area_and_keeps_history(db: Database, pair, clock: FrozenClock
                                                     ) -> None:
    keep, drop = pair
    other = _org(db, clock, name="Ubuntu Labour", country="ZA")
    net = _org(db, clock, name="Rede Saúde", kind="network", country="MZ")
    # Campaigns: both partners of one campaign (a collision), the duplicate alone in another.
    both = campaigns.create(db, CampaignInput.validated(title="Both"), lead=other["id"],
                            now=clock())
    campaigns.add_partner(db, both["id"], keep["id"], "partner", accepted=True, now=clock())
    campaigns.add_partner(db, both["id"], drop["id"], "partner", accepted=True, now=clock())
    alone = campaigns.create(db, CampaignInput.validated(title="Alone"), lead=drop["id"],
                             now=clock())
    # Network: both members of one network; ties of the duplicate; a tie between the two.
    store.add_membership(db, keep["id"], net["id"], "2020-01-01")
    store.add_membership(db, drop["id"], net["id"], "2021-01-01")
    tie_out = _tie(db, clock, drop["id"], other["id"])
    tie_in = _tie(db, clock, other["id"], drop["id"], "funds")
    _tie(db, clock, keep["id"], drop["id"])
    db["actor_attributes"].insert({"org_id": drop["id"], "attrs": json.dumps({"size": "big"})})
    db["actor_attributes"].insert({"org_id": keep["id"], "attrs": json.dumps({"founded": 1999})})
    # Accounts and social: plain inserts into their real tables.
    user_id = db["users"].insert({"email": "x@example.org", "password_hash": "x", "role": "member",
                                  "organisation_id": drop["id"]}).last_pk
    account = db["social_accounts"].insert({"organisation_id": drop["id"],
                                            "platform": "mastodon", "state": "draft"}).last_pk
    event = db["calendar_events"].insert({
        "uid": "e1@juntos", "title": "Vigil", "start": "2026-12-01T10:00:00Z",
        "end": "2026-12-01T11:00:00Z", "visibility": "network", "status": "confirmed",
        "organiser_id": drop["id"]}).last_pk
    commitment = db["commitments"].insert({"campaign_id": alone["id"], "title": "Print",
                                           "organisation_id": drop["id"]}).last_pk
    names.set_aliases(db, drop["id"], ["Citizen Action"], now=clock())
    network_before = change_counter(db, "network_version")
    calendar_before = change_counter(db, "calendar_version")

    result = merge.merge(db, keep["id"], drop["id"], now=clock(), by=user_id, by_name="Ana")

    with pytest.raises(NotFound):
        store.get(db, "accao-cidada-mz")
    kept = store.get(db, "accao-cidada")
    assert kept["city"] == "Maputo" and kept["website"] == "https://accao.example.org"
    assert kept["acronym"] == "AC" and kept["themes"] == ["health", "advocacy"]
    assert [p["id"] for p in campaigns.partners(db, both["id"])].count(keep["id"]) == 1
    assert campaigns.partners(db, alone["id"])[0]["id"] == keep["id"]
    assert [m["id"] for m in store.members_of(db, net["id"])] == [keep["id"]]
    assert db["memberships"].get((keep["id"], net["id"]))["since"] == "2020-01-01"
    ties = {t["id"]: t for t in db["ties"].rows}
    assert ties[tie_out]["from_id"] == keep["id"] and ties[tie_in]["to_id"] == keep["id"]
    assert len(ties) == 2  # the tie between the two duplicates is gone
    assert json.loads(db["actor_attributes"].get(keep["id"])["attrs"]) == {
        "founded": 1999, "size": "big"}
    assert db["users"].get(user_id)["organisation_id"] == keep["id"]
    assert db["social_accounts"].get(account)["organisation_id"] == keep["id"]
    assert db["calendar_events"].get(event)["organiser_id"] == keep["id"]
    assert db["commitments"].get(commitment)["organisation_id"] == keep["id"]
    # Old names become aliases, the old slug redirects.
    assert set(names.aliases_of(db, keep["id"])) == {
        "Citizen Action", "Accao Cidada Mocambique", "ACM"}
    assert names.slug_redirect(db, "accao-cidada-mz") == "accao-cidada"
    assert names.resolve(db, "accao-cidada-mz")["id"] == keep["id"]
    # Caches notice.
    assert change_counter(db, "network_version") > network_before
    assert change_counter(db, "calendar_version") > calendar_before
    # History.
    [record] = merge.history(db, keep["id"])
    assert record["dropped_slug"] == "accao-cidada-mz" and record["merged_by_name"] == "Ana"
    assert record["dropped_row"]["name"] == "Accao Cidada Mocambique"
    assert tie_out in record["repointed"]["ties"]["from_id"]
    assert record["repointed"]["participations"]["organisation_id"]
    assert [r["since"] for r in record["removed"]["memberships"]] == ["2021-01-01"]
    assert record["counts"]["ties"] == 3 and result.history_id == record["id"]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_clash_refuses_the_merge_and_changes_nothing(db: Database, pair, clock: FrozenClock
                                                       ) -> None:
    keep, drop = pair
    other = _org(db, clock, name="Ubuntu Labour", country="ZA")
    both = campaigns.create(db, CampaignInput.validated(title="Both"), lead=other["id"],
                            now=clock())
    campaigns.add_partner(db, both["id"], keep["id"], "partner", accepted=True, now=clock())
    campaigns.add_partner(db, both["id"], drop["id"], "supporter", accepted=True, now=clock())
    moved = _tie(db, clock, drop["id"], other["id"])  # re-pointed before the clash is found
    before = {t: list(db[t].rows) for t in ("organisations", "participations", "ties",
                                            "organisation_aliases", "organisation_merges")}
    with pytest.raises(merge.MergeConflict) as refused:
        merge.merge(db, keep["id"], drop["id"], now=clock())
    assert "participations" in refused.value.message and "role" in refused.value.message
    assert {t: list(db[t].rows) for t in before} == before
    assert db["ties"].get(moved)["from_id"] == drop["id"]
    # Asked to, the survivor's row wins; the duplicate's is kept in the history.
    merge.merge(db, keep["id"], drop["id"], now=clock(), survivor_wins=True)
    assert [(p["organisation_id"], p["role"]) for p in db["participations"].rows_where(
        "campaign_id = ? and organisation_id != ?", [both["id"], other["id"]])] == [
        (keep["id"], "partner")]
    [record] = merge.history(db, keep["id"])
    assert [r["role"] for r in record["removed"]["participations"]] == ["supporter"]
    assert db["ties"].get(moved)["from_id"] == keep["id"]


def test_dry_run_reports_and_rolls_back(db: Database, pair, clock: FrozenClock) -> None:
    keep, drop = pair
    other = _org(db, clock, name="Ubuntu Labour", country="ZA")
    _tie(db, clock, drop["id"], other["id"])
    result = merge.merge(db, keep["id"], drop["id"], now=clock(), dry_run=True)
    assert result.dry_run and result.counts() == {"ties": 1}
    assert store.get(db, "accao-cidada-mz")["id"] == drop["id"]
    assert db["organisation_merges"].count == 0


def test_choosing_the_duplicates_values(db: Database, pair, clock: FrozenClock) -> None:
    keep, drop = pair
    assert merge.field_conflicts(keep, drop) == ["name", "acronym"]
    merge.merge(db, keep["id"], drop["id"], now=clock(), choose={"name": "drop"})
    kept = store.get(db, "accao-cidada")
    assert kept["name"] == "Accao Cidada Mocambique" and kept["acronym"] == "AC"
    assert "Acção Cidadã" in names.aliases_of(db, kept["id"])
    with pytest.raises(ValidationError):
        merge.merged_fields(keep, drop, {"slug": "drop"})


def test_a_second_merge_carries_the_history_and_old_slugs(db: Database, pair,
                                                          clock: FrozenClock) -> None:
    keep, drop = pair
    third = _org(db, clock, name="Acção Cidadã MZ", slug="ac-mz", country="MZ")
    merge.merge(db, third["id"], drop["id"], now=clock())
    merge.merge(db, keep["id"], third["id"], now=clock())
    assert names.slug_redirect(db, "accao-cidada-mz") == "accao-cidada"
    assert names.slug_redirect(db, "ac-mz") == "accao-cidada"
    assert [h["dropped_slug"] for h in merge.history(db, keep["id"])] == ["ac-mz",
                                                                          "accao-cidada-mz"]


def test_candidates_score_reasons_and_not_a_duplicate(db: Database, pair, clock: FrozenClock
                                                      ) -> None:
    keep, drop = pair
    abroad = _org(db, clock, name="ACÇÃO-CIDADÃ", slug="ac-za", country="ZA")
    _org(db, clock, name="Ubuntu Labour Rights Centre", acronym="ULRC", country="ZA")
    _org(db, clock, name="Centre for Labour Rights", acronym="U.L.R.C.", country="ZA",
         website="https://www.ulrc.example.org")
    _org(db, clock, name="Klimaunge Danmark", country="DK")

    def found() -> dict[frozenset, duplicates.Candidate]:
        return {frozenset((c.a["slug"], c.b["slug"])): c
                for c in duplicates.candidates(db, min_score=0.3)}

    by_pair = found()
    here = by_pair[frozenset(("accao-cidada", "accao-cidada-mz"))]  # "Moçambique" ignored in MZ
    there = by_pair[frozenset(("accao-cidada", "ac-za"))]
    assert {"same_name", "same_country"} <= {r.code for r in here.reasons}
    assert {"same_name", "other_country"} <= {r.code for r in there.reasons}
    assert here.score > there.score
    labour = by_pair[frozenset(("ubuntu-labour-rights-centre", "centre-for-labour-rights"))]
    assert "same_acronym" in {r.code for r in labour.reasons}
    assert "klimaunge-danmark" not in {s for p in by_pair for s in p}
    assert "same acronym (ULRC)" in [str(r) for r in labour.reasons]
    duplicates.mark_distinct(db, abroad["id"], keep["id"], now=clock())
    assert frozenset(("accao-cidada", "ac-za")) not in found()
    assert frozenset(("accao-cidada", "accao-cidada-mz")) in found()
    assert duplicates.pair(db, keep["id"], drop["id"]).score == here.score


def test_similarity_ignores_order_and_tolerates_a_typo() -> None:
    assert duplicates.similarity("saude rede", "rede saude") == 1.0
    assert duplicates.similarity("governacao maputo", "govenacao maputo") > 0.9
    assert duplicates.similarity("boa governacao maputo", "boa governacao matola") < 0.75


def test_a_failure_at_the_last_step_rolls_everything_back(db: Database, pair,
                                                          clock: FrozenClock) -> None:
    keep, drop = pair
    other = _org(db, clock, name="Ubuntu Labour", country="ZA")
    tie = _tie(db, clock, drop["id"], other["id"])
    store.add_membership(db, drop["id"], other["id"])
    # Another area's trigger refusing the history row: the very last write of a merge.
    db.execute("CREATE TRIGGER refuse_merges BEFORE INSERT ON organisation_merges"
               " BEGIN SELECT RAISE(ABORT, 'history refused'); END")
    with pytest.raises(sqlite3.IntegrityError):
        merge.merge(db, keep["id"], drop["id"], now=clock())
    assert store.get(db, "accao-cidada-mz")["id"] == drop["id"]
    assert db["ties"].get(tie)["from_id"] == drop["id"]
    assert store.networks_of(db, drop["id"])[0]["id"] == other["id"]
    assert names.aliases_of(db, keep["id"]) == [] and names.slug_redirect(db, drop["slug"]) is None
    assert store.get(db, "accao-cidada")["city"] in ("", None)
