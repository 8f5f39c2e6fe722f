from __future__ import annotations

import csv
from collections import Counter

from juntos.catalogue import search, seed
from juntos.catalogue.models import SHARP_CLASSES


def test_seed_loads_all_198_methods_with_their_classes(db, settings, clock):
    report = seed.seed(db, shared_data=settings.shared_data, now=clock())
    assert report.methods_added == 198
    with (settings.shared_data / "sharp_198.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    expected = {int(r["number"]): (SHARP_CLASSES[r["class"]], r["subclass"], r["title"])
                for r in rows}
    stored = {r["method_number"]: (r["class"], r["subclass"], r["title"]) for r in db.query(
        "select * from ideas where method_number is not null and status = 'published'")}
    assert stored == expected
    # Titles only: they are stubs inviting a partner to write them up, with no copied text.
    assert {r["completeness"] for r in db.query(
        "select completeness from ideas where method_number is not null")} == {"stub"}
    assert not list(db.query("select 1 from ideas where method_number is not null"
                             " and body != ''"))


def test_seed_loads_contemporary_tactics_with_full_entries(db, settings, clock):
    report = seed.seed(db, shared_data=settings.shared_data, now=clock())
    assert report.tactics_added >= 30
    tactics = list(db.query("select * from ideas where method_number is null"))
    assert len(tactics) == report.tactics_added
    for idea in tactics:
        assert idea["completeness"] == "complete", idea["slug"]
        assert idea["risk"] and idea["cost"] and idea["people"] and idea["mode"]
        assert len(idea["safety_notes"]) > 80, idea["slug"]
    counts = Counter(i["class"] for i in tactics)
    for klass in ("digital", "media", "lobbying", "legal", "research", "coalition", "creative"):
        assert counts[klass] >= 1, klass
    slugs = {i["slug"] for i in tactics}
    for wanted in ("coordinated-social-media-storm", "shadow-report-to-a-un-treaty-body",
                   "peoples-tribunal", "community-scorecard", "strategic-litigation",
                   "flash-mob", "open-letter-from-a-coalition", "photo-petition"):
        assert wanted in slugs


def test_seed_is_idempotent_and_keeps_edits(db, settings, clock):
    seed.seed(db, shared_data=settings.shared_data, now=clock())
    db.execute("update ideas set summary = 'Edited by a partner' where method_number = 1")
    again = seed.seed(db, shared_data=settings.shared_data, now=clock())
    assert again.methods_added == again.tactics_added == 0
    assert next(db.query("select count(*) as n from ideas"))["n"] == 198 + again.skipped - 198
    assert next(db.query("select summary from ideas where method_number = 1"))["summary"] == (
        "Edited by a partner")


def test_seeded_translations_are_searchable_in_portuguese(db, settings, clock):
    seed.seed(db, shared_data=settings.shared_data, now=clock())
    hits = search.search(db, search.Query(q="litigancia estrategica")).hits
    assert hits[0]["slug"] == "strategic-litigation"
    assert search.search(db, search.Query(q="reuniao")).hits[0]["slug"] == "public-hearing"
    assert search.search(db, search.Query(q="TOMADA")).hits[0]["slug"] == (
        "open-letter-from-a-coalition")
