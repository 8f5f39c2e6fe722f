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
from juntos.organisations import store
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


@dataclass(frozen=True)
class _Index:
    """Every organisation with its names folded once, not again for every keystroke: exact
    forms looked up in dictionaries, the rest searched in one string per organisation."""

    rows: list[dict[str, Any]]
    sort: list[str]  # the folded name, to order choices
    hay: list[str]  # "\n" + its folded names and its slug, each line one name
    own: dict[str, set[int]]  # fold, key and acronym_key of name, acronym, short name -> rows
    others: dict[str, set[int]]  # fold and key of other names, and the slug -> rows


#: The index per database file, kept while the organisations and their names are unchanged
#: (the organisations' change counter, which writes to names bump too); a few files at most
#: (the tests open many).
_INDEXES: dict[str, tuple[int, _Index]] = {}
_INDEXES_KEPT = 4


def _build(db: Database) -> _Index:
    aliases: dict[int, list[str]] = {}
    for alias in db.query("select org_id, alias from organisation_aliases where kind = 'name'"):
        aliases.setdefault(alias["org_id"], []).append(alias["alias"])
    index = _Index(rows=[], sort=[], hay=[], own={}, others={})
    for number, r in enumerate(db.query(
            "select id, slug, name, acronym, short_name, country, territory, kind"
            " from organisations")):
        row = dict(r)
        own = [t for t in (row["name"], row["acronym"] or "", row["short_name"] or "") if t]
        others = aliases.get(row["id"], [])
        for text in own:
            for form in (fold(text), key(text)):
                index.own.setdefault(form, set()).add(number)
        if row["acronym"]:
            index.own.setdefault(acronym_key(row["acronym"]), set()).add(number)
        for form in [row["slug"], *(f(t) for t in others for f in (fold, key))]:
            index.others.setdefault(form, set()).add(number)
        index.rows.append(row)
        index.sort.append(fold(row["name"]))
        index.hay.append("\n" + "\n".join([*(fold(t) for t in (*own, *others)), row["slug"]]))
    return index


def _index(db: Database) -> _Index:
    path = db.file_key
    signature = store.version(db)
    kept = _INDEXES.get(path)
    if kept is not None and kept[0] == signature:
        return kept[1]
    index = _build(db)
    if path not in _INDEXES and len(_INDEXES) >= _INDEXES_KEPT:
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[path] = (signature, index)
    return index


def _ranks(index: _Index, text: str) -> dict[int, int]:
    """Rows a typed text matches, with how well: 0 their name, acronym or short name exactly
    (case, accents and common words ignored), 1 another of their names exactly (or their
    slug), 2 a name beginning so, 3 the words found in their names."""
    folded, wanted, acronym = fold(text), key(text), acronym_key(text)
    ranks: dict[int, int] = {}
    for rank, table, forms in ((0, index.own, (folded, wanted, acronym)),
                               (1, index.others, (folded, wanted, text))):
        for form in forms:
            for number in table.get(form, ()) if form else ():
                ranks.setdefault(number, rank)
    if len(folded) < MIN_PARTIAL:
        return ranks
    words, start = folded.split(), "\n" + folded
    for number, hay in enumerate(index.hay):
        if number not in ranks and all(w in hay for w in words):
            ranks[number] = 2 if start in hay else 3
    return ranks


def search(db: Database, text: str, *, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Organisations a typed text may mean, best first (exact names, then beginnings, then
    names containing its words), each with ``label`` (name, acronym) for a choice list."""
    text = " ".join((text or "")[:MAX_TYPED].split())
    if not text:
        return []
    index = _index(db)
    ranked = sorted((rank, index.sort[n], index.rows[n]["id"], n)
                    for n, rank in _ranks(index, text).items())
    return [_choice(index.rows[n]) | {"rank": rank} for rank, _s, _i, n in ranked[:limit]]


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
