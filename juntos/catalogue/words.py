"""Words as the search index holds them: Snowball stems, folded to lower case without accents.

The stemmed index (``ideas_fts_stems``) holds every text stemmed in its own language (an idea's
fields in the idea's language, each translation in its language), one stem per word, accents
removed after stemming (the Portuguese stemmer needs them to see "-ção", "-ções"). A word the
user types is stemmed in both languages, because the search box does not know which one the
reader typed in: "greves" and "strikes" each find what they should, and "vigília", "vigilia"
and "vigils" meet at "vigil".
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

import Stemmer

#: Languages with a Snowball stemmer that a user's query is stemmed in (the UI's languages).
QUERY_LANGUAGES = ("en", "pt")
_SNOWBALL = {"en": "english", "pt": "portuguese", "fr": "french", "es": "spanish",
             "da": "danish", "ar": "arabic", "sw": "swahili"}
#: FTS5's unicode61 tokenizer splits on anything but letters and digits (so "_" too).
_WORD = re.compile(r"[^\W_]+")
#: Stemmed columns and their bm25 weights: the original's title, summary, body, tags, then the
#: translations' titles, summaries and the rest of their text.
STEM_COLUMNS = ("title", "summary", "body", "tags", "tr_title", "tr_summary", "tr_body")
STEM_WEIGHTS = "10.0, 4.0, 1.0, 3.0, 10.0, 4.0, 1.0"
#: Compound words that name what the catalogue calls otherwise (folded, hyphenated as typed):
#: a Mozambican reader looking for a petition types "abaixo-assinado".
SYNONYMS = {"abaixo-assinado": ("petição",), "abaixo-assinados": ("petição",)}


@cache
def _stemmer(language: str) -> Any:
    name = _SNOWBALL.get(language)
    return Stemmer.Stemmer(name) if name else None


def fold(text: str) -> str:
    """Lower case without accents ("Manifestação" → "manifestacao")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _portuguese_singular(word: str) -> str:
    # Snowball's Portuguese stemmer leaves "petição"/"petições" apart ("petiçã", "petiçõ"):
    # fold the -ões/-ães plurals to -ão first so singular and plural share a stem.
    for plural in ("ões", "ães"):
        if word.endswith(plural) and len(word) > 4:
            return word[: -len(plural)] + "ão"
    return word


def _reaccented(word: str) -> str:
    """A Portuguese word typed without its tilde ("peticao", "manifestacoes") as written."""
    for bare, accented in (("coes", "ções"), ("cao", "ção"), ("oes", "ões"), ("ao", "ão")):
        if word.endswith(bare) and len(word) > len(bare) + 1:
            return word[: -len(bare)] + accented
    return word


def stem(word: str, language: str) -> str:
    """One word's stem in ``language`` (a language without a stemmer keeps the word), folded."""
    word = word.lower()
    stemmer = _stemmer(language)
    if stemmer is None:
        return fold(word)
    if language == "pt":
        word = _portuguese_singular(word)
    return fold(stemmer.stemWord(word))


def stems(text: str, language: str) -> str:
    """A text as the stemmed index holds it: its words' stems, in order, space-separated.

    A word written with accents is also stemmed as typed without them ("litigância" →
    "litig", and "litigancia" → "litiganc"): those stems follow the text, after it, so
    that phrases still match the words in their order."""
    found = _WORD.findall(text or "")
    main = [stem(w, language) for w in found]
    bare = {stem(fold(w), language) for w in found if fold(w) != w.lower()}
    return " ".join([*main, *sorted(bare - set(main))])


def query_stems(word: str) -> list[str]:
    """The stems a typed word may have: in each query language, as typed and re-accented."""
    word = word.lower()
    found = [stem(word, lang) for lang in QUERY_LANGUAGES]
    found += [stem(fold(word), lang) for lang in QUERY_LANGUAGES]
    if word == fold(word):
        found.append(stem(_reaccented(word), "pt"))
    return list(dict.fromkeys(s for s in found if s))


def _quoted(terms: Iterable[str]) -> str:
    return '"' + " ".join(terms) + '"'


def match(text: str) -> str:
    """The user's text as a safe FTS5 query over the stemmed index.

    Every word (or "quoted phrase") is required; each may match any of its stems. Words become
    quoted FTS strings, so no character the user types is FTS syntax."""
    parts = []
    for phrase, word in re.findall(r'"([^"]+)"|([^\s"]+)', text):
        words = _WORD.findall(phrase or word)
        if not words:
            continue
        if phrase and len(words) > 1:
            options = {_quoted(stem(w, lang) for w in words) for lang in QUERY_LANGUAGES}
        elif fold(word) in SYNONYMS:
            options = {_quoted(stem(w, "pt") for w in words),
                       *(_quoted([s]) for alt in SYNONYMS[fold(word)] for s in query_stems(alt))}
        else:
            # An unquoted "ponto-de-venda" is required words.
            for single in words:
                parts.append(_alternatives(_quoted([s]) for s in query_stems(single)))
            continue
        parts.append(_alternatives(sorted(options)))
    return " AND ".join(parts)


def _alternatives(options: Iterable[str]) -> str:
    listed = list(dict.fromkeys(options))
    return listed[0] if len(listed) == 1 else "(" + " OR ".join(listed) + ")"


def surface_match(text: str) -> str:
    """A query over the unstemmed index that finds the words a stemmed match stands for
    (each stem as a prefix), for highlighting snippets."""
    options: list[str] = []
    for word in _WORD.findall(text):
        options.extend(f'"{s}" *' for s in query_stems(word) if len(s) > 1)
    return " OR ".join(dict.fromkeys(options))


def stem_row(idea: dict[str, Any], translations: Iterable[dict[str, Any]]) -> list[str]:
    """The stemmed columns (``STEM_COLUMNS``) of a published idea and its translations.

    ``idea`` has title, summary, body, tags and themes (lists or JSON), language;
    ``translations`` rows of language, field, text."""
    language = idea.get("language") or "en"
    labels = [*_as_list(idea.get("tags")), *_as_list(idea.get("themes"))]
    by_field: dict[str, list[str]] = {"title": [], "summary": [], "body": []}
    for row in translations:
        target = row["field"] if row["field"] in by_field else "body"
        by_field[target].append(stems(row["text"], row["language"]))
    return [stems(idea.get("title") or "", language), stems(idea.get("summary") or "", language),
            stems(idea.get("body") or "", language), stems(" ".join(labels), language),
            "\n".join(by_field["title"]), "\n".join(by_field["summary"]),
            "\n".join(by_field["body"])]


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return list(json.loads(value or "[]"))
    return list(value or [])
