"""The names an organisation goes by: normalised forms, aliases, and finding one by any of them.

Duplicates are the chronic complaint of every coalition: the same organisation typed with and
without accents, by its acronym, under a former name or in another language. Every lookup
(the search box, the network-map import, duplicate candidates) goes through the same folding
here, so "Acção Cidadã", "ACCAO CIDADA" and an alias "Citizen Action" all find one row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Message, ValidationError
from juntos.validation import N_

MAX_ALIAS = 200
MAX_ALIASES = 30

#: Words that carry no identity in organisation names (English, Portuguese, Spanish, French,
#: Danish): "Associação Mulheres Unidas" and "Mulheres Unidas" are the same organisation.
_STOP_WORDS = """
    the of and for in on at to a an
    de da do das dos e para pela pelo pelas pelos na no nas nos em o os as com ao aos
    del la las el los y por le les des du et pour en og for i af til
    association associacao associacion asociacion assoc ass
    organisation organization organizacao organizacion org
    ngo ong inc ltd lda
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_PUNCT = re.compile(r"[^\w\s]|_")


def fold(text: str) -> str:
    """Case and accents folded, spaces collapsed: the key aliases are stored and looked up by,
    and the network-map importer's matching rule."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(folded.casefold().split())


def tokens(text: str) -> list[str]:
    """Folded words without punctuation or stop words, in order ("Acção-Cidadã, Lda." ->
    ["accao", "cidada"])."""
    words = _PUNCT.sub(" ", fold(text)).split()
    kept = [w for w in words if w not in STOP_WORDS]
    return kept or words


def key(text: str) -> str:
    """The comparable form of a name: its tokens joined by spaces."""
    return " ".join(tokens(text))


def initials(text: str) -> str:
    """First letters of the significant words, e.g. "Fórum Juntos de Organizações da Sociedade
    Civil" -> "fjosc" (stop words skipped, as acronyms usually do)."""
    return "".join(w[0] for w in tokens(text))


def acronym_key(text: str) -> str:
    """An acronym with dots, dashes and case ignored ("F.J.O.S.C." -> "fjosc")."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def domain(url: str) -> str:
    """A website's host without ``www.``, lowercase; empty when there is no usable host."""
    if not url:
        return ""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.lower().removeprefix("www.")


# --- aliases -------------------------------------------------------------------------------

def parse_aliases(text: str, *, own_name: str = "") -> list[str]:
    """Aliases from a form's textarea: one per line, trimmed, without repeats or the
    organisation's own name. Raises ValidationError naming the line that is too long."""
    seen: dict[str, str] = {}
    own = fold(own_name)
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        if len(line) > MAX_ALIAS:
            raise ValidationError(
                {"aliases": f"Line {number} is longer than {MAX_ALIAS} characters."})
        if fold(line) != own:
            seen.setdefault(fold(line), line)
    if len(seen) > MAX_ALIASES:
        raise ValidationError({"aliases": f"At most {MAX_ALIASES} other names."})
    return list(seen.values())


def aliases_of(db: Database, org_id: int, kind: str = "name") -> list[str]:
    return [r["alias"] for r in db.query(
        "select alias from organisation_aliases where org_id = ? and kind = ? order by id",
        [org_id, kind])]


def add_alias(db: Database, org_id: int, alias: str, *, now: datetime,
              kind: str = "name") -> None:
    """Add one alias unless the organisation already has it (idempotent)."""
    alias = " ".join((alias or "").split())
    if not alias:
        return
    db.execute(
        "insert or ignore into organisation_aliases (org_id, alias, kind, normalised,"
        " created_at) values (?, ?, ?, ?, ?)",
        [org_id, alias, kind, fold(alias), iso(now)],
    )


def set_aliases(db: Database, org_id: int, aliases: Iterable[str], *, now: datetime) -> None:
    """Make these the organisation's other names (its old slugs are left alone)."""
    wanted = {fold(a): a for a in aliases}
    with db.atomic():
        current = {r["normalised"]: r for r in db.query(
            "select id, alias, normalised from organisation_aliases"
            " where org_id = ? and kind = 'name'", [org_id])}
        for norm, row in current.items():
            if norm not in wanted:
                db.execute("delete from organisation_aliases where id = ?", [row["id"]])
            elif row["alias"] != wanted[norm]:  # same name, spelt differently now
                db.execute("update organisation_aliases set alias = ? where id = ?",
                           [wanted[norm], row["id"]])
        for norm, alias in wanted.items():
            if norm not in current:
                add_alias(db, org_id, alias, now=now)


def check_unclaimed(db: Database, org_id: int | None, *, acronym: str,
                    aliases: Iterable[str]) -> None:
    """Refuse a new acronym or alias that another organisation already goes by (as its name,
    acronym or an alias): it would capture imports and searches that mean that one. Names the
    organisation already has are left alone, so old data does not block saving."""
    _by_slug, by_name = lookup_tables(db, key=acronym_key)
    mine = set() if org_id is None else {acronym_key(a) for a in aliases_of(db, org_id)}
    if org_id is not None:
        row = db.execute("select acronym from organisations where id = ?", [org_id]).fetchone()
        mine.add(acronym_key(row[0] or "") if row else "")

    def taken(text: str) -> str:
        found = [o for o in by_name.get(acronym_key(text), []) if o["id"] != org_id]
        return found[0]["name"] if found and acronym_key(text) not in mine else ""

    errors: dict[str, Message] = {}
    if acronym and (other := taken(acronym)):
        errors["acronym"] = Message(N_("%(other)s already goes by %(name)s; choose another."),
                                    other=other, name=acronym)
    for alias in aliases:
        if other := taken(alias):
            errors["aliases"] = Message(N_("%(other)s already goes by %(name)s; choose another."),
                                        other=other, name=alias)
            break
    if errors:
        raise ValidationError(dict(errors))


def slug_redirect(db: Database, slug: str) -> str | None:
    """The slug of the organisation an old slug (of an organisation merged into it) now
    belongs to, or None."""
    rows = list(db.query(
        "select o.slug from organisation_aliases a join organisations o on o.id = a.org_id"
        " where a.kind = 'slug' and a.alias = ?", [slug]))
    return rows[0]["slug"] if rows else None


def lookup_tables(
    db: Database, *, key: Callable[[str], str] = fold
) -> tuple[dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Every organisation by slug (old slugs of merged ones included) and by ``key`` of its
    name, acronym and aliases: what an importer needs to match rows in one pass.

    Rows carry id, slug, name, acronym and country. A name or acronym comes before an alias in
    each list, so an organisation's own name wins over another's alias.
    """
    by_slug: dict[str, dict[str, Any]] = {}
    by_name: dict[str, list[dict[str, Any]]] = {}
    rows = {r["id"]: r for r in db.query(
        "select id, slug, name, acronym, country from organisations order by id")}
    for row in rows.values():
        by_slug[row["slug"]] = row
        for text in (row["name"], row["acronym"]):
            if text:
                by_name.setdefault(key(text), []).append(row)
    for alias in db.query("select org_id, alias, kind from organisation_aliases order by id"):
        row = rows[alias["org_id"]]
        if alias["kind"] == "slug":
            by_slug.setdefault(alias["alias"], row)
        else:
            matches = by_name.setdefault(key(alias["alias"]), [])
            if row not in matches:
                matches.append(row)
    return by_slug, by_name


def resolve(db: Database, text: str) -> dict[str, Any] | None:
    """The organisation a slug, name, acronym or alias names (case and accents ignored), or
    None when there is none or more than one."""
    by_slug, by_name = lookup_tables(db)
    if text in by_slug:
        return by_slug[text]
    found = by_name.get(fold(text), [])
    return found[0] if len(found) == 1 else None
