"""Search understands words: Snowball stems in English and Portuguese over the seeded catalogue."""

from __future__ import annotations

import pytest

from juntos.catalogue import search, seed, store, words
from tests.catalogue.support import add_idea


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The seeded starter catalogue (198 methods and the tactics), built once for the module."""
    from datetime import UTC, datetime

    from juntos import house

    db = house.open_db(tmp_path_factory.mktemp("catalogue") / "c.db")
    seed.seed(db, now=datetime(2026, 1, 5, 9, tzinfo=UTC))
    yield db
    db.close()


def top_titles(db, q: str, n: int = 5) -> list[str]:  # type: ignore[no-untyped-def]
    return [h["title"] for h in search.search(db, search.Query(q=q, per_page=n)).hits]


@pytest.mark.parametrize(("q", "expected"), [
    ("vigil", "Vigils"),
    ("strikes", "strike"),
    ("demonstration", "Demonstrative"),
    ("petition", "Group or mass petitions"),
    ("boycott", "boycott"),
    ("marcha", "Marches"),
    ("greve", "strike"),
    ("boicote", "boycott"),
    ("manifestação", "Demonstrative"),
    ("vigília", "Vigils"),
    ("vigilia", "Vigils"),
    ("abaixo-assinado", "Group or mass petitions"),
    ("petição", "Group or mass petitions"),
    ("peticao", "Group or mass petitions"),
    ("petições", "Group or mass petitions"),
])
def test_words_find_a_relevant_idea_in_the_first_five(catalogue, q, expected):
    found = top_titles(catalogue, q)
    assert any(expected.lower() in t.lower() for t in found), (q, found)


def test_portuguese_words_find_ideas_by_their_portuguese_titles(catalogue):
    assert "Vigils" in top_titles(catalogue, "vigílias", 3)
    assert "Marches" in top_titles(catalogue, "marchas", 3)


def test_stems_fold_accents_after_stemming():
    assert words.stem("Manifestações", "pt") == words.stem("manifestação", "pt") == "manifest"
    assert words.stem("petições", "pt") == words.stem("petição", "pt")
    assert "vigil" in words.query_stems("vigílias")
    assert words.stem("strikes", "en") == words.stem("strike", "en")


@pytest.mark.parametrize("q", ['"', "a-", "(x", "NEAR(", "*", "^boicote", "abaixo - assinado"])
def test_fts_syntax_in_the_box_is_read_as_words(catalogue, q):
    search.search(catalogue, search.Query(q=q))  # no syntax error


def test_no_result_suggests_close_words_that_find_something(catalogue):
    results = search.search(catalogue, search.Query(q="boicotte"))
    assert results.total == 0
    assert results.suggestions and "boicote" in results.suggestions
    assert search.search(catalogue, search.Query(q=results.suggestions[0])).total
    assert search.search(catalogue, search.Query(q="zzzzqqq")).suggestions == []


def test_edits_and_unpublishing_keep_the_stemmed_index_in_step(db, clock):
    idea = add_idea(db, clock, title="Night vigils by the river", themes="health")
    assert [h["id"] for h in search.search(db, search.Query(q="vigil")).hits] == [idea["id"]]
    store.set_translation(db, idea["id"], "pt", {"title": "Greves noturnas"}, source="human",
                          now=clock(), by=None)
    assert search.search(db, search.Query(q="greve")).total == 1
    store.set_status(db, idea["id"], "rejected", now=clock(), by=None)
    assert search.search(db, search.Query(q="vigil")).total == 0
    assert search.search(db, search.Query(q="greve")).total == 0
    store.set_status(db, idea["id"], "published", now=clock(), by=None)
    assert search.search(db, search.Query(q="vigils")).total == 1
    assert store.reindex_all(db) == 1
    assert search.search(db, search.Query(q="greves")).total == 1


def test_the_migration_stems_ideas_published_before_it(db, clock):
    from juntos.catalogue import migrations

    add_idea(db, clock, title="Vigílias à luz de velas", themes="health", language="pt")
    db.execute("drop table ideas_fts_stems")
    db.execute("drop table ideas_fts_terms")
    migrations.m010_stemmed_search(db)
    assert search.search(db, search.Query(q="vigil")).total == 1
    assert search.search(db, search.Query(q="vela")).total == 1
