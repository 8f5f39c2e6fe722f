"""m005: events reference campaigns by id, filled from the slugs that name a campaign."""

from __future__ import annotations

from pathlib import Path

from juntos import db as database
from juntos import house
from juntos.calendar import store
from juntos.calendar.visibility import Viewer, sql_clause


def test_an_older_database_gets_campaign_ids_and_keeps_orphans_null(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = database.connect(path)
    for migration_set in house.migrations():
        if migration_set.name == "juntos.calendar":
            migration_set.apply(old, stop_before="m005_campaign_ids")
        else:
            migration_set.apply(old)
    assert "campaign_id" not in old["calendar_events"].columns_dict
    org = old["organisations"].insert({"slug": "org-a", "name": "A", "kind": "cso"}).last_pk
    campaign = old["campaigns"].insert({"slug": "autumn", "title": "Autumn", "status": "active",
                                        "visibility": "private"}).last_pk
    for uid, slug in (("match@t", "autumn"), ("orphan@t", "strategy-retreat"), ("none@t", "")):
        old["calendar_events"].insert({
            "uid": uid, "title": uid, "start": "2027-03-08", "end": "2027-03-09", "all_day": 1,
            "campaign": slug, "organiser_id": org, "visibility": "campaign" if slug else "public",
            "status": "confirmed", "start_utc": "2027-03-08T00:00:00Z",
            "last_utc": "2027-03-09T00:00:00Z"})
    old.conn.commit()
    old.close()

    db = house.open_db(path)
    assert database.pending_migrations(db, house.migrations()) == []
    ids = {r["uid"]: (r["campaign"], r["campaign_id"]) for r in db.query(
        "select uid, campaign, campaign_id from calendar_events")}
    assert ids == {"match@t": ("autumn", campaign), "orphan@t": ("strategy-retreat", None),
                   "none@t": ("", None)}
    assert store.get_by_uid(db, "match@t").campaign_id == campaign
    # A campaign created now with the orphan's slug gains nothing: its partners see only
    # their own campaign's events; the orphan stays with its organiser and coordinators.
    squatter = db["campaigns"].insert({"slug": "strategy-retreat", "title": "S",
                                       "status": "active", "visibility": "private"}).last_pk
    assert isinstance(squatter, int)

    def uids(viewer: Viewer) -> set[str]:
        clause, params = sql_clause(viewer)
        return {r["uid"] for r in db.query(
            f"select uid from calendar_events e where {clause}", params)}

    assert uids(Viewer(user_id=9, organisation_id=999, campaigns=frozenset({squatter}))) == {
        "none@t"}
    assert uids(Viewer(user_id=9, organisation_id=org)) == {"none@t", "orphan@t"}
    assert uids(Viewer(user_id=9, organisation_id=999, campaigns=frozenset({campaign}))) == {
        "none@t", "match@t"}
    assert uids(Viewer(user_id=9, organisation_id=999, coordinator=True)) == {
        "none@t", "match@t", "orphan@t"}
