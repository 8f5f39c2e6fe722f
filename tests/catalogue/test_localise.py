from __future__ import annotations

from juntos.catalogue import store
from juntos.catalogue.localise import fell_back, localise
from tests.catalogue.support import add_idea


def test_fields_come_from_the_readers_language_with_source_and_fallback(db, clock):
    idea = add_idea(db, clock, title="Public hearing", summary="People testify.",
                    body="Steps.")
    store.set_translation(db, idea["id"], "pt", {"title": "Audiência pública"},
                          source="human", now=clock(), by=None)
    store.set_translation(db, idea["id"], "fr", {"summary": "Les gens témoignent."},
                          source="machine", now=clock(), by=None)
    found = store.translations(db, [idea["id"]])[idea["id"]]
    pt = localise(idea, found, "pt")
    assert (pt["title"].text, pt["title"].source) == ("Audiência pública", "human")
    assert (pt["summary"].text, pt["summary"].language) == ("People testify.", "en")
    assert fell_back(pt, "pt")
    fr = localise(idea, found, "fr")
    assert (fr["summary"].text, fr["summary"].source) == ("Les gens témoignent.", "machine")
    en = localise(idea, found, "en")
    assert not fell_back(en, "en") and en["title"].text == "Public hearing"
