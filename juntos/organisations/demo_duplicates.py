"""Two duplicate organisations for the demo, so the review of likely duplicates has pairs.

Loaded last (the organisations manifest's ``demo_last``), after every other area's demo: those
draw seeded random ties and partners from the organisations present, and two more organisations
would change what they draw (and the facts their tests rely on).
"""

from __future__ import annotations

from datetime import datetime

from juntos.db import Database
from juntos.organisations import names, store
from juntos.organisations.models import OrganisationInput

# Typed again in capitals without accents by someone who did not find the first (and who put
# it in a network under that name); and a name in another word order.
DUPLICATES = [
    dict(slug="accao-cidada-mocambique", name="ACCAO CIDADA MOCAMBIQUE", acronym="A.C.M.",
         kind="cso", country="MZ", region="Maputo City", city="Maputo", timezone="Africa/Maputo",
         languages=["pt", "en"], themes=["advocacy", "education"],
         website="https://accao-cidada.example.org"),
    dict(slug="community-land-alliance-uganda", name="Community Land Alliance (Uganda)",
         kind="cso", country="UG", city="Gulu", themes=["land rights"]),
]
NETWORK_OF = {"accao-cidada-mocambique": ("rede-saude-mz", "2023-05-01")}


def load(db: Database, *, now: datetime) -> None:
    """Idempotent; a duplicate a person has merged away is not brought back."""
    with db.atomic():
        for values in DUPLICATES:
            slug = str(values["slug"])
            if names.slug_redirect(db, slug):
                continue
            org_id = store.upsert(db, OrganisationInput.validated(**values), now=now)
            if slug in NETWORK_OF and store.slug_taken(db, NETWORK_OF[slug][0]):
                network, since = NETWORK_OF[slug]
                if not store.networks_of(db, org_id):
                    store.add_membership(db, org_id, store.get(db, network)["id"], since)
