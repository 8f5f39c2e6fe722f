from __future__ import annotations

import re
from collections import Counter

from juntos.catalogue import search, seed
from juntos.catalogue.models import CLASSES


def test_seed_loads_all_198_methods_written_up_in_both_languages(db, clock):
    report = seed.seed(db, now=clock())
    assert report.methods_added == 198
    methods = list(db.query("select * from ideas where method_number is not null"
                            " and status = 'published' order by method_number"))
    assert [m["method_number"] for m in methods] == list(range(1, 199))
    pt_titles = {r["idea_id"]: r["text"] for r in db.query(
        "select idea_id, text from idea_translations where language = 'pt' and field = 'title'")}
    short = [m["method_number"] for m in methods if len(re.findall(r"\w+", m["body"])) < 60]
    untranslated = [m["method_number"] for m in methods if not pt_titles.get(m["id"])]
    assert short == [], "methods whose body has fewer than 60 words"
    assert untranslated == [], "methods without a Portuguese title"
    for m in methods:
        assert m["class"] in CLASSES and m["subclass"], m["method_number"]
        assert "classic method" in m["tags"], m["method_number"]


def test_method_files_carry_number_class_and_translations(tmp_path):
    (tmp_path / "007-slogans.md").write_text(
        "number: 7\ntitle: Slogans\nclass: protest\nsubclass: Formal statements\n"
        "tags: words\nsummary: Short phrases.\n---\nBody.\n\n+++ pt:title\nPalavras de ordem\n",
        encoding="utf-8")
    [(fields, translated)] = seed.read_methods(tmp_path)
    assert fields["method_number"] == 7 and fields["class"] == "protest"
    assert fields["tags"] == ["classic method", "words"]
    assert translated == {"pt": {"title": "Palavras de ordem"}}


def test_seed_loads_contemporary_tactics_with_full_entries(db, clock):
    report = seed.seed(db, now=clock())
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


def test_seed_is_idempotent_and_keeps_edits(db, clock):
    seed.seed(db, now=clock())
    db.execute("update ideas set summary = 'Edited by a partner' where method_number = 1")
    again = seed.seed(db, now=clock())
    assert again.methods_added == again.tactics_added == 0
    assert next(db.query("select count(*) as n from ideas"))["n"] == 198 + again.skipped - 198
    assert next(db.query("select summary from ideas where method_number = 1"))["summary"] == (
        "Edited by a partner")


def test_seeded_translations_are_searchable_in_portuguese(db, clock):
    seed.seed(db, now=clock())
    hits = search.search(db, search.Query(q="litigancia estrategica")).hits
    assert hits[0]["slug"] == "strategic-litigation"
    # "reunião" is in the Portuguese of a tactic and of several classic methods
    hits = [h["slug"] for h in search.search(db, search.Query(q="reuniao")).hits]
    assert "public-hearing" in hits[:10] and "protest-meetings" in hits[:3]  # "reuniões" too
    assert "open-letter-from-a-coalition" in [  # stemmed: "tomar", "tomadas" match too
        h["slug"] for h in search.search(db, search.Query(q="TOMADA", per_page=5)).hits]
