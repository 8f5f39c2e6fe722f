"""Demo data of the calendar area, loaded by `juntos demo` after organisations and users."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from juntos.calendar import international, store
from juntos.calendar.models import Event, make_uid
from juntos.calendar.visibility import campaign_ids
from juntos.db import Database

#: The demo campaigns the events belong to (the campaigns area's demo, loaded before this
#: one): the health campaign, and the autumn campaign, whose address names its year
#: (``{autumn}``: next autumn from September on, this one before). A test checks both exist.
HEALTH = "saude-para-todos-mz"
AUTUMN = "autumn-{autumn}-decent-work"

# (key, title, days from today, length in days or hours "Nh", category, campaign, organiser,
#  countries, themes, visibility, zone, rrule)
EVENTS = [
    ("land-day", "National day of action for land rights", 12, 1, "day_of_action", "", "forum-juntos-mz", ["MZ"], ["land rights"], "public", "", ""),
    ("land-press", "Press conference: land grabs in Nampula", 11, "2h", "media_moment", "", "mz-accao-cidada", ["MZ"], ["land rights"], "public", "Africa/Maputo", ""),
    ("climate-march", "Youth climate march, Harare", 20, 1, "day_of_action", AUTUMN, "zw-youth-climate", ["ZW"], ["climate"], "public", "", ""),
    ("coordination", "Weekly coordination call", 2, "1h", "meeting", AUTUMN, "samvirke-dk", ["DK", "MZ"], ["advocacy"], "network", "Europe/Copenhagen", "FREQ=WEEKLY;COUNT=30"),
    ("labour-training", "Training: documenting labour rights violations", 25, "3h", "training", "", "za-ubuntu-labour", ["ZA"], ["labour"], "network", "Africa/Johannesburg", ""),
    ("report-deadline", "Deadline: shadow report on health spending to the regional commission", 30, 1, "deadline", HEALTH, "forum-juntos-mz", ["MZ", "UG"], ["health", "advocacy"], "organisation", "", ""),
    ("health-radio", "Radio debate: medicines in rural health posts", 9, "1h", "media_moment", HEALTH, "rede-saude-mz", ["MZ"], ["health"], "network", "Africa/Maputo", ""),
    ("strategy-retreat", "Partners' strategy retreat (partners only)", 40, 2, "meeting", AUTUMN, "samvirke-dk", ["MZ"], ["advocacy"], "campaign", "", ""),
    ("cop", "UN climate conference (COP)", 60, 12, "summit", AUTUMN, "", [], ["climate"], "public", "", ""),
    ("women-vigil", "Vigil against gender-based violence, Mbabane", 5, "2h", "partner_event", "", "sz-lutsango-women", ["SZ"], ["women's rights"], "public", "Africa/Mbabane", ""),
]


def load(db: Database, *, now: datetime) -> None:
    """Idempotent: running the demo twice must not duplicate anything."""
    international.load_observances(db, now=now)
    ids = {r["slug"]: r["id"] for r in db.query("select id, slug from organisations")}
    today = now.date()
    autumn = today.year + (1 if today.month >= 9 else 0)
    slugs = {c: c.format(autumn=autumn) for c in (HEALTH, AUTUMN)}
    campaigns = campaign_ids(db, slugs.values())
    for key, title, offset, length, category, campaign, org, countries, themes, \
            visibility, zone, rrule in EVENTS:
        day = today + timedelta(days=offset)
        start: date | datetime
        end: date | datetime
        if isinstance(length, int):
            start, end, all_day = day, day + timedelta(days=length), True
        else:
            start = datetime(day.year, day.month, day.day, 10)
            end, all_day = start + timedelta(hours=int(str(length)[:-1])), False
        organiser_id = ids.get(org) if org else None
        if visibility == "organisation" and organiser_id is None:
            continue
        campaign = slugs.get(campaign, campaign)
        existing = _existing(db, make_uid("demo", key))
        if existing is not None:
            continue  # keep what is there: reloading must not move dates or raise SEQUENCE
        store.save(db, Event(
            uid=make_uid("demo", key), title=title, start=start, end=end, all_day=all_day,
            tzid=zone or "UTC", rrule=rrule, category=category, campaign=campaign,
            campaign_id=campaigns.get(campaign),
            organiser_id=organiser_id, countries=tuple(countries), themes=tuple(themes),
            visibility=visibility, description="Demo event."), now=now)


def _existing(db: Database, uid: str) -> int | None:
    rows = list(db.query("select id from calendar_events where uid = ?", [uid]))
    return rows[0]["id"] if rows else None
