"""The campaign page keeps its long pieces (who does what, the commitments) rendered between
views. Kept pieces must follow every change, whoever makes it (here written straight to the
database, as the CLI or an import would), each reader's rights, and the passing days."""

from __future__ import annotations

from juntos.campaigns import matrix, schedule
from juntos.campaigns.models import CommitmentInput
from tests.support.web import soup


def _page(client):  # type: ignore[no-untyped-def]
    return soup(client.get("/campaigns/autumn"))


def test_each_reader_sees_their_own_rights_in_the_kept_pieces(as_user, db, clock,
                                                              campaigns) -> None:
    cid, a_id = campaigns["shared"]["id"], campaigns["shared"]["lead_org_ids"][0]
    mine = schedule.commitments(db, cid, today=clock().date())[0]  # org B's
    leads = schedule.add_commitment(db, cid, CommitmentInput.validated(
        organisation_id=str(a_id), title="Press kit", due_date="2026-12-01"), now=clock())
    readers = {role: as_user(role) for role in ("member", "viewer", "other_member",
                                                "coordinator")}
    for _round in range(2):  # the second round is served from what the first one kept
        pages = {role: _page(c) for role, c in readers.items()}
        # the lead's member and the coordinator edit the matrix; the viewer and partner read it
        assert pages["member"].select("table.matrix select")
        assert pages["coordinator"].select("table.matrix select")
        assert not pages["viewer"].select("table.matrix select")
        assert not pages["other_member"].select("table.matrix select")
        # org B's commitment: its own member and the lead may change its status, the viewer not
        status = f"select[name=status-{mine['id']}]"
        assert pages["other_member"].select(status) and pages["member"].select(status)
        assert not pages["viewer"].select(status)
        # the lead's own commitment: the lead's member changes it, the partner does not
        status = f"select[name=status-{leads}]"
        assert pages["member"].select(status) and not pages["other_member"].select(status)
        # each reader's own form token, never another's
        for role, page in pages.items():
            tokens = {i["value"] for i in page.select("input[name=csrf_token]")}
            assert len(tokens) == 1, role
        assert len({next(iter({i["value"] for i in p.select("input[name=csrf_token]")}))
                    for p in pages.values()}) == len(pages)


def test_kept_pieces_follow_writes_from_anywhere_and_the_day(as_user, db, clock,
                                                             campaigns) -> None:
    cid, b_id = campaigns["shared"]["id"], campaigns["b"]["id"]
    reader = as_user("member")
    assert "Radio spots" not in _page(reader).select_one("#commitments").get_text()
    schedule.add_commitment(db, cid, CommitmentInput.validated(
        organisation_id=str(b_id), title="Radio spots", due_date="2026-11-25"), now=clock())
    page = _page(reader)
    item = next(li for li in page.select("#commitments li") if "Radio spots" in li.get_text())
    assert "overdue" not in (item.get("class") or [])
    matrix.add_workstream(db, cid, "Litigation", now=clock())
    assert "litigation" in _page(reader).select_one("table.matrix").get_text().lower()
    db["organisations"].update(b_id, {"short_name": "Renamed B"})
    assert "Renamed B" in _page(reader).select_one("table.matrix thead").get_text()
    clock.advance(days=3)  # due on the 25th: overdue from the 26th, with no write at all
    page = _page(reader)
    item = next(li for li in page.select("#commitments li") if "Radio spots" in li.get_text())
    assert "overdue" in item.get("class")


def test_the_dashboard_keeps_next_commitments_per_organisation_and_day(as_user, db, clock,
                                                                       campaigns) -> None:
    """The dashboard's next commitments and calls are read once per change of the campaigns,
    organisation and role of the reader, and day."""
    cid, b_id = campaigns["shared"]["id"], campaigns["b"]["id"]
    partner, lead = as_user("other_member"), as_user("member")
    mine = lambda c: soup(c.get("/")).select_one("#h-my-commitments").parent.get_text()  # noqa: E731
    assert "Survey of members" in mine(partner) and "Survey of members" not in mine(lead)
    schedule.add_commitment(db, cid, CommitmentInput.validated(
        organisation_id=str(b_id), title="Radio spots", due_date="2026-11-30"), now=clock())
    assert "Radio spots" in mine(partner) and "Radio spots" not in mine(lead)
    item = next(li for li in soup(partner.get("/")).select("li") if "Radio spots" in li.text)
    assert "overdue" not in (item.get("class") or [])
    clock.advance(days=8)  # no write: the next day's reading
    item = next(li for li in soup(partner.get("/")).select("li") if "Radio spots" in li.text)
    assert "overdue" in item.get("class")
