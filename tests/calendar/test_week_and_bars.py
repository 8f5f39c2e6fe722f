"""Events of several days as one bar (month and week), the week view, the day list's ranges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from juntos.calendar import grid, store
from juntos.calendar.occurrences import Occurrence
from tests.calendar.helpers import event, timed
from tests.support.web import soup


def _occurrence(first: date, last: date, title: str = "x") -> Occurrence:
    """An all-day occurrence from ``first`` to ``last`` included."""
    after = last + timedelta(days=1)
    return Occurrence(event(title=title, start=first, end=after),
                      datetime(first.year, first.month, first.day, tzinfo=UTC),
                      datetime(after.year, after.month, after.day, tzinfo=UTC))


def test_bars_take_the_first_free_lane_and_are_clipped_to_the_week() -> None:
    days = [date(2026, 11, 23 + i) for i in range(7)]  # Monday 23 to Sunday 29 November
    utc = ZoneInfo("UTC")
    long = _occurrence(date(2026, 11, 20), date(2026, 12, 10), "16 days")  # through the week
    short = _occurrence(date(2026, 11, 24), date(2026, 11, 25), "two days")
    later = _occurrence(date(2026, 11, 27), date(2026, 11, 28), "weekend")
    single = _occurrence(date(2026, 11, 25), date(2026, 11, 25), "one day")
    week = grid.week(days, [long, short, later, single], utc)
    assert [(c[0].occurrence.event.title if c[0] else None, c[1]) for c in week.lanes[0]] == [
        ("16 days", 7)]
    assert [(c[0].occurrence.event.title if c[0] else None, c[1]) for c in week.lanes[1]] == [
        (None, 1), ("two days", 2), (None, 1), ("weekend", 2), (None, 1)]
    assert week.singles == {date(2026, 11, 25): [single]}
    limited = grid.week(days, [long, short, later], utc, max_lanes=1)
    assert len(limited.lanes) == 1
    assert limited.hidden == {date(2026, 11, 24): 1, date(2026, 11, 25): 1,
                              date(2026, 11, 27): 1, date(2026, 11, 28): 1}


def test_month_shows_a_long_event_once_per_week_as_a_bar(as_user, db, clock) -> None:  # type: ignore[no-untyped-def]
    store.save(db, event(uid="16days@test", title="16 Days of Activism",
                         start=date(2026, 11, 25), end=date(2026, 12, 11)), now=clock())
    store.save(db, event(uid="one@test", title="One day", start=date(2026, 12, 2),
                         end=date(2026, 12, 3)), now=clock())
    page = soup(as_user("member").get("/calendar?month=2026-12"))
    bars = page.select("table.cal-month a.cal-bar")
    # the grid starts on Monday 30 November: that whole week, then 7 to 10 December
    assert [b.contents[0].strip() for b in bars] == ["16 Days of Activism"] * 2
    assert [b.find_parent("td")["colspan"] for b in bars] == ["7", "4"]
    assert "before" in bars[0]["class"] and "after" not in bars[1]["class"]
    items = [a.get_text() for a in page.select("table.cal-month .cal-item a")]
    assert items == ["One day"]  # not repeated in every day's cell


def test_week_view_has_prev_next_bars_and_each_day(as_user, db, clock) -> None:  # type: ignore[no-untyped-def]
    store.save(db, event(uid="cop@test", title="Summit", start=date(2026, 12, 1),
                         end=date(2026, 12, 5)), now=clock())
    store.save(db, timed(uid="call@test", title="Call", start=datetime(2026, 12, 2, 10),
                         end=datetime(2026, 12, 2, 11)), now=clock())
    member = as_user("member")
    r = member.get("/calendar/week?week=2026-12-03&country=")
    assert r.status_code == 200
    page = soup(r)
    assert page.title.get_text().startswith("Week of 30 November 2026") or \
        page.select_one("h1").get_text().startswith("Week of")
    assert page.select_one("a[rel=prev]")["href"].startswith("?week=2026-11-23")
    assert page.select_one("a[rel=next]")["href"].startswith("?week=2026-12-07")
    bar = page.select_one("table.cal-weekgrid a.cal-bar")
    assert bar.contents[0].strip() == "Summit" and bar.find_parent("td")["colspan"] == "4"
    day = page.select_one('table.cal-weekgrid td.cal-day[data-day="2026-12-02"]')
    assert "Call" in day.get_text()
    several = page.select_one(".cal-weeklist .cal-day")
    assert "Summit" in several.get_text() and "1 Dec" in several.get_text()
    assert member.get("/calendar/week?week=nonsense").status_code == 400
    assert member.get("/calendar/week?week=9999-01-01").status_code == 400
    month = soup(member.get("/calendar?month=2026-12"))
    assert month.select_one('nav.cal-views a[href^="/calendar/week"]') is not None
    assert month.select_one('a.daynum[href^="/calendar/week?week=2026-12-02"]') is not None
    agenda = soup(member.get("/calendar/agenda?from=2026-12-01&to=2026-12-07"))
    assert agenda.select_one('nav.cal-views a[href^="/calendar/week"]') is not None
    summit = next(li for li in agenda.select(".cal-item") if "Summit" in li.get_text())
    assert summit.select_one(".cal-span").get_text() == "1 Dec – 4 Dec 2026"
    listed = [li for day in agenda.select(".cal-day") for li in day.select(".cal-item")]
    assert [li.a.get_text() for li in listed].count("Summit") == 1  # once, with its dates


def test_week_view_matrix_never_shows_what_the_viewer_may_not_see(
        as_user, client, db, org_a, org_b, clock) -> None:  # type: ignore[no-untyped-def]
    store.save(db, event(uid="a-only@test", title="A only", start=date(2026, 12, 1),
                         end=date(2026, 12, 3), visibility="organisation",
                         organiser_id=org_a["id"]), now=clock())
    store.save(db, event(uid="net@test", title="Network days", start=date(2026, 12, 1),
                         end=date(2026, 12, 3), visibility="network"), now=clock())
    url = "/calendar/week?week=2026-12-01"
    assert client.get(url).url.path == "/login"
    for role, sees in (("coordinator", {"A only", "Network days"}),
                       ("member", {"A only", "Network days"}),
                       ("viewer", {"A only", "Network days"}),
                       ("other_member", {"Network days"})):
        page = soup(as_user(role).get(url))
        shown = {b.contents[0].strip() for b in page.select("table.cal-weekgrid a.cal-bar")}
        assert shown == sees, role
