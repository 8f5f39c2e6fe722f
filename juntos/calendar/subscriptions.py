"""External feeds the joint calendar subscribes to (e.g. a partner's Google secret address).

Fetched with httpx, with timeouts, a size limit and a few redirects at most. A failed fetch or
a malformed feed changes nothing (the error is kept on the source, without the URL, which may
be secret); a good one is applied all or nothing: matched by UID, updated, and events gone
upstream marked deleted so our own feeds cancel them.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

import httpx

from juntos.calendar import fetching, importer, store
from juntos.calendar.fetching import MAX_BYTES, PRIVATE_REFUSED, FetchFailed
from juntos.calendar.importer import Defaults, ImportRefused, ImportReport
from juntos.calendar.kinds import VISIBILITIES, FormField, NewSource, SourceKind, SyncResult
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import NotFound, ValidationError
from juntos.organisations import store as orgs
from juntos.validation import N_, has_control

__all__ = ["MAX_BYTES", "FetchFailed", "fetch", "list_sources", "subscribe", "sync_all",
           "sync_one", "unsubscribe"]

log = logging.getLogger("juntos.calendar")
#: What a member reads when a feed's content is refused: the importer's own message quotes
#: the file, and a feed's content is the remote server's, not ours to repeat.
CONTENT_REFUSED = ("The feed's content was refused: it is not an iCalendar file this server"
                   " can read, or an event in it breaks a rule (for instance one repeating"
                   " more often than daily)")



def normalise_url(url: str) -> str:
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://"):]
    if not url.lower().startswith(("http://", "https://")) or has_control(url):
        raise ValidationError({"url": "A feed address starts with https://, http:// or"
                                      " webcal://."})
    return url


def fetch(url: str, *, client: httpx.Client | None = None, allow_private: bool = False) -> bytes:
    """The feed's bytes (see ``juntos.calendar.fetching``)."""
    return fetching.fetch(url, client_=client, allow_private=allow_private)


def subscribe(db: Database, url: str, *, org_slug: str, now: datetime, label: str = "",
              visibility: str = "network", client: httpx.Client | None = None,
              allow_private: bool = False) -> SyncResult:
    """Add a subscription for an organisation and fetch it once."""
    url = normalise_url(url)
    try:
        host = httpx.URL(url).host
    except (httpx.InvalidURL, UnicodeError, ValueError):
        raise ValidationError({"url": "This address cannot be used."}) from None
    if not allow_private and fetching.points_inside(host):
        raise ValidationError({"url": PRIVATE_REFUSED})  # refused before anything is stored
    if visibility not in VISIBILITIES:
        raise ValidationError({"visibility": "Choose public, network or organisation."})
    if len(label) > 200:
        raise ValidationError({"label": "A name is at most 200 characters."})
    org = orgs.get(db, org_slug)
    if list(db.query("select 1 from calendar_sources where kind = 'subscription' and url = ?"
                     " and organisation_id = ?", [url, org["id"]])):
        raise ValidationError({"url": "This organisation already subscribes to this feed."})
    source_id = int(db["calendar_sources"].insert({
        "kind": "subscription", "label": label.strip() or f"Feed of {org['name']}", "url": url,
        "organisation_id": org["id"], "created_at": iso(now), "last_synced_at": None,
        "last_error": None, "visibility": visibility,
    }).last_pk)  # type: ignore[arg-type]
    return sync_one(db, source_id, now=now, client=client, allow_private=allow_private)


def get(db: Database, source_id: int) -> dict[str, Any]:
    rows = list(db.query("select * from calendar_sources where id = ? and kind = 'subscription'",
                         [source_id]))
    if not rows:
        raise NotFound(f"No subscription {source_id}.")
    return rows[0]


def unsubscribe(db: Database, source_id: int, *, now: datetime) -> int:
    """Stop following a feed. Its events are marked deleted, so that our own feeds show them
    as cancelled for a while instead of letting them silently vanish; returns how many."""
    get(db, source_id)
    with db.atomic():
        live = db.execute("select count(distinct uid) from calendar_events where source_id = ?"
                          " and deleted_at is null", [source_id]).fetchone()[0]
        store.mark_gone(db, source_id, set(), now=now)
        db.execute("update calendar_events set source_id = null where source_id = ?",
                   [source_id])
        db["calendar_sources"].delete(source_id)
    return int(live)


def _defaults(db: Database, source: dict[str, Any]) -> Defaults:
    zone = "UTC"
    if source["organisation_id"]:
        org = orgs.get_by_id(db, source["organisation_id"])
        zone = org.get("timezone") or "UTC"
    visibility = source["visibility"] if source["visibility"] in VISIBILITIES else "network"
    return Defaults(organiser_id=source["organisation_id"], visibility=visibility,
                    timezone=zone)


def sync_one(db: Database, source_id: int, *, now: datetime,
             client: httpx.Client | None = None, allow_private: bool = False) -> SyncResult:
    """Read one subscription again. Whatever goes wrong is recorded on that source, in our
    words, and returned: never raised, so a sync of many goes on to the next."""
    source = get(db, source_id)
    try:
        data = fetch(source["url"], client=client, allow_private=allow_private)
    except FetchFailed as e:
        return _failed(db, source, e.message)
    except Exception:  # an odd stored value, a library's surprise: this source only
        log.exception("Calendar: fetching subscription %s failed.", source_id)
        return _failed(db, source, "The feed could not be fetched.")
    try:
        cal = importer.parse(data)
        events = importer.convert(cal, _defaults(db, source), uid_lines={}, notes=[])
    except Exception as e:  # ImportRefused quotes the file: logged, not shown
        log.info("Calendar: subscription %s refused: %s", source_id, e)
        line = re.search(r"\b[Ll]ine (\d+)", str(e))
        return _failed(db, source, CONTENT_REFUSED + (f" (line {line[1]})" if line else "") + ".")
    report = ImportReport(source_id)
    try:
        with db.atomic():
            importer.store_events(db, events, source_id=source_id, now=now, report=report,
                                  mark_gone=True, foreign="rekey")
            db["calendar_sources"].update(source_id,
                                          {"last_synced_at": iso(now), "last_error": ""})
    except ImportRefused as e:  # an event another source owns (its message is ours)
        return _failed(db, source, e.message)
    return SyncResult(source_id, source["label"], report)


def _failed(db: Database, source: dict[str, Any], message: str) -> SyncResult:
    db["calendar_sources"].update(source["id"], {"last_error": message})
    return SyncResult(source["id"], source["label"], None, message)


def sync_all(db: Database, *, now: datetime, client: httpx.Client | None = None,
             allow_private: bool = False) -> list[SyncResult]:
    """Refresh every subscription; one failing feed does not stop the others."""
    ids = [r["id"] for r in db.query(
        "select id from calendar_sources where kind = 'subscription' order by id")]
    return [sync_one(db, source_id, now=now, client=client, allow_private=allow_private)
            for source_id in ids]


def list_sources(db: Database, *, organisation_id: int | None = None,
                 everyone: bool = True) -> list[dict[str, Any]]:
    """Every source (``everyone``), or only those of ``organisation_id``: a member sees their
    own organisation's sources, coordinators all."""
    where, params = ("", []) if everyone else (" where s.organisation_id = ?",
                                                [organisation_id])
    return list(db.query(
        "select s.id, s.kind, s.label, s.last_synced_at, s.last_error, o.name as org_name,"
        " s.organisation_id,"
        " (select count(*) from calendar_events e where e.source_id = s.id"
        "  and e.deleted_at is null) as events"
        " from calendar_sources s left join organisations o on o.id = s.organisation_id"
        + where + " order by s.id", params))


def add(db: Database, new: NewSource) -> SyncResult:
    """Subscribe the adding user's organisation to the feed at ``url``, and fetch it once."""
    return subscribe(db, new.values.get("url", ""), org_slug=new.organisation["slug"],
                     now=new.now, label=new.values.get("label", ""),
                     visibility=new.values.get("visibility", "network"),
                     allow_private=new.allow_private)


SUBSCRIPTION = SourceKind(
    id="subscription",
    label=N_("Subscribe to a partner's calendar"),
    intro=N_("Paste the address of a partner's calendar feed, such as a Google Calendar secret"
             " address in iCal format or an Outlook published calendar (ICS). Its events join"
             " the joint calendar for your organisation and are refreshed every hour; events"
             " removed there are shown as cancelled here."),
    submit=N_("Subscribe"),
    fields=(FormField(name="url", label=N_("Feed address"), type="url", required=True,
                      help=N_("Starts with https:// or webcal://. Keep it private: anyone with"
                              " a secret address can read that calendar.")),
            FormField(name="label", label=N_("Name shown with its events")),
            FormField(name="visibility", label=N_("Visible to"), type="visibility",
                      id="sub-visibility")),
    add=add,
    refresh=sync_one,
    remove=unsubscribe,
    action="/calendar/subscriptions",
    order=20,
)
