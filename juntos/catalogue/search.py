"""Searching published ideas: FTS5 with bm25, facets whose counts follow the query, sorting.

The user's words are never passed to FTS5 as syntax: each word (or a "quoted phrase") becomes a
quoted FTS string, so a stray quote, a hyphen or a bracket cannot cause a syntax error.
Facet counts are "disjunctive": within a facet the values are alternatives, so each facet's
counts ignore that facet's own selection (you can widen it) but honour every other filter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from juntos.catalogue.rendering import HIGHLIGHT_END, HIGHLIGHT_START, highlight
from juntos.catalogue.store import decode

#: Facets shown to users, in display order ("tag" is indexed too, for related ideas).
FACETS = ("class", "subclass", "risk", "cost", "people", "mode", "theme", "language",
          "stories", "completeness")
SORTS = ("relevance", "newest", "used")
MAX_PER_PAGE = 100

#: Column weights for bm25: title, summary, body, tags, translations.
WEIGHTS = "10.0, 4.0, 1.0, 3.0, 3.0"
PUBLISHED = "i.status = 'published' and i.revision_of is null"


def fts_query(text: str) -> str:
    """The user's text as a safe FTS5 query: quoted words and phrases, all required."""
    parts = []
    for phrase, word in re.findall(r'"([^"]+)"|(\w+)', text):
        words = re.findall(r"\w+", phrase or word)
        if words:
            parts.append('"' + " ".join(words) + '"')
    return " ".join(parts)


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
        return fts_query(self.q)

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

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def _conditions(query: Query, *, exclude: str | None = None) -> tuple[list[str], list[Any]]:
    clauses = [PUBLISHED]
    params: list[Any] = []
    if query.match:
        clauses.append("i.id in (select rowid from ideas_fts where ideas_fts match ?)")
        params.append(query.match)
    for facet, values in query.filters.items():
        if facet == exclude or facet not in FACETS:
            continue
        marks = ",".join("?" * len(values))
        clauses.append("i.id in (select idea_id from idea_facets where facet = ?"
                       f" and value in ({marks}))")
        params.extend([facet, *values])
    return clauses, params


def _facet_counts(db: Database, query: Query) -> dict[str, list[FacetValue]]:
    counts: dict[str, dict[str, int]] = {f: {} for f in FACETS}
    clauses, params = _conditions(query)
    wanted = [f for f in FACETS if f not in query.filters]
    # One grouped query for every facet without a selection of its own...
    if wanted:
        marks = ",".join("?" * len(wanted))
        for r in db.query(
                f"select facet, value, count(*) as n from idea_facets where facet in ({marks})"
                f" and idea_id in (select i.id from ideas i where {' and '.join(clauses)})"
                " group by facet, value", [*wanted, *params]):
            counts[r["facet"]][r["value"]] = r["n"]
    # ...and one per selected facet, counted without its own selection.
    for facet in query.filters:
        if facet not in FACETS:
            continue
        clauses, params = _conditions(query, exclude=facet)
        for r in db.query(
                "select value, count(*) as n from idea_facets where facet = ?"
                f" and idea_id in (select i.id from ideas i where {' and '.join(clauses)})"
                " group by value", [facet, *params]):
            counts[facet][r["value"]] = r["n"]
    out: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        selected = set(query.filters.get(facet, ()))
        values = counts[facet]
        for value in selected - set(values):
            values[value] = 0  # keep a selected value visible so it can be switched off
        ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        out[facet] = [FacetValue(v, n, v in selected) for v, n in ordered]
    return out


def search(db: Database, query: Query, *, facets: bool = True) -> Results:
    """One page of published ideas for ``query``, with facet counts that follow it."""
    clauses, params = _conditions(query)
    where = " and ".join(clauses)
    total = int(next(db.query(f"select count(*) as n from ideas i where {where}", params))["n"])
    used = "(select count(*) from campaign_tactics t where t.idea_id = i.id)"
    stories = ("(select count(*) from case_story_ideas l join case_stories s"
               " on s.id = l.story_id where l.idea_id = i.id and s.status = 'published')")
    columns = (f"i.id, i.slug, i.title, i.summary, i.class, i.subclass, i.risk, i.cost,"
               f" i.people, i.mode, i.completeness, i.language, i.tags, i.themes,"
               f" i.published_at, {used} as used, {stories} as stories")
    order = {
        "newest": "i.published_at desc, i.id desc",
        "used": "used desc, i.title collate nocase",
        "relevance": "case i.completeness when 'complete' then 0 when 'partial' then 1"
                     " else 2 end, i.title collate nocase",
    }[query.sort]
    limit = [query.per_page, (query.page - 1) * query.per_page]
    if query.match:
        if query.sort == "relevance":
            order = f"bm25(ideas_fts, {WEIGHTS})"
        sql = (f"select {columns}, snippet(ideas_fts, -1, '{HIGHLIGHT_START}',"
               f" '{HIGHLIGHT_END}', '…', 14) as snip from ideas_fts"
               f" join ideas i on i.id = ideas_fts.rowid"
               f" where ideas_fts match ? and {where} order by {order} limit ? offset ?")
        rows = list(db.query(sql, [query.match, *params, *limit]))
    else:
        sql = f"select {columns} from ideas i where {where} order by {order} limit ? offset ?"
        rows = list(db.query(sql, [*params, *limit]))
    hits = []
    for row in rows:
        hit = decode(row)
        snip = hit.pop("snip", None)
        hit["snippet"] = highlight(snip) if snip else ""
        hits.append(hit)
    return Results(query=query, total=total, hits=hits,
                   facets=_facet_counts(db, query) if facets else {})


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
