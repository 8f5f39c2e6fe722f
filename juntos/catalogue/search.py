"""Searching published ideas: FTS5 with bm25, facets whose counts follow the query, sorting.

Words are matched by their Snowball stems in English and Portuguese, accents folded
(``juntos.catalogue.words``), so singular, plural and verb forms find each other. The user's
words are never passed to FTS5 as syntax: each word (or a "quoted phrase") becomes a quoted FTS
string, so a stray quote, a hyphen or a bracket cannot cause a syntax error. A search that
finds nothing suggests close words from the index's vocabulary.
Facet counts are "disjunctive": within a facet the values are alternatives, so each facet's
counts ignore that facet's own selection (you can widen it) but honour every other filter.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from juntos.catalogue import facet_index, words
from juntos.catalogue.rendering import HIGHLIGHT_END, HIGHLIGHT_START, highlight
from juntos.catalogue.store import decode
from juntos.db import Database

#: Facets shown to users, in display order ("tag" is indexed too, for related ideas).
FACETS = ("class", "subclass", "risk", "cost", "people", "mode", "theme", "language",
          "stories", "completeness")
SORTS = ("relevance", "newest", "used")
MAX_PER_PAGE = 100

#: Column weights for bm25: title, summary, body, tags, translations.
WEIGHTS = "10.0, 4.0, 1.0, 3.0, 3.0"
PUBLISHED = "i.status = 'published' and i.revision_of is null"
#: Most complete first, then by title: the order without search words, read from an index
#: (catalogue migration m011) that must keep this very expression.
BROWSE_ORDER = ("case i.completeness when 'complete' then 0 when 'partial' then 1 else 2 end,"
                " i.title collate nocase")


@dataclass(frozen=True, kw_only=True)
class Query:
    """Everything a search page or ``/ideas.json`` is asked for; it lives in the URL."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    @classmethod
    def from_params(cls, params: Mapping[str, Any], *, per_page: int = 20) -> Query:
        """From a query string (``getlist``-capable multidict or a plain mapping)."""
        def values(key: str) -> tuple[str, ...]:
            got = params.getlist(key) if hasattr(params, "getlist") else params.get(key, [])
            got = [got] if isinstance(got, str) else list(got)
            return tuple(dict.fromkeys(v.strip() for v in got if v and v.strip()))

        filters = {f: values(f) for f in FACETS if values(f)}
        sort = str(params.get("sort") or "relevance")
        raw_page = str(params.get("page") or "1")
        raw_size = str(params.get("per_page") or per_page)
        return cls(
            q=str(params.get("q") or "").strip()[:200],
            filters=filters,
            sort=sort if sort in SORTS else "relevance",
            page=int(raw_page) if raw_page.isdigit() and int(raw_page) > 0 else 1,
            per_page=min(int(raw_size), MAX_PER_PAGE) if raw_size.isdigit() and int(raw_size)
            else per_page,
        )

    @property
    def match(self) -> str:
        """The query over the stemmed index (``ideas_fts_stems``)."""
        return words.match(self.q)

    @property
    def surface_match(self) -> str:
        """The query over the words as written (``ideas_fts``), for snippets."""
        return words.surface_match(self.q)

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """URL parameters for this query with some changed (``None`` removes one)."""
        state: dict[str, Any] = {"q": self.q, **self.filters, "sort": self.sort,
                                 "page": self.page}
        state.update(changes)
        out: list[tuple[str, str]] = []
        for key, value in state.items():
            if value in (None, "", ()) or (key == "sort" and value == "relevance") or (
                    key == "page" and value == 1):
                continue
            if isinstance(value, tuple | list):
                out.extend((key, str(v)) for v in value)
            else:
                out.append((key, str(value)))
        return out

    def toggled(self, facet: str, value: str) -> list[tuple[str, str]]:
        """Parameters with ``value`` of ``facet`` switched on or off (back to page 1)."""
        current = self.filters.get(facet, ())
        new = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.params(**{facet: new, "page": None})


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass
class Results:
    query: Query
    total: int
    hits: list[dict[str, Any]]
    facets: dict[str, list[FacetValue]]
    #: When nothing matched: other queries, each with one word replaced by a close one.
    suggestions: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


class _Sets:
    """The sets a query combines, as bitmaps: the text match and each facet's selection.

    ``None`` stands for "every published idea". Within a facet the selected values are
    alternatives (OR); across facets and the text they all apply (AND).
    """

    def __init__(self, db: Database, query: Query,
                 cache: facet_index.FacetCache | None = None) -> None:
        self.bitmaps = facet_index.bitmaps(db, FACETS, cache=cache)
        self.text: int | None = None
        self.rank: dict[int, float] = {}
        if query.match:
            found = _text_match(db, query, self.bitmaps, cache)
            self.text, self.rank = found.mask, found.rank
        self.facets: dict[str, int] = {}
        for facet, values in query.filters.items():
            if facet in FACETS:
                masks = self.bitmaps.masks.get(facet, {})
                mask = 0
                for value in values:
                    mask |= masks.get(value, 0)
                self.facets[facet] = mask

    def combined(self, *, exclude: str | None = None) -> int | None:
        parts = [m for f, m in self.facets.items() if f != exclude]
        if self.text is not None:
            parts.append(self.text)
        if not parts:
            return None
        out = parts[0]
        for other in parts[1:]:
            out &= other
        return out


def _text_match(db: Database, query: Query, bitmaps: facet_index.FacetBitmaps,
                cache: facet_index.FacetCache | None) -> facet_index.TextMatch:
    """The ideas matching the query's words, from ``cache`` while the index stays at the
    generation of ``bitmaps`` (read in the same transaction's view of it)."""
    ranked = query.sort == "relevance"
    key = (bitmaps.key, bitmaps.generation, query.match, ranked)
    found = cache.text_match(key) if cache is not None else None
    if found is not None:
        return found
    # The index holds published ideas only, so a match is already a published idea.
    # bm25 is computed for every match in one pass: asking FTS5 for the rank of a
    # subset (``rowid IN (...)``) re-runs the full-text query once per id.
    rank: dict[int, float] = {}
    if ranked:
        rank = dict(db.execute(
            f"select rowid, bm25(ideas_fts_stems, {words.STEM_WEIGHTS})"
            " from ideas_fts_stems where ideas_fts_stems match ?", [query.match]).fetchall())
        matched: Any = rank
    else:
        matched = [r[0] for r in db.execute(
            "select rowid from ideas_fts_stems where ideas_fts_stems match ?",
            [query.match])]
    found = facet_index.TextMatch(mask=facet_index.mask_of(matched), rank=rank)
    if cache is not None:
        cache.put_text_match(key, found)
    return found


def _facet_counts(query: Query, sets: _Sets) -> dict[str, list[FacetValue]]:
    out: dict[str, list[FacetValue]] = {}
    full = sets.combined()
    for facet in FACETS:
        # A selected facet is counted without its own selection: its values are
        # alternatives, so the user can widen the choice.
        within = sets.combined(exclude=facet) if facet in sets.facets else full
        base = sets.bitmaps.everything if within is None else within
        values = {v: (base & m).bit_count() for v, m in sets.bitmaps.masks.get(facet, {}).items()}
        values = {v: n for v, n in values.items() if n}
        selected = set(query.filters.get(facet, ()))
        for value in selected - set(values):
            values[value] = 0  # keep a selected value visible so it can be switched off
        ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        out[facet] = [FacetValue(v, n, v in selected) for v, n in ordered]
    return out


def _as_json(ids: set[int]) -> str:
    return json.dumps(sorted(ids))


def _page_ids(db: Database, query: Query, sets: _Sets, mask: int | None) -> list[int]:
    """The ids on the requested page, in the requested order."""
    limit = [query.per_page, (query.page - 1) * query.per_page]
    if mask is not None and not mask:
        return []
    ids = None if mask is None else facet_index.ids_of(mask)
    if query.match and query.sort == "relevance" and ids is not None:
        ranked = sorted(ids, key=lambda i: (sets.rank[i], i))
        return ranked[limit[1]:limit[1] + limit[0]]
    order = {
        "newest": "i.published_at desc, i.id desc",
        "used": "coalesce(u.n, 0) desc, i.title collate nocase",
        "relevance": BROWSE_ORDER,
    }[query.sort]
    join = (" left join (select idea_id, count(*) as n from campaign_tactics group by idea_id)"
            " u on u.idea_id = i.id") if query.sort == "used" else ""
    where = PUBLISHED + (" and i.id in (select value from json_each(?))" if ids is not None
                         else "")
    params = [*([_as_json(ids)] if ids is not None else []), *limit]
    return [r[0] for r in db.execute(
        f"select i.id from ideas i{join} where {where} order by {order} limit ? offset ?",
        params)]


def _hits(db: Database, query: Query, page_ids: list[int],
          cache: facet_index.FacetCache | None = None) -> list[dict[str, Any]]:
    if not page_ids:
        return []
    marks = ",".join("?" * len(page_ids))
    rows = {r["id"]: r for r in db.query(
        "select i.id, i.slug, i.title, i.summary, i.class, i.subclass, i.risk, i.cost,"
        " i.people, i.mode, i.completeness, i.language, i.tags, i.themes, i.published_at,"
        " (select count(*) from campaign_tactics t where t.idea_id = i.id) as used,"
        # CROSS JOIN fixes the order: from the idea's few links to their stories, never
        # from every published story.
        " (select count(*) from case_story_ideas l cross join case_stories s"
        "  on s.id = l.story_id where l.idea_id = i.id and s.status = 'published') as stories"
        f" from ideas i where i.id in ({marks})", page_ids)}
    snippets: dict[int, str] = {}
    if query.surface_match:
        snippets = _snippets(db, query.surface_match, page_ids, cache)
    hits = []
    for idea_id in page_ids:
        if idea_id in rows:
            hit = decode(rows[idea_id])
            snip = snippets.get(idea_id)
            hit["snippet"] = highlight(snip) if snip else ""
            hits.append(hit)
    return hits


def _snippets(db: Database, match: str, page_ids: list[int],
              cache: facet_index.FacetCache | None) -> dict[int, str]:
    """Each hit's text around the words searched for. The match is by prefix (``"radi" *``),
    which costs FTS5 a few milliseconds however few the ids: kept per page of hits while the
    catalogue does not change, as the same search is repeated (facets toggled, back)."""
    def read() -> dict[int, str]:
        marks = ",".join("?" * len(page_ids))
        return {r[0]: r[1] for r in db.execute(
            f"select rowid, snippet(ideas_fts, -1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}',"
            f" '…', 14) from ideas_fts where ideas_fts match ? and rowid in ({marks})",
            [match, *page_ids])}

    if cache is None:
        return read()
    return cache.kept(db, ("snippets", match, tuple(page_ids)), read)


def search(db: Database, query: Query, *, facets: bool = True,
           cache: facet_index.FacetCache | None = None) -> Results:
    """One page of published ideas for ``query``, with facet counts that follow it.

    ``cache`` keeps the facet bitmaps between searches (the web app holds one); without it
    they are built for this search alone."""
    sets = _Sets(db, query, cache)
    mask = sets.combined()
    total = (sets.bitmaps.everything if mask is None else mask).bit_count()
    return Results(query=query, total=total,
                   hits=_hits(db, query, _page_ids(db, query, sets, mask), cache),
                   facets=_facet_counts(query, sets) if facets else {},
                   suggestions=suggest(db, query.q) if query.q and not total else [])


def _has_match(db: Database, text: str) -> bool:
    match = words.match(text)
    return bool(match) and bool(db.execute(
        "select 1 from ideas_fts_stems where ideas_fts_stems match ? limit 1", [match]).fetchall())


def suggest(db: Database, text: str, *, limit: int = 3) -> list[str]:
    """Queries close to ``text`` that find something: each unknown word replaced by a close
    word of the index (difflib over the FTS5 vocabulary, words of a similar length)."""
    typed = re.findall(r"[^\W_]+", text)
    unknown = [w for w in typed if not _has_match(db, w)][:3]
    if not unknown:
        return []
    out: list[str] = []
    for word in unknown:
        folded = words.fold(word)
        vocabulary = [r[0] for r in db.execute(
            "select term from ideas_fts_terms where length(term) between ? and ?"
            " and term not glob '*[0-9]*'", [len(folded) - 2, len(folded) + 2])]
        for close in difflib.get_close_matches(folded, vocabulary, n=limit, cutoff=0.7):
            candidate = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", _written(db, close),
                               text, count=1)
            if candidate not in out and _has_match(db, candidate):
                out.append(candidate)
    return out[:limit]


def _written(db: Database, term: str) -> str:
    """A vocabulary term (folded) as some idea writes it ("peticao" → "petição")."""
    rows = db.execute("select title || ' ' || summary || ' ' || translations from ideas_fts"
                      " where ideas_fts match ? limit 1", [f'"{term}"']).fetchall()
    for row in rows:
        for word in re.findall(r"[^\W_]+", row[0] or ""):
            if words.fold(word) == term:
                return word.lower()
    return term


def related(db: Database, idea: dict[str, Any], *, limit: int = 6) -> list[dict[str, Any]]:
    """Related published ideas: same subclass or shared tags first, then similar words."""
    found: dict[int, float] = {}
    tags = list(idea.get("tags") or [])
    marks = ",".join("?" * len(tags)) or "''"
    for r in db.query(
            "select idea_id, sum(case when facet = 'subclass' then 2 else 1 end) as score"
            f" from idea_facets where ((facet = 'tag' and value in ({marks}))"
            " or (facet = 'subclass' and value = ?)) and idea_id != ?"
            " group by idea_id order by score desc, idea_id limit ?",
            [*tags, idea.get("subclass") or "\x00", idea["id"], limit]):
        found[r["idea_id"]] = r["score"]
    if len(found) < limit:
        words = re.findall(r"\w{4,}", idea["title"] + " " + (idea.get("summary") or ""))[:12]
        if words:
            match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
            for r in db.query(
                    "select rowid from ideas_fts where ideas_fts match ? and rowid != ?"
                    f" order by bm25(ideas_fts, {WEIGHTS}) limit ?",
                    [match, idea["id"], limit * 2]):
                if len(found) >= limit:
                    break
                found.setdefault(r["rowid"], 0)
    if not found:
        return []
    ids = list(found)
    marks = ",".join("?" * len(ids))
    rows = {r["id"]: r for r in db.query(
        f"select id, slug, title, summary, class, subclass, risk, completeness from ideas i"
        f" where id in ({marks}) and {PUBLISHED}", ids)}
    return [rows[i] for i in ids if i in rows]
