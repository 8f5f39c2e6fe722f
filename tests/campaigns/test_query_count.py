"""No query per row: the campaign page's data and "my commitments" take a fixed number of
queries whatever the number of partners, commitments and calls (counted with SQLite's trace
callback on the connection)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from juntos.campaigns import export, matrix, schedule, store
from juntos.campaigns.models import CallToActionInput, CommitmentInput
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from tests.campaigns.conftest import make_campaign


def queries(db, fn: Callable[[], Any]) -> int:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        fn()
    finally:
        db.conn.set_trace_callback(None)
    return len([q for q in seen if q.lstrip().lower().startswith(("select", "with"))])


def grow(db, clock, campaign: dict, n: int, start: int) -> None:  # type: ignore[no-untyped-def]
    ws = matrix.workstreams(db, campaign["id"])
    for i in range(start, start + n):
        org = orgs.create(db, OrganisationInput.validated(name=f"Partner {i}", slug=f"p-{i}"),
                          now=clock())
        store.add_partner(db, campaign["id"], org["slug"], "partner", accepted=True, now=clock())
        matrix.assign(db, campaign["id"], ws[i % len(ws)]["id"], org["id"], "R", now=clock())
        schedule.add_commitment(db, campaign["id"], CommitmentInput.validated(
            organisation_id=str(org["id"]), workstream_id=str(ws[0]["id"]), title=f"C{i}",
            due_date=f"2026-12-{(i % 28) + 1:02d}"), now=clock())
        schedule.add_call_to_action(db, campaign["id"], CallToActionInput.validated(
            title=f"Day {i}", start_date="2027-01-01"), now=clock())


def test_campaign_page_data_takes_the_same_queries_for_2_or_20_partners(db, clock,
                                                                         users) -> None:
    campaign = make_campaign(db, clock, slug="autumn")
    first = store.get(db, "autumn")
    for ws in matrix.workstreams(db, campaign["id"]):
        matrix.assign(db, campaign["id"], ws["id"], first["lead_org_ids"][0], "A", now=clock())
    today = date(2026, 11, 23)

    def page_data() -> None:
        c = store.get(db, "autumn")
        export.to_dict(export.overview(db, c, today=today))

    grow(db, clock, campaign, 2, 0)
    small = queries(db, page_data)
    grow(db, clock, campaign, 18, 2)
    assert queries(db, page_data) == small
    assert small <= 12


def test_my_commitments_and_lists_take_fixed_queries(db, clock, users) -> None:
    campaign = make_campaign(db, clock, slug="autumn")
    member = users["member"]
    today = date(2026, 11, 23)
    for i in range(30):
        schedule.add_commitment(db, campaign["id"], CommitmentInput.validated(
            organisation_id=str(member.organisation_id), title=f"C{i}"), now=clock())
        make_campaign(db, clock, slug=f"c-{i}")
    assert queries(db, lambda: schedule.my_commitments(db, member, today=today)) == 1
    assert queries(db, lambda: store.search(db, store.CampaignFilter(), user=member)) == 2
