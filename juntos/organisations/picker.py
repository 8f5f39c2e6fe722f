"""Choosing an organisation by what people type: part of its name, its acronym, another name.

One picker for every form where a person names an organisation (campaign partners and lead,
the network map's focus and paths, merges). Case, accents, punctuation and common words are
ignored, so "Accao Cidada Mocambique" finds "Acção Cidadã Moçambique". A typed text names an
organisation only when exactly one goes by it; when several do (a duplicate typed again in
capitals), or the text is only part of a name, the caller shows the choices: never a silent
match, never a dead end.

Every signed-in user may see every organisation's page (``organisation.view``), so the picker
offers them all; it is not offered to anonymous visitors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from juntos.db import Database
from juntos.organisations.names import acronym_key, fold, key

#: Choices offered at most (an autocomplete list, a "which one?" list).
LIMIT = 20
_LABELLED = re.compile(r"(.+) \(([^()]+)\)")
#: What is read of a typed text (a name is at most 200 characters, with room for an acronym).
MAX_TYPED = 300
#: Fewer typed characters than this match only whole names and acronyms.
MIN_PARTIAL = 2


def short_name(org: dict[str, Any]) -> str:
    """The name for tables and narrow places: the chosen short name, else the acronym, else
    the name."""
    return str(org.get("short_name") or org.get("acronym") or org.get("name") or "")


@dataclass(frozen=True)
class Pick:
    """What a typed text names: ``found`` when exactly one organisation goes by it, else the
    ``choices`` to offer (empty: nothing matches)."""

    text: str
    found: dict[str, Any] | None = None
    choices: list[dict[str, Any]] = field(default_factory=list)


def _rows(db: Database) -> tuple[dict[int, dict[str, Any]], dict[int, list[str]]]:
    rows = {r["id"]: dict(r) for r in db.query(
        "select id, slug, name, acronym, short_name, country, territory, kind"
        " from organisations")}
    others: dict[int, list[str]] = {}
    for alias in db.query("select org_id, alias from organisation_aliases where kind = 'name'"):
        others.setdefault(alias["org_id"], []).append(alias["alias"])
    return rows, others


def _same(text: str, names: list[str]) -> bool:
    """Whether ``text`` is one of ``names`` once case, accents and common words are ignored."""
    folded, wanted = fold(text), key(text)
    return any(n and (fold(n) == folded or key(n) == wanted) for n in names)


def _rank(text: str, org: dict[str, Any], aliases: list[str]) -> int | None:
    """How well ``text`` names ``org``: 0 its name, acronym or short name exactly (folded),
    1 another of its names exactly, 2 a name beginning so, 3 the words found in a name;
    None when it does not match."""
    own = [org["name"], org["acronym"] or "", org["short_name"] or ""]
    if _same(text, own) or (org["acronym"] and acronym_key(org["acronym"]) == acronym_key(text)):
        return 0
    if _same(text, aliases) or org["slug"] == text:
        return 1
    folded = fold(text)
    if len(folded) < MIN_PARTIAL:
        return None
    names = [fold(t) for t in (*own, *aliases) if t]
    if any(n.startswith(folded) for n in names):
        return 2
    words = folded.split()
    if any(all(w in n for w in words) for n in [*names, org["slug"]]):
        return 3
    return None


def search(db: Database, text: str, *, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Organisations a typed text may mean, best first (exact names, then beginnings, then
    names containing its words), each with ``label`` (name, acronym) for a choice list."""
    text = " ".join((text or "")[:MAX_TYPED].split())
    if not text:
        return []
    rows, others = _rows(db)
    ranked = []
    for org_id, org in rows.items():
        rank = _rank(text, org, others.get(org_id, []))
        if rank is not None:
            ranked.append((rank, fold(org["name"]), org_id))
    ranked.sort()
    return [_choice(rows[org_id]) | {"rank": rank} for rank, _n, org_id in ranked[:limit]]


def _choice(org: dict[str, Any]) -> dict[str, Any]:
    acronym = org.get("acronym") or ""
    label = f"{org['name']} ({acronym})" if acronym and fold(acronym) != fold(org["name"]) \
        else org["name"]
    return org | {"label": label, "short": short_name(org)}


def pick(db: Database, text: str) -> Pick:
    """The organisation a typed text names, or the choices when it is not exactly one.

    A slug (what a choice list submits) names its organisation; so does a name, acronym or
    other name only one organisation goes by. Anything else gives the choices."""
    text = " ".join((text or "")[:MAX_TYPED].split())
    if not text:
        return Pick(text)
    by_slug = list(db.query(
        "select o.id, o.slug, o.name, o.acronym, o.short_name, o.country, o.territory, o.kind"
        " from organisations o where o.slug = ? or o.id in (select org_id from"
        " organisation_aliases where kind = 'slug' and alias = ?) limit 1", [text, text]))
    if by_slug:  # a choice list's answer, or the old slug of one merged into another
        return Pick(text, found=_choice(dict(by_slug[0])))
    labelled = _LABELLED.fullmatch(text)  # a suggestion taken: "Name (ACRONYM)"
    if labelled:
        same = [c for c in search(db, labelled[1]) if c["label"] == text]
        if len(same) == 1:
            return Pick(text, found=same[0])
    choices = search(db, text)
    named = [c for c in choices if c["rank"] <= 1]
    if len(named) == 1:
        return Pick(text, found=named[0])
    return Pick(text, choices=choices)
