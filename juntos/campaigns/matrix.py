"""A campaign's workstreams and its RACI matrix: which partner is accountable (A), responsible
(R), consulted (C) or informed (I) for each workstream.

- ``workstreams(db, campaign_id)``, ``add_workstream``.
- ``matrix`` (``{(workstream_id, organisation_id): letter}``), ``matrix_problems``,
  ``set_matrix`` (all or nothing) and ``assign`` (one cell, checked as a whole).

Every change takes ``now`` and ``by`` and writes one ``campaign_activity`` row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from juntos.campaigns.activity import insert, log
from juntos.campaigns.models import RACI
from juntos.db import Database
from juntos.errors import ValidationError

Row = dict[str, Any]


def workstreams(db: Database, campaign_id: int) -> list[Row]:
    return list(db.query("select id, name, position from workstreams where campaign_id = ?"
                         " order by position, id", [campaign_id]))


def add_workstream(db: Database, campaign_id: int, name: str, *, now: datetime,
                   by: int | None = None) -> Row:
    name = " ".join(name.split()).lower()
    if not name:
        raise ValidationError({"name": "A workstream needs a name."})
    if len(name) > 80:
        raise ValidationError({"name": "A workstream name is at most 80 characters."})
    with db.atomic():
        if list(db.query("select 1 from workstreams where campaign_id = ? and name = ?",
                         [campaign_id, name])):
            raise ValidationError({"name": f"There is already a workstream {name!r}."})
        position = next(db.query("select coalesce(max(position), -1) + 1 as p from workstreams"
                                 " where campaign_id = ?", [campaign_id]))["p"]
        ws_id = insert(db, "workstreams", {"campaign_id": campaign_id, "name": name,
                                           "position": position})
        log(db, campaign_id, "workstream_added", name, now=now, by=by)
    return {"id": ws_id, "name": name, "position": position}


def matrix(db: Database, campaign_id: int) -> dict[tuple[int, int], str]:
    """``{(workstream_id, organisation_id): letter}`` for every assigned cell."""
    return {(r["workstream_id"], r["organisation_id"]): r["raci"] for r in db.query(
        "select workstream_id, organisation_id, raci from assignments where campaign_id = ?",
        [campaign_id])}


def matrix_problems(db: Database, campaign_id: int) -> list[str]:
    """Names of workstreams that have letters but no accountable organisation."""
    return [r["name"] for r in db.query(
        """select w.name from workstreams w where w.campaign_id = ?
             and exists (select 1 from assignments a where a.workstream_id = w.id)
             and not exists (select 1 from assignments a where a.workstream_id = w.id
                             and a.raci = 'A') order by w.position""", [campaign_id])]


def set_matrix(db: Database, campaign_id: int, cells: dict[tuple[int, int], str], *,
               now: datetime, by: int | None = None) -> None:
    """Replace the whole matrix with ``cells`` (letter ``""`` clears a cell). All or nothing.

    Errors are keyed ``ws-<workstream id>`` so a form shows them on the workstream's row:
    a second accountable organisation, or letters without any accountable one.
    """
    ws_names = {w["id"]: w["name"] for w in workstreams(db, campaign_id)}
    member_ids = {r["organisation_id"] for r in db.query(
        "select organisation_id from participations where campaign_id = ?"
        " and status = 'accepted'", [campaign_id])}
    errors: dict[str, str] = {}
    kept: dict[tuple[int, int], str] = {}
    for (ws_id, org_id), letter in cells.items():
        letter = (letter or "").strip().upper()
        if not letter:
            continue
        if ws_id not in ws_names:
            errors[f"ws-{ws_id}"] = "Not a workstream of this campaign."
        elif org_id not in member_ids:
            errors[f"ws-{ws_id}"] = "Unknown organisation: only partners can take a workstream."
        elif letter not in RACI:
            errors[f"ws-{ws_id}"] = f"Unknown letter {letter!r}; one of {', '.join(RACI)}."
        else:
            kept[(ws_id, org_id)] = letter
    for ws_id, name in ws_names.items():
        letters = [v for (w, _), v in kept.items() if w == ws_id]
        accountable = letters.count("A")
        if accountable > 1:
            errors[f"ws-{ws_id}"] = (f"{name}: only one organisation can be accountable (A);"
                                     f" {accountable} are marked.")
        elif letters and accountable == 0:
            errors[f"ws-{ws_id}"] = f"{name}: mark exactly one organisation accountable (A)."
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        db.execute("delete from assignments where campaign_id = ?", [campaign_id])
        db["assignments"].insert_all(
            [{"workstream_id": w, "organisation_id": o, "campaign_id": campaign_id, "raci": v}
             for (w, o), v in kept.items()])
        log(db, campaign_id, "matrix_updated", f"{len(kept)} cells", now=now, by=by)


def assign(db: Database, campaign_id: int, workstream_id: int, org_id: int, letter: str, *,
           now: datetime, by: int | None = None) -> None:
    """Set one cell, checking the whole matrix as ``set_matrix`` does."""
    cells = matrix(db, campaign_id)
    cells[(workstream_id, org_id)] = letter
    set_matrix(db, campaign_id, cells, now=now, by=by)
