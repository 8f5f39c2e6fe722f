"""One campaign as a document: what its page shows, for JSON, Markdown and plain text.

The campaign page, ``GET /campaigns/{slug}.json`` and ``juntos campaigns show|export`` all build
on ``overview``, so they cannot drift apart. Callers check visibility first.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from juntos.campaigns import activity, matrix, schedule, store
from juntos.db import Database

Row = dict[str, Any]

CAMPAIGN_FIELDS = ("slug", "title", "concept", "objectives", "themes", "countries", "regions",
                   "start_date", "end_date", "status", "visibility")


def overview(db: Database, campaign: Row, *, today: date, people: bool = True,
             with_activity: bool = True) -> Row:
    """Everything the campaign page shows, in a fixed number of queries. ``people=False`` for
    a reader outside the partners: the activity log names organisations, not people.
    ``with_activity=False`` leaves the log out (the page reads it apart, for its reader)."""
    cid = campaign["id"]
    workstreams = matrix.workstreams(db, cid)
    cells = matrix.matrix(db, cid)
    return {
        "campaign": campaign,
        "partners": store.partners(db, cid),
        "workstreams": workstreams,
        "matrix": cells,
        "matrix_problems": matrix.matrix_problems(db, cid),
        "commitments": schedule.commitments(db, cid, today=today),
        "calls_to_action": schedule.calls_to_action(db, cid),
        "milestones": schedule.milestones(db, cid),
        **({"activity": activity.activity(db, cid, people=people)} if with_activity else {}),
    }


def upcoming(view: Row, *, today: date) -> list[tuple[str, str, str]]:
    """``(kind, date, title)`` of what comes next, for the printable brief: the coming six
    months, or up to the campaign's end when that is later (a brief for a campaign still in
    planning must show its own dates)."""
    now = today.isoformat()
    horizon = max((today + timedelta(days=183)).isoformat(),
                  view["campaign"].get("end_date") or "")
    return sorted(
        [("call", a["start_date"], a["title"]) for a in view["calls_to_action"]
         if now <= a["end_date"] and a["start_date"] <= horizon]
        + [("milestone", m["date"], m["title"]) for m in view["milestones"]
           if now <= m["date"] <= horizon]
        + [("commitment", c["due_date"], f"{c['org_acronym'] or c['org_name']}: {c['title']}")
           for c in view["commitments"]
           if c["due_date"] and c["status"] in ("open", "in_progress")
           and c["due_date"] <= horizon],
        key=lambda item: item[1])


def to_dict(view: Row) -> Row:
    """A JSON-ready document (no internal ids except the stable ones of dated items)."""
    c = view["campaign"]
    slug_of = {p["id"]: p["slug"] for p in view["partners"]}
    return {
        **{k: c.get(k) for k in CAMPAIGN_FIELDS},
        "partners": [
            {"organisation": p["slug"], "name": p["name"], "role": p["role"],
             "country": p["country"],
             "workstreams": [{"name": w["name"], "raci": w["raci"]} for w in p["workstreams"]]}
            for p in view["partners"]
        ],
        "workstreams": [
            {"name": w["name"],
             "accountable": next((slug_of.get(o) for (ws, o), v in view["matrix"].items()
                                  if ws == w["id"] and v == "A"), None),
             "assignments": {slug_of.get(o, str(o)): v for (ws, o), v in
                             sorted(view["matrix"].items()) if ws == w["id"]}}
            for w in view["workstreams"]
        ],
        "commitments": [
            {"id": m["id"], "organisation": m["org_slug"], "workstream": m["workstream"],
             "title": m["title"], "due_date": m["due_date"], "status": m["status"],
             "overdue": m["overdue"], "notes": m["notes"]}
            for m in view["commitments"]
        ],
        "calls_to_action": [
            {"id": a["id"], "title": a["title"], "start_date": a["start_date"],
             "end_date": a["end_date"], "ask": a["ask"], "audience": a["audience"],
             "tactics": a["tactics"], "observance": a["observance_key"] or None}
            for a in view["calls_to_action"]
        ],
        "milestones": [{"id": m["id"], "title": m["title"], "date": m["date"],
                        "notes": m["notes"]} for m in view["milestones"]],
    }


def to_json(view: Row) -> str:
    return json.dumps(to_dict(view), ensure_ascii=False, indent=2)


def matrix_lines(view: Row) -> list[str]:
    """The RACI matrix as a fixed-width table: workstreams down, organisations across."""
    orgs = view["partners"]
    heads = [p["acronym"] or p["slug"] for p in orgs]
    width = max([len(w["name"]) for w in view["workstreams"]] + [len("workstream")])
    cols = [max(len(h), 1) for h in heads]
    lines = ["workstream".ljust(width) + "  " + "  ".join(h.ljust(n) for h, n in
                                                           zip(heads, cols, strict=True))]
    for w in view["workstreams"]:
        cells = [view["matrix"].get((w["id"], p["id"]), "-").ljust(n)
                 for p, n in zip(orgs, cols, strict=True)]
        lines.append(w["name"].ljust(width) + "  " + "  ".join(cells))
    return [line.rstrip() for line in lines]


def to_text(view: Row) -> str:
    """A plain-text summary for the terminal, matrix included."""
    doc = to_dict(view)
    out = [f"{doc['title']} ({doc['slug']})",
           f"status: {doc['status']}   visibility: {doc['visibility']}   "
           f"dates: {doc['start_date'] or '?'} to {doc['end_date'] or '?'}"]
    if doc["themes"]:
        out.append("themes: " + ", ".join(doc["themes"]))
    if doc["countries"]:
        out.append("countries: " + ", ".join(doc["countries"]))
    if doc["concept"]:
        out += ["", "Concept:", doc["concept"]]
    if doc["objectives"]:
        out += ["", "Objectives:", doc["objectives"]]
    out += ["", "Partners:"]
    out += [f"  {p['name']} ({p['organisation']}): {p['role']}" for p in doc["partners"]]
    out += ["", "Responsibilities (A accountable, R responsible, C consulted, I informed):"]
    out += ["  " + line for line in matrix_lines(view)]
    out += ["", "Commitments:"]
    for m in doc["commitments"]:
        flag = " OVERDUE" if m["overdue"] else ""
        out.append(f"  [{m['status']}{flag}] {m['due_date'] or 'no date'}  {m['organisation']}:"
                   f" {m['title']}")
    out += ["", "Calls to action:"]
    out += [f"  {a['start_date']}" + (f" to {a['end_date']}" if a["end_date"] != a["start_date"]
                                      else "") + f"  {a['title']}"
            for a in doc["calls_to_action"]]
    out += ["", "Milestones:"]
    out += [f"  {m['date']}  {m['title']}" for m in doc["milestones"]]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Escape characters Markdown would read as markup or HTML."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def to_markdown(view: Row) -> str:
    """A campaign brief in Markdown: concept, partners, matrix, commitments, dates."""
    doc = to_dict(view)
    out = [f"# {_md(doc['title'])}", "",
           f"*{doc['status']}*, {doc['start_date'] or '?'} to {doc['end_date'] or '?'}", ""]
    if doc["concept"]:
        out += ["## Concept", "", _md(doc["concept"]), ""]
    if doc["objectives"]:
        out += ["## Objectives", "", _md(doc["objectives"]), ""]
    out += ["## Partners", ""]
    out += [f"- {_md(p['name'])}: {p['role']}" for p in doc["partners"]]
    orgs = view["partners"]
    out += ["", "## Responsibilities", "",
            "| workstream | " + " | ".join(_md(p["acronym"] or p["slug"]) for p in orgs) + " |",
            "|---|" + "---|" * len(orgs)]
    for w in view["workstreams"]:
        out.append(f"| {_md(w['name'])} | " + " | ".join(
            view["matrix"].get((w["id"], p["id"]), "") for p in orgs) + " |")
    out += ["", "## Commitments", ""]
    out += [f"- {m['due_date'] or 'no date'} · {_md(m['organisation'])}: {_md(m['title'])}"
            f" ({m['status']}{', overdue' if m['overdue'] else ''})" for m in doc["commitments"]]
    out += ["", "## Calls to action", ""]
    out += [f"- {a['start_date']}: {_md(a['title'])}" + (f". {_md(a['ask'])}" if a["ask"] else "")
            for a in doc["calls_to_action"]]
    out += ["", "## Milestones", ""]
    out += [f"- {m['date']}: {_md(m['title'])}" for m in doc["milestones"]]
    return "\n".join(out) + "\n"
