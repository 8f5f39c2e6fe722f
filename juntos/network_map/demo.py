"""Demo ties among the demo coalition, loaded by `juntos demo` after organisations and users:
memberships (already ties), partnerships, funders, government targets and international
institutions, with stances and dates over three years. Idempotent (ties keyed by ends + kind)."""

from __future__ import annotations

import random
from datetime import datetime

from juntos.db import Database
from juntos.network_map import judgements, layout, store
from juntos.network_map.models import TieInput
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput

INSTITUTIONS = [
    dict(slug="sadc", name="Southern African Development Community", acronym="SADC", kind="international", country="BW", city="Gaborone", themes=["advocacy", "climate", "health"], is_public=True),
    dict(slug="african-union", name="African Union Commission", acronym="AU", kind="international", country="ET", city="Addis Ababa", themes=["advocacy", "women's rights"], is_public=True),
    dict(slug="ohchr-southern-africa", name="UN Human Rights Office, Southern Africa", acronym="OHCHR-SA", kind="international", country="ZA", city="Pretoria", themes=["advocacy", "women's rights", "land rights"], is_public=True),
    dict(slug="mz-ministerio-saude", name="Ministério da Saúde de Moçambique", acronym="MISAU-J", kind="government", country="MZ", city="Maputo", themes=["health"], is_public=True),
    dict(slug="mz-ministerio-terra", name="Ministério da Terra e Ambiente", acronym="MTA-J", kind="government", country="MZ", city="Maputo", themes=["land rights", "climate"], is_public=True),
    dict(slug="mz-ministra-saude", name="Ministra da Saúde (cargo)", acronym="", kind="public_role", country="MZ", city="Maputo", themes=["health"], is_public=True),
    dict(slug="mz-mineradora-sul", name="Mineradora do Sul (empresa fictícia)", acronym="MDS", kind="business", country="MZ", city="Tete", themes=["land rights"], is_public=True),
]

# (from, to, kind, stance, strength, valid_from, valid_until)
TIES = [
    ("samvirke-dk", "mz-accao-cidada", "partner", "ally", 5, "2024-01-15", ""),
    ("samvirke-dk", "so-hargeisa-voices", "partner", "ally", 4, "2024-03-01", ""),
    ("samvirke-dk", "za-ubuntu-labour", "partner", "ally", 4, "2024-06-01", ""),
    ("samvirke-dk", "sz-lutsango-women", "partner", "ally", 3, "2025-02-01", ""),
    ("samvirke-dk", "ug-land-alliance", "partner", "ally", 4, "2025-05-01", ""),
    ("samvirke-dk", "zw-youth-climate", "partner", "ally", 3, "2024-09-01", "2025-08-31"),
    ("samvirke-dk", "dk-klima-unge", "partner", "ally", 2, "2026-01-10", ""),
    ("samvirke-dk", "mz-accao-cidada", "funds", "ally", 4, "2024-01-15", ""),
    ("samvirke-dk", "ug-land-alliance", "funds", "ally", 3, "2025-05-01", ""),
    ("sponsor-horizonte", "rede-saude-mz", "funds", "ally", 4, "2024-01-01", ""),
    ("sponsor-horizonte", "rede-mulher-mz", "funds", "ally", 3, "2024-07-01", ""),
    ("sponsor-ponte", "rede-clima-mz", "funds", "ally", 4, "2025-01-01", ""),
    ("sponsor-ponte", "cso-justica-ambiental", "funds", "ally", 3, "2024-04-01", "2025-12-31"),
    ("mz-accao-cidada", "rede-saude-mz", "partner", "ally", 4, "2024-02-01", ""),
    ("rede-terra-mz", "rede-clima-mz", "partner", "ally", 5, "2024-01-01", ""),
    ("rede-saude-mz", "rede-mulher-mz", "partner", "ally", 3, "2025-03-01", ""),
    ("rede-crianca-mz", "rede-educacao-mz", "partner", "ally", 4, "2024-05-01", ""),
    ("ug-land-alliance", "rede-terra-mz", "communicates with", "ally", 3, "2025-06-01", ""),
    ("za-ubuntu-labour", "cso-trabalhadores", "partner", "ally", 3, "2025-09-01", ""),
    ("cso-saude-rural", "mz-ministerio-saude", "communicates with", "ally", 4, "2024-08-01", ""),
    ("rede-saude-mz", "mz-ministerio-saude", "targets", "neutral", 4, "2024-01-01", ""),
    ("rede-saude-mz", "mz-ministra-saude", "targets", "neutral", 3, "2025-01-01", ""),
    ("mz-ministra-saude", "mz-ministerio-saude", "member of", "neutral", 5, "2024-01-01", ""),
    ("rede-terra-mz", "mz-ministerio-terra", "targets", "neutral", 4, "2024-01-01", ""),
    ("mz-mineradora-sul", "rede-terra-mz", "opposes", "opponent", 4, "2024-10-01", ""),
    ("mz-mineradora-sul", "mz-ministerio-terra", "influences", "neutral", 4, "2024-01-01", ""),
    ("forum-juntos-mz", "sadc", "targets", "neutral", 3, "2024-08-01", ""),
    ("forum-juntos-mz", "african-union", "communicates with", "neutral", 2, "2025-02-01", ""),
    ("samvirke-dk", "ohchr-southern-africa", "communicates with", "ally", 3, "2024-11-01", ""),
    ("sz-lutsango-women", "african-union", "targets", "neutral", 3, "2025-03-08", ""),
    ("so-hargeisa-voices", "ohchr-southern-africa", "communicates with", "ally", 2, "2025-04-01", "2026-03-31"),
    ("cso-mulher-lei", "rede-mulher-mz", "partner", "ally", 4, "2024-03-08", ""),
    ("uni-eduardo-estudos", "rede-educacao-mz", "partner", "ally", 3, "2025-10-01", ""),
]


def _ensure(db: Database, ids: dict[str, int], row: tuple, *, now: datetime) -> None:
    a, b, kind, stance, strength, start, end = row
    if list(db.query("select 1 from network_ties where from_id = ? and to_id = ? and kind = ?",
                     [ids[a], ids[b], kind])):
        return
    store.add_tie(db, TieInput.validated(from_id=ids[a], to_id=ids[b], kind=kind, stance=stance,
                                         strength=strength, valid_from=start, valid_until=end,
                                         source="Juntos demo"), now=now)


def load(db: Database, *, now: datetime) -> None:
    """Idempotent: running the demo twice must not duplicate anything."""
    with db.atomic():
        for values in INSTITUTIONS:
            orgs.upsert(db, OrganisationInput.validated(**values), now=now)
        ids = {r["slug"]: r["id"] for r in orgs.all_slugs_and_names(db)}
        for row in TIES:
            _ensure(db, ids, row, now=now)
        # Inside each network, members work in pairs and a few reach across networks: the
        # brokers the map should reveal. Fixed seed, so loading twice gives the same ties.
        rng = random.Random(6)
        for network in orgs.networks(db):
            members = [m["slug"] for m in orgs.members_of(db, network["id"])]
            for slug in members[::3]:
                other = rng.choice(members)
                if other != slug:
                    start = f"{rng.choice((2024, 2025, 2026))}-{rng.randint(1, 9):02d}-01"
                    _ensure(db, ids, (slug, other, "partner", "ally", rng.randint(2, 5), start, ""),
                            now=now)
        all_members = sorted(ids)
        for _ in range(12):
            a, b = rng.sample(all_members, 2)
            _ensure(db, ids, (a, b, "communicates with", "ally", rng.randint(1, 3),
                              f"{rng.choice((2024, 2025))}-06-01", ""), now=now)
        # Memberships came from the organisations demo without strength: give them one.
        for member in list(db.query("select member_id, network_id from memberships"
                                    " where strength is null order by 1, 2")):
            db.execute("update memberships set strength = ? where member_id = ? and network_id = ?",
                       [rng.randint(2, 4), member["member_id"], member["network_id"]])
        _judgements(db, ids, now=now)
    layout.current(db)


# What the forum's members judged in a Net-Map session: opinions, kept apart from the measures.
JUDGEMENTS = (
    ("mz-ministra-saude", "Universal health coverage", 5, "neutral", "high",
     "Signs off the health budget; listens to provincial directors."),
    ("mz-ministerio-saude", "Universal health coverage", 4, "neutral", "medium", ""),
    ("rede-saude-mz", "Universal health coverage", 3, "ally", "high",
     "Trusted by district health committees."),
    ("mz-mineradora-sul", "Land law reform", 4, "opponent", "medium",
     "Lobbies the ministry directly; seen at every consultation."),
    ("mz-ministerio-terra", "Land law reform", 5, "neutral", "low", ""),
    ("sadc", "Land law reform", 2, "ally", "low", "Regional guidelines help, slowly."),
)


def _judgements(db: Database, ids: dict[str, int], *, now: datetime) -> None:
    if db["judgements"].count:
        return  # a second demo run, or real judgements: add nothing
    for slug, issue, influence, stance, confidence, note in JUDGEMENTS:
        if slug in ids:
            judgements.add(db, judgements.JudgementInput.validated(
                org_id=ids[slug], issue=issue, influence=influence, stance=stance,
                confidence=confidence, note=note), now=now, by=None)
