"""From files to actors and ties: detect the format, preview against the database, commit.

The preview sorts every node into new, matched (same slug, or same name or acronym ignoring
case and accents) or conflicting (same name, different country), and lists rows in error. For
each conflicting row a person chooses: create it as a new actor (the default) or match the
existing organisation (``resolve_conflicts``). Commit is all-or-nothing: any error and nothing
is stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from juntos.db import Database
from juntos.errors import Message, ValidationError
from juntos.network_map import store
from juntos.network_map.interop import kinds, limits, table_readers, xml_readers
from juntos.network_map.interop.parsed import Edge, ImportFileError, Node, ParsedGraph
from juntos.network_map.models import MEMBER_OF, TieInput, valid_date
from juntos.organisations import names as org_names
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput, slugify, split_tags
from juntos.validation import N_

FORMATS = ("kumu", "xlsx", "gexf", "graphml", "json")
#: What becomes of a conflicting row: a new actor, or the existing organisation it resembles.
CONFLICT_CHOICES = ("new", "match")
#: Node attributes that become organisation fields rather than extra attributes.
ORG_FIELDS = ("slug", "kind", "type", "country", "themes", "tags", "acronym", "description",
              "city", "region", "website")
DEFAULT_TIE_KIND = "linked to"
MAX_NAME = 200


# How names and acronyms are matched: the organisations area's rule, so both always agree.
normalise = org_names.fold


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".gexf": "gexf", ".graphml": "graphml", ".xml": "graphml", ".json": "json",
            ".xlsx": "xlsx", ".csv": "kumu"}.get(suffix, "")


def read(paths: list[Path], fmt: str = "") -> ParsedGraph:
    """Parse one file (GEXF, GraphML, JSON, XLSX) or a Kumu CSV pair (recognised by columns)."""
    if not paths:
        raise ValidationError({"file": "Choose a file to import."})
    fmt = fmt or _format_of(paths[0])
    try:
        if len(paths) > 2:
            raise ValidationError({"file": "Import one file at a time (or a Kumu CSV pair)."})
        for path in paths:
            limits.check_file(path)
        if fmt == "kumu" or (not fmt and all(p.suffix.lower() == ".csv" for p in paths)):
            tables: dict[str, tuple[str, table_readers.Rows]] = {}
            for path in paths:
                rows = table_readers.read_csv_rows(path)
                kind = table_readers.sheet_kind(rows[0].keys() if rows else [])
                if kind is None:
                    raise ImportFileError(path.name, "neither Elements (a Label column) nor "
                                                     "Connections (From and To columns)")
                tables[kind] = (path.name, rows)
            elements = tables.get("elements", ("", []))
            connections = tables.get("connections", ("", []))
            return table_readers.kumu(elements[1], connections[1], name=paths[0].name,
                                      elements_name=elements[0] or "Elements",
                                      connections_name=connections[0] or "Connections")
        if len(paths) != 1:
            raise ValidationError({"file": "Import one file at a time (or a Kumu CSV pair)."})
        path = paths[0]
        if fmt == "xlsx":
            sheets = table_readers.read_xlsx_sheets(path)
            if not sheets:
                raise ImportFileError(path.name, "no sheet with a Label column or From/To columns")
            e_name, e_rows = sheets.get("elements", ("Elements", []))
            c_name, c_rows = sheets.get("connections", ("Connections", []))
            return table_readers.kumu(e_rows, c_rows, name=path.name, elements_name=e_name,
                                      connections_name=c_name)
        readers = {"gexf": xml_readers.read_gexf, "graphml": xml_readers.read_graphml,
                   "json": table_readers.read_node_link}
        if fmt not in readers:
            raise ValidationError({"format": f"Unknown format {fmt!r}; one of "
                                             f"{', '.join(FORMATS)}."})
        return readers[fmt](path)
    except ImportFileError as e:
        raise ValidationError({"file": f"{e.where}: {e.message}"}) from e
    except limits.TooLarge as e:
        raise ValidationError({"file": e.message}) from None


@dataclass
class PlannedActor:
    key: str
    where: str
    status: str  # new, matched, conflicting
    values: dict[str, Any]
    attrs: dict[str, Any]
    existing: dict[str, Any] | None = None
    position: tuple[float, float] | None = None
    resolution: str = "new"  # for a conflicting row: "new" or "match"

    @property
    def creates(self) -> bool:
        """Whether committing this row creates an organisation."""
        return not (self.status == "matched" or (self.status == "conflicting"
                                                 and self.resolution == "match"))


#: A planned tie: source and target node keys, its fields, other attributes, where it was.
PlannedTie = tuple[str, str, dict[str, Any], dict[str, Any], str]


@dataclass
class Preview:
    name: str
    actors: list[PlannedActor] = field(default_factory=list)
    ties: list[PlannedTie] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    #: Types that name no kind for sure, still without one: folded → (as written, rows).
    unresolved: dict[str, tuple[str, int]] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for a in self.actors if a.status == status)

    def summary(self) -> dict[str, int]:
        return {"new": self.count("new"), "matched": self.count("matched"),
                "conflicting": self.count("conflicting"),
                "conflicting_matched": sum(1 for a in self.actors if a.status == "conflicting"
                                           and a.resolution == "match"),
                "ties": len(self.ties), "errors": len(self.errors)}


def resolve_conflicts(preview: Preview, *, default: str = "new",
                      choices: dict[str, str] | None = None) -> Preview:
    """Apply the person's choice to each conflicting row of a freshly planned preview.

    ``choices`` maps a node key to ``"new"`` or ``"match:SLUG"``, the slug being the
    organisation the preview showed. The preview is planned again at commit, so a choice only
    holds for a row that still conflicts with that same organisation; otherwise the row is in
    error (nothing is imported) and the person previews again. Rows without a choice take
    ``default`` (``"new"`` or ``"match"``).
    """
    if default not in CONFLICT_CHOICES:
        raise ValidationError({"conflicts": f"Conflicts are resolved as one of "
                                            f"{', '.join(CONFLICT_CHOICES)}, not {default!r}."})
    choices = choices or {}
    for actor in preview.actors:
        if actor.status != "conflicting" or actor.existing is None:
            continue
        choice = choices.get(actor.key, default)
        if choice == "new":
            actor.resolution = "new"
        elif choice in ("match", f"match:{actor.existing['slug']}"):
            actor.resolution = "match"
        else:
            preview.errors.append((actor.where, "the organisation to match is not the one the "
                                                "preview showed; preview the file again"))
    return preview


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return "" if value is None else str(value).strip()


def _tags(value: Any) -> list[str]:
    if isinstance(value, list):
        return split_tags([str(v) for v in value])
    text = _text(value)
    return split_tags(text.replace("|", ",")) if text else []


def _index(db: Database) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    # Slugs, names, acronyms and aliases (old slugs of merged organisations too).
    return org_names.lookup_tables(db, key=normalise)


Lookup = tuple[dict[str, dict], dict[str, list[dict]]]


def _actor_values(node: Node) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A node's organisation fields, its other attributes, and the slug it asks for."""
    attrs = {k: v for k, v in node.attrs.items() if k.lower() not in ORG_FIELDS}
    raw = {k.lower(): v for k, v in node.attrs.items() if k.lower() in ORG_FIELDS}
    name = (node.label or node.key).strip()[:MAX_NAME]
    kind_text = _text(raw.get("kind") or raw.get("type"))
    # An unsure type keeps "other" only until the person chooses (``kinds.resolve``).
    kind = kinds.known(kind_text) or "other"
    if kind_text and kind_text.lower().replace(" ", "_") != kind:
        attrs["type"] = kind_text
    values = {
        "name": name, "kind": kind, "country": _text(raw.get("country")).upper(),
        "themes": _tags(raw.get("themes") if "themes" in raw else raw.get("tags")),
        "acronym": _text(raw.get("acronym"))[:40],
        "description": _text(raw.get("description")),
        "city": _text(raw.get("city")), "region": _text(raw.get("region")),
        "website": _text(raw.get("website")),
    }
    return values, attrs, _text(raw.get("slug"))


def _match(values: dict[str, Any], slug: str,
           lookup: Lookup) -> tuple[str, dict[str, Any] | None]:
    """New, matched (same slug, or same name or acronym) or conflicting (same name, another
    country), with the organisation it resembles."""
    by_slug, by_name = lookup
    existing = by_slug.get(slug) if slug else None
    if existing is not None:
        return "matched", existing
    candidates = by_name.get(normalise(values["name"]), []) + (
        by_name.get(normalise(values["acronym"]), []) if values["acronym"] else [])
    if not candidates:
        return "new", None
    existing = candidates[0]
    differs = values["country"] and existing["country"] and (
        values["country"] != existing["country"])
    return ("conflicting" if differs else "matched"), existing


def _plan_actor(node: Node, lookup: Lookup, errors: list[tuple[str, str]]) -> PlannedActor | None:
    values, attrs, slug = _actor_values(node)
    try:
        OrganisationInput.validated(**values, slug=slug or slugify(values["name"]))
    except ValidationError as e:
        errors.extend((node.where, f"{fld}: {message}") for fld, message in e.errors.items())
        return None
    status, existing = _match(values, slug, lookup)
    values["slug"] = slug
    return PlannedActor(node.key, node.where, status, values, attrs, existing, node.position)


def _strength(weight: str, attrs: dict[str, Any]) -> int | None:
    """A 1-5 strength from a weight; other numbers stay an attribute. ValueError: no number."""
    if not weight:
        return None
    number = float(weight)
    if number == int(number) and 1 <= number <= 5:
        return int(number)
    attrs["weight"] = weight  # kept as an attribute, outside our 1-5 scale
    return None


def _date(value: str, label: str, attrs: dict[str, Any]) -> str:
    """An ISO date, or "" with other time formats (integers, ...) kept as an attribute."""
    if value and valid_date(value[:10]):
        return value[:10]
    if value:
        attrs[label] = value
    return ""


def _tie_fields(edge: Edge) -> tuple[dict[str, Any], dict[str, Any]]:
    """The tie's fields from an edge's attributes (those used are consumed) and the rest.
    ValueError: a strength that is not a number."""
    attrs = dict(edge.attrs)
    lowered = {k.lower(): k for k in attrs}

    def take(*names: str) -> str:
        """The first non-empty of these attributes; all of them are consumed."""
        found = [_text(attrs.pop(lowered[n])) for n in names if n in lowered]
        return next((f for f in found if f), "")

    kind = take("relation", "kind", "type", "label") or DEFAULT_TIE_KIND
    weight = take("strength", "weight")
    try:
        strength = _strength(weight, attrs)
    except ValueError as e:
        raise ValueError(f"Strength {weight!r} is not a number") from e
    start, end = take("valid_from", "start"), take("valid_until", "end")
    directed_flag = take("directed")
    fields: dict[str, Any] = {
        "kind": kind.lower(), "strength": strength, "stance": take("stance"),
        "valid_from": _date(start, "start", attrs), "valid_until": _date(end, "end", attrs),
        "source": take("source", "evidence"), "notes": take("notes", "description"),
    }
    directed = directed_flag.lower() in ("true", "1", "yes") if directed_flag else edge.directed
    if directed is not None:
        fields["directed"] = directed
    return fields, attrs


def _plan_tie(edge: Edge, errors: list[tuple[str, str]]) -> PlannedTie | None:
    try:
        fields, attrs = _tie_fields(edge)
    except ValueError as e:
        errors.append((edge.where, str(e)))
        return None
    try:
        TieInput.validated(from_id=0, to_id=0, **fields)
    except ValidationError as e:
        errors.extend((edge.where, f"{fld}: {message}") for fld, message in e.errors.items())
        return None
    return (edge.source, edge.target, fields, attrs, edge.where)


def plan(db: Database, parsed: ParsedGraph) -> Preview:
    """Match every node against the database and check every edge; nothing is written."""
    preview = Preview(parsed.name, errors=list(parsed.errors))
    lookup = _index(db)
    for node in parsed.nodes.values():
        _within(parsed.deadline)
        actor = _plan_actor(node, lookup, preview.errors)
        if actor is not None:
            preview.actors.append(actor)
    known = {a.key for a in preview.actors}
    for edge in parsed.edges:
        _within(parsed.deadline)
        missing = [k for k in (edge.source, edge.target) if k not in parsed.nodes]
        if missing:
            preview.errors.append((edge.where, f"unknown node {missing[0]!r}"))
        elif edge.source in known and edge.target in known:  # else its node is in error
            tie = _plan_tie(edge, preview.errors)
            if tie is not None:
                preview.ties.append(tie)
    return preview


def _within(deadline: limits.Deadline) -> None:
    try:
        deadline.check()
    except limits.TooLarge as e:
        raise ValidationError({"file": e.message}) from None


def _unique_slug(db: Database, wanted: str, taken: set[str]) -> str:
    base = wanted[:70] or "actor"
    slug, n = base, 1
    while slug in taken or orgs.slug_taken(db, slug):
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def others_changed(db: Database, preview: Preview, *, own: int | None) -> list[str]:
    """Names of existing organisations (other than ``own``) whose facts committing would
    change: their attributes, or their memberships. New ties between others are proposals
    with their author recorded, not changes of anyone's facts."""
    attributes = store.actor_attributes(db)
    existing = {a.key: a.existing for a in preview.actors
                if not a.creates and a.existing is not None}
    changed: dict[int, str] = {}
    for actor in preview.actors:
        org = existing.get(actor.key)
        if org is None or org["id"] == own or not actor.attrs:
            continue
        current = attributes.get(int(org["id"]), {})
        if any(current.get(k) != _jsonable(v) for k, v in actor.attrs.items()):
            changed[int(org["id"])] = org["name"]
    for source, _target, fields, _attrs, _where in preview.ties:
        member = existing.get(source)
        if fields.get("kind") == MEMBER_OF and member is not None and member["id"] != own:
            changed[int(member["id"])] = member["name"]
    return sorted(changed.values())


def commit(db: Database, preview: Preview, *, now: datetime,
           by: int | None = None, own: int | None = None, coordinator: bool = True
           ) -> dict[str, int]:
    """Store the previewed import in one transaction; refuses it whole if any row is in error.

    A member's import (``coordinator=False``) may change only the facts of their own
    organisation (``own``) among those that exist: another organisation's attributes and
    memberships are its own, or a coordinator's, to change.
    """
    if preview.errors:
        first = "; ".join(f"{w}: {m}" for w, m in preview.errors[:5])
        more = f" (and {len(preview.errors) - 5} more)" if len(preview.errors) > 5 else ""
        raise ValidationError({"file": f"Nothing was imported. {first}{more}"})
    if preview.unresolved:
        raise ValidationError({"kinds": Message(N_(
            "Nothing was imported: choose a kind for the types %(types)s."),
            types=", ".join(shown for shown, _rows in preview.unresolved.values()))})
    if not coordinator:
        others = others_changed(db, preview, own=own)
        if others:
            raise ValidationError({"file": Message(N_(
                "Nothing was imported: this file changes the attributes or memberships of %(orgs)s."
                " Only their own members or a coordinator may change those; ask a coordinator"
                " to import it."), orgs=", ".join(others[:10]))})
    ids: dict[str, int] = {}
    taken: set[str] = set()
    positions: dict[int, tuple[float, float]] = {}
    with db.atomic():
        attributes = store.actor_attributes(db)
        for actor in preview.actors:
            if not actor.creates and actor.existing is not None:
                org_id = int(actor.existing["id"])
            else:
                values = dict(actor.values)
                values["slug"] = _unique_slug(db, values["slug"] or slugify(values["name"]), taken)
                org = orgs.create(db, OrganisationInput.validated(**values), now=now, by=by)
                org_id = int(org["id"])
            ids[actor.key] = org_id
            if actor.attrs:
                merged = attributes.get(org_id, {}) | {k: _jsonable(v)
                                                       for k, v in actor.attrs.items()}
                store.set_actor_attributes(db, org_id, merged)
            if actor.position is not None:
                positions[org_id] = actor.position
        for source, target, fields, attrs, _where in preview.ties:
            tie = TieInput.validated(from_id=ids[source], to_id=ids[target], **fields)
            store.add_tie(db, tie, now=now, by=by,
                          attrs={k: _jsonable(v) for k, v in attrs.items()})
    created = sum(1 for a in preview.actors if a.creates)
    return {"actors": len(ids), "created": created, "matched": len(preview.actors) - created,
            "ties": len(preview.ties)}


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except TypeError:
        return str(value)
    return value


def prepare(db: Database, paths: list[Path], *, fmt: str = "", conflicts: str = "new",
            choices: dict[str, str] | None = None,
            kinds_chosen: dict[str, str] | None = None) -> Preview:
    """Read, plan, resolve conflicting rows and unsure types: the preview of an import."""
    preview = resolve_conflicts(plan(db, read(paths, fmt)), default=conflicts, choices=choices)
    preview.unresolved = kinds.resolve(preview.actors, kinds_chosen or {})
    return preview


def import_files(db: Database, paths: list[Path], *, fmt: str = "", now: datetime,
                 by: int | None = None, dry_run: bool = False,
                 conflicts: str = "new", choices: dict[str, str] | None = None,
                 kinds_chosen: dict[str, str] | None = None) -> tuple[Preview, dict[str, int]]:
    """Preview and (unless ``dry_run``) commit in one call."""
    preview = prepare(db, paths, fmt=fmt, conflicts=conflicts, choices=choices,
                      kinds_chosen=kinds_chosen)
    if dry_run:
        return preview, {}
    return preview, commit(db, preview, now=now, by=by)
