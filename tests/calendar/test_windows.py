"""Pages read only their window, kept until something changes; a busy month stays small."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from juntos.calendar import store
from juntos.calendar.choices import ORGANISER_LIST_MAX
from juntos.clock import iso
from juntos.db import Database
from tests.calendar.helpers import event, timed
from tests.support.web import soup


def test_a_busy_day_lists_five_and_links_to_the_rest(as_user, db: Database, clock) -> None:  # type: ignore[no-untyped-def]
    for i in range(8):
        store.save(db, timed(uid=f"busy-{i}@test", title=f"Busy {i}",
                             start=datetime(2026, 12, 9, 8 + i), end=datetime(2026, 12, 9, 9 + i)),
                   now=clock())
    member = as_user("member")
    page = soup(member.get("/calendar?month=2026-12"))
    cell = page.select_one('table.cal-month td.cal-day[data-day="2026-12-09"]')
    assert len(cell.select(".cal-item")) == 5
    more = cell.select_one("a.cal-more")
    assert more.get_text(strip=True) == "3 more"
    day = soup(member.get(more["href"]))
    assert all(f"Busy {i}" in day.get_text() for i in range(8))


def test_the_dashboard_sees_a_new_event_at_once(as_user, db: Database, clock) -> None:  # type: ignore[no-untyped-def]
    member = as_user("member")
    assert "Vigil tomorrow" not in member.get("/").text
    store.save(db, event(uid="vigil@test", title="Vigil tomorrow",
                         start=clock().date() + timedelta(days=1),
                         end=clock().date() + timedelta(days=2)), now=clock())
    assert "Vigil tomorrow" in member.get("/").text  # the kept window was for the old version
    clock.advance(days=3)  # past it: the same kept window no longer shows it
    assert "Vigil tomorrow" not in member.get("/").text


def test_the_kept_month_grid_follows_events_the_day_and_the_reader(as_user, db: Database,  # type: ignore[no-untyped-def]
                                                                   clock) -> None:
    """The month's rendered rows are kept between views: a new event, the next day and
    another language each give new rows."""
    member = as_user("member")
    grid = lambda: soup(member.get("/calendar?month=2026-11")).select_one("table.cal-month")  # noqa: E731
    assert grid().select_one("td.cal-day.today")["data-day"] == "2026-11-23"
    store.save(db, event(uid="march@test", title="Kept March", start=date(2026, 11, 27),
                         end=date(2026, 11, 28)), now=clock())
    assert "Kept March" in grid().get_text()
    clock.advance(days=1)
    assert grid().select_one("td.cal-day.today")["data-day"] == "2026-11-24"
    member.post("/language", data={"language": "pt", "next": "/calendar",
                                   "csrf_token": _token(member)})
    assert "Kept March" in grid().get_text() and "segunda" in grid().select_one(".wd").get_text()


def _token(client) -> str:  # type: ignore[no-untyped-def]
    return soup(client.get("/calendar")).select_one("input[name=csrf_token]")["value"]


def test_many_organisers_are_searched_then_chosen(as_user, db: Database, clock) -> None:  # type: ignore[no-untyped-def]
    stamp = iso(clock())
    many = ORGANISER_LIST_MAX + 5
    db["organisations"].insert_all(
        [{"slug": f"grupo-{i}", "name": f"Grupo {i:02d}" + (" Ndau" if i == 7 else ""),
          "kind": "cso", "created_at": stamp, "updated_at": stamp}
         for i in range(many)])
    rows = list(db.query("select id, slug from organisations where slug like 'grupo-%'"))
    for row in rows:
        store.save(db, event(uid=f"{row['slug']}@test", title=f"Act of {row['slug']}",
                             start=date(2026, 12, 2),
                             end=date(2026, 12, 3), organiser_id=row["id"]), now=clock())
    member = as_user("member")
    page = soup(member.get("/calendar?month=2026-12"))
    assert page.select_one('input[name="org_q"]') is not None
    assert [o["value"] for o in page.select('select[name="org"] option')] == [""]
    found = soup(member.get("/calendar?month=2026-12&org_q=ndau"))
    assert [o.get_text() for o in found.select('select[name="org"] option')][1:] == [
        "Grupo 07 Ndau"]
    chosen = soup(member.get("/calendar?month=2026-12&org=grupo-7"))
    selected = chosen.select_one('select[name="org"] option[selected]')
    assert selected["value"] == "grupo-7"
    assert [a.get_text() for a in chosen.select("table.cal-month .cal-item a")] == [
        "Act of grupo-7"]
    nothing = soup(member.get("/calendar?month=2026-12&org_q=zzz"))
    assert "No organisation with events matches" in nothing.get_text()
