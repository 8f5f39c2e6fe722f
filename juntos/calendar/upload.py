"""The source kind "an uploaded .ics file": read once, all or nothing (see ``importer``)."""

from __future__ import annotations

from juntos.calendar import importer
from juntos.calendar.kinds import VISIBILITIES, FormField, NewSource, SourceKind, SyncResult
from juntos.db import Database
from juntos.errors import Message, ValidationError
from juntos.validation import N_


def add(db: Database, new: NewSource) -> SyncResult:
    """Import the uploaded file as a new source, or refuse it (``file``) with nothing stored."""
    upload = new.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError({"file": Message(N_("Choose an .ics file to import."))})
    visibility = new.values.get("visibility", "network")
    org = new.organisation
    defaults = importer.Defaults(
        organiser_id=org["id"], visibility=visibility if visibility in VISIBILITIES
        else "network", timezone=org.get("timezone") or "UTC")
    try:
        report = importer.import_bytes(db, upload.data, label=upload.filename,
                                       defaults=defaults, now=new.now)
    except importer.ImportRefused as e:
        raise ValidationError({"file": Message(
            N_("The file was refused and nothing was imported: %(reason)s"),
            reason=e.message)}) from e
    return SyncResult(report.source_id, upload.filename, report)


UPLOAD = SourceKind(
    id="upload",
    label=N_("Import a calendar file"),
    intro=N_("Upload an .ics file exported from Google Calendar, Outlook, Apple Calendar,"
             " Thunderbird or Nextcloud. The whole file is imported, or nothing if anything in"
             " it is wrong. Importing the same file again updates the events."),
    submit=N_("Import"),
    fields=(FormField(name="file", label=N_("Calendar file (.ics)"), type="file",
                      accept=".ics,text/calendar"),
            FormField(name="visibility", label=N_("Visible to"), type="visibility")),
    add=add,
    done=N_("Imported %(n)d events from %(name)s."),
    action="/calendar/import",
    order=10,
)
