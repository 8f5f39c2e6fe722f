"""The kind of an imported actor from the type another tool gave it (Kumu's "Type", a GEXF or
GraphML "kind" or "type" attribute).

Our own kinds, and the usual names for them in English and Portuguese ("NGO", "ONG",
"Donor", "Ministry"...), map by themselves. A type that names no kind for sure ("Organization",
"Person", "Stakeholder") is never silently made "other": the preview asks the person to
choose a kind for each such type, and nothing is imported until every one is chosen.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Protocol

from juntos.organisations.models import KINDS

#: Usual names of our kinds, folded (``fold``): English, Portuguese, Kumu's templates.
SYNONYMS: dict[str, str] = {
    **{name: "cso" for name in (
        "ngo", "ngos", "cso", "csos", "civil society", "civil society organisation",
        "civil society organization", "non governmental organisation",
        "non governmental organization", "nonprofit", "non profit", "charity",
        "association", "community based organisation", "community based organization", "cbo",
        "grassroots organisation", "grassroots organization", "trade union", "union",
        "faith based organisation", "faith based organization", "ong", "osc",
        "organizacao nao governamental", "organizacao da sociedade civil",
        "sociedade civil", "associacao", "sindicato")},
    **{name: "network" for name in (
        "network", "coalition", "alliance", "platform", "federation", "rede", "coligacao",
        "alianca", "plataforma", "federacao")},
    **{name: "university" for name in (
        "university", "academia", "academic", "research institute", "universidade",
        "instituto de investigacao")},
    **{name: "foundation" for name in ("foundation", "fundacao")},
    **{name: "funder" for name in (
        "funder", "donor", "grantmaker", "financiador", "doador")},
    **{name: "government" for name in (
        "government", "ministry", "public agency", "government agency", "municipality",
        "parliament", "state", "governo", "ministerio", "municipio", "parlamento",
        "autarquia")},
    **{name: "international" for name in (
        "international", "international organisation", "international organization", "ingo",
        "igo", "un agency", "multilateral", "organizacao internacional", "internacional")},
    **{name: "media" for name in (
        "media", "press", "newspaper", "radio", "broadcaster", "comunicacao social",
        "imprensa", "jornal")},
    **{name: "business" for name in (
        "business", "company", "corporation", "private sector", "firm", "empresa",
        "sector privado", "setor privado")},
    **{name: "public_role" for name in ("public role", "public office", "cargo publico")},
}


#: In ``chosen``: the kind for every unsure type not chosen one by one (the CLI's
#: ``--kind '*=other'``).
ANY = "*"


def fold(text: str) -> str:
    """Lower case, no accents, words separated by one space ("Non-Profit" → "non profit")."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in bare.lower()).split())


def known(type_text: str) -> str | None:
    """Our kind for a type, when it names one for sure; None for none or an unsure one."""
    folded = fold(type_text)
    if folded.replace(" ", "_") in KINDS:
        return folded.replace(" ", "_")
    return SYNONYMS.get(folded)


class _Planned(Protocol):
    values: dict[str, Any]
    attrs: dict[str, Any]

    @property
    def creates(self) -> bool: ...


def unknown_type(actor: _Planned) -> str:
    """The type of a row that creates an actor, when it names no kind (else "")."""
    text = str(actor.attrs.get("type") or "").strip()
    return text if actor.creates and text and known(text) is None else ""


def resolve(actors: list[Any], chosen: dict[str, str]) -> dict[str, tuple[str, int]]:
    """Give each new actor with an unsure type the kind chosen for that type (``chosen``:
    folded type → kind, or ``ANY`` → kind); the types still without a kind (folded → as
    written, rows)."""
    unresolved: dict[str, tuple[str, int]] = {}
    for actor in actors:
        text = unknown_type(actor)
        if not text:
            continue
        kind = chosen.get(fold(text)) or chosen.get(ANY, "")
        if kind in KINDS:
            actor.values["kind"] = kind
        else:
            shown, rows = unresolved.get(fold(text), (text, 0))
            unresolved[fold(text)] = (shown, rows + 1)
    return dict(sorted(unresolved.items()))
