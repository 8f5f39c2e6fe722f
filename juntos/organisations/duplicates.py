"""Likely duplicate organisations, scored with the reasons a person needs to decide.

Nothing here merges: a coordinator reviews each pair (web page or CLI) and either merges it
(``merge.merge``) or marks it "not a duplicate", which is remembered.

Scoring: each piece of evidence (a close name, the same acronym, an acronym matching the
other's initials, the same website domain) is a probability-like weight, combined as
``1 - prod(1 - w)``; then the same country keeps the score, a different one lowers it.
Names are compared with difflib on their keys (folded, punctuation and stop words removed),
both as written and with words sorted, so word order and "Associação"/"the" do not matter.
The standard library is enough here: blocking keeps the number of comparisons small, so a
faster matcher (rapidfuzz) would save milliseconds, not seconds.

Blocking: only organisations sharing a block are compared: the same name key (as written or
with words sorted), the same acronym or initials, the same website domain, one of their two
rarest name words or a pair of their three rarest (blocks of more than ``MAX_BLOCK``
organisations are too common to say anything). With 5,000
organisations this compares a few tens of thousands of pairs instead of 12.5 million.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from functools import cache, lru_cache
from itertools import combinations
from typing import Any

from babel import Locale

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import NotFound, ValidationError
from juntos.organisations import names

DEFAULT_MIN_SCORE = 0.6
MAX_BLOCK = 60  # a word shared by more organisations than this is not a blocking key
RARE_WORDS = 2

W_SAME_ACRONYM = 0.5
W_ACRONYM_INITIALS = 0.4
W_SAME_DOMAIN = 0.8
OTHER_COUNTRY = 0.6  # factor when both countries are known and differ
UNKNOWN_COUNTRY = 0.9


@dataclass(frozen=True)
class Profile:
    """What is compared of one organisation, computed once."""

    id: int
    slug: str
    name: str
    acronym: str
    country: str
    keys: tuple[str, ...]  # name and aliases, each as names.key()
    acronyms: frozenset[str]  # acronym and acronym-like aliases, as names.acronym_key()
    initials: frozenset[str]
    domain: str


#: Reasons, in English for the CLI; the web page translates them by code.
REASON_TEXT = {
    "same_name": "same name once case, accents, punctuation and common words are ignored"
                 " (%(name)s)",
    "similar_name": "similar names (%(percent)s%%: %(name)s / %(other)s)",
    "same_acronym": "same acronym (%(acronym)s)",
    "acronym_initials": "acronym %(acronym)s matches the other's initials",
    "same_domain": "same website domain (%(domain)s)",
    "same_country": "same country (%(country)s)",
    "other_country": "different countries (%(country)s / %(other)s): lowers the score",
}


@dataclass(frozen=True)
class Reason:
    code: str
    args: dict[str, str]

    def __str__(self) -> str:
        return REASON_TEXT[self.code] % self.args


@dataclass
class Candidate:
    """A pair that may be one organisation, with its score (0-1) and reasons."""

    a: dict[str, Any]
    b: dict[str, Any]
    score: float
    reasons: list[Reason] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _is_acronym_like(text: str) -> bool:
    compact = text.replace(".", "").replace("-", "").replace(" ", "")
    return 2 <= len(compact) <= 12 and compact.upper() == compact and compact.isalnum()


@cache
def _country_words(country: str) -> frozenset[str]:
    """Words naming a country in English and Portuguese ("mocambique", "mozambique", "mz"):
    "Acção Cidadã Moçambique" and "Acção Cidadã" in Mozambique are one name."""
    if not country:
        return frozenset()
    words = {country.lower()}
    for language in ("en", "pt"):
        words.update(names.tokens(Locale(language).territories.get(country, "")))
    return frozenset(words)


def _key(text: str, country: str) -> str:
    words = names.tokens(text)
    kept = [w for w in words if w not in _country_words(country)]
    return " ".join(kept or words)


def _profiles(db: Database) -> dict[int, Profile]:
    aliases: dict[int, list[str]] = defaultdict(list)
    for row in db.query("select org_id, alias from organisation_aliases where kind = 'name'"):
        aliases[row["org_id"]].append(row["alias"])
    out: dict[int, Profile] = {}
    for row in db.query("select id, slug, name, acronym, country, website from organisations"):
        others = aliases.get(row["id"], [])
        country = row["country"] or ""
        keys = tuple(dict.fromkeys(
            k for k in (_key(t, country) for t in [row["name"], *others]) if k))
        acronyms = {names.acronym_key(row["acronym"] or "")}
        acronyms |= {names.acronym_key(t) for t in others if _is_acronym_like(t)}
        acronyms.discard("")
        inits = {names.initials(t) for t in [row["name"], *others]}
        out[row["id"]] = Profile(
            id=row["id"], slug=row["slug"], name=row["name"], acronym=row["acronym"] or "",
            country=row["country"] or "", keys=keys,
            acronyms=frozenset(a for a in acronyms if len(a) >= 2),
            initials=frozenset(i for i in inits if len(i) >= 2),
            domain=names.domain(row["website"] or ""),
        )
    return out


def _word_counts(profiles: dict[int, Profile]) -> Counter[str]:
    """In how many organisations' names each word occurs."""
    word_count: Counter[str] = Counter()
    for p in profiles.values():
        word_count.update({w for k in p.keys for w in k.split()})
    return word_count


def _rarity(word_count: Counter[str], total: int) -> Callable[[str], float]:
    """A word's weight: its inverse document frequency, so "rede" or "maputo", shared by
    many, count less than "kukula"."""
    weights = {w: math.log(1 + total / n) for w, n in word_count.items()}
    unseen = math.log(1 + total)
    return lambda word: weights.get(word, unseen)


def _blocks(profiles: dict[int, Profile], word_count: Counter[str]) -> set[tuple[int, int]]:
    """Pairs of ids worth comparing (smaller id first)."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p in profiles.values():
        for a in p.acronyms | p.initials:
            blocks[("acronym", a)].append(p.id)
        if p.domain:
            blocks[("domain", p.domain)].append(p.id)
        for k in p.keys:
            blocks[("key", k)].append(p.id)
            blocks[("key", " ".join(sorted(k.split())))].append(p.id)
            # The three rarest words, and pairs of them: a pair of common words ("health",
            # "mwanza") still picks out few organisations.
            rarest = sorted(set(k.split()), key=lambda w: (word_count[w], w))[:3]
            for w in rarest[:RARE_WORDS]:
                blocks[("word", w)].append(p.id)
            for pair in combinations(sorted(rarest), 2):
                blocks[("word", " ".join(pair))].append(p.id)
    pairs: set[tuple[int, int]] = set()
    for (kind, _value), ids in blocks.items():
        unique = sorted(set(ids))
        if kind in ("word", "acronym") and len(unique) > MAX_BLOCK:
            continue  # "ASM" as the initials of 200 names says nothing
        pairs.update(combinations(unique, 2))
    return pairs


@lru_cache(maxsize=65536)
def _word_ratio(w: str, v: str) -> float:
    matcher = SequenceMatcher(None, w, v, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= 0.8 else 0.0


def similarity(a: str, b: str, weight: Callable[[str], float] = lambda w: 1.0) -> float:
    """How alike two name keys are, 0-1: a Dice coefficient over their words, each word
    weighted by ``weight`` (rarer words count more) and matched to the most alike word of the
    other name, so word order does not matter and a misspelt word still counts (difflib ratio
    of 0.8 or more, for words of four letters or more)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    words_a, words_b = a.split(), b.split()
    free = list(words_b)
    matched = 0.0
    for w in words_a:
        if w in free:
            free.remove(w)
            matched += weight(w)
            continue
        best, best_ratio = "", 0.0
        if len(w) >= 4:
            for v in free:
                # A ratio is at most 2 * shorter / (both lengths): skip hopeless pairs cheaply.
                if len(v) >= 4 and 2 * min(len(w), len(v)) >= 0.8 * (len(w) + len(v)):
                    r = _word_ratio(w, v)
                    if r > best_ratio:
                        best, best_ratio = v, r
        if best_ratio >= 0.8:
            free.remove(best)
            matched += best_ratio * (weight(w) + weight(best)) / 2
    total = sum(map(weight, words_a)) + sum(map(weight, words_b))
    return 2 * matched / total if total else 0.0


def _name_weight(sim: float) -> float:
    # Below 0.75 two names share words, not identity; 1.0 (same key) weighs 0.9.
    return 0.0 if sim < 0.75 else 0.9 * ((sim - 0.75) / 0.25) ** 1.2


def score(p: Profile, q: Profile, weight: Callable[[str], float] = lambda w: 1.0
          ) -> tuple[float, list[Reason]]:
    """The likelihood that two organisations are one, and the reasons, in plain words."""
    reasons: list[Reason] = []
    weights: list[float] = []
    best, pair = 0.0, ("", "")
    for ka in p.keys:
        for kb in q.keys:
            s = similarity(ka, kb, weight)
            if s > best:
                best, pair = s, (ka, kb)
    if best == 1.0:
        reasons.append(Reason("same_name", {"name": pair[0]}))
    elif best >= 0.75:
        reasons.append(Reason("similar_name", {"percent": str(round(best * 100)),
                                              "name": pair[0], "other": pair[1]}))
    weights.append(_name_weight(best))
    same_acronyms = p.acronyms & q.acronyms
    if same_acronyms:
        weights.append(W_SAME_ACRONYM)
        reasons.append(Reason("same_acronym", {"acronym": sorted(same_acronyms)[0].upper()}))
    else:
        crossed = (p.acronyms & q.initials) | (q.acronyms & p.initials)
        if crossed:
            weights.append(W_ACRONYM_INITIALS)
            reasons.append(Reason("acronym_initials", {"acronym": sorted(crossed)[0].upper()}))
    if p.domain and p.domain == q.domain:
        weights.append(W_SAME_DOMAIN)
        reasons.append(Reason("same_domain", {"domain": p.domain}))
    remaining = 1.0
    for w in weights:
        remaining *= 1.0 - w
    value = 1.0 - remaining
    if p.country and q.country:
        if p.country == q.country:
            reasons.append(Reason("same_country", {"country": p.country}))
        else:
            value *= OTHER_COUNTRY
            reasons.append(Reason("other_country", {"country": p.country, "other": q.country}))
    else:
        value *= UNKNOWN_COUNTRY
    return round(value, 3), reasons


def distinct_pairs(db: Database) -> set[tuple[int, int]]:
    """Pairs a person marked "not a duplicate" (smaller id first)."""
    return {(min(r["a_id"], r["b_id"]), max(r["a_id"], r["b_id"]))
            for r in db.query("select a_id, b_id from organisation_distinct_pairs")}


def candidates(db: Database, *, min_score: float = DEFAULT_MIN_SCORE,
               limit: int | None = None) -> list[Candidate]:
    """Likely duplicate pairs, best first, leaving out pairs marked "not a duplicate"."""
    profiles = _profiles(db)
    word_count = _word_counts(profiles)
    weight = _rarity(word_count, len(profiles))
    excluded = distinct_pairs(db)
    found: list[tuple[float, int, int, list[Reason]]] = []
    for i, j in _blocks(profiles, word_count):
        if (i, j) in excluded:
            continue
        value, reasons = score(profiles[i], profiles[j], weight)
        if value >= min_score:
            found.append((value, i, j, reasons))
    found.sort(key=lambda f: (-f[0], profiles[f[1]].name.casefold(), f[1], f[2]))
    if limit is not None:
        found = found[:limit]
    rows = _rows(db, {i for f in found for i in f[1:3]})
    return [Candidate(rows[i], rows[j], value, reasons) for value, i, j, reasons in found]


def pair(db: Database, a_id: int, b_id: int) -> Candidate:
    """One pair scored, whether or not it is a candidate (for the review and merge pages)."""
    if a_id == b_id:
        raise ValidationError({"drop": "Choose two different organisations."})
    profiles = _profiles(db)
    if a_id not in profiles or b_id not in profiles:
        raise NotFound("No such pair of organisations.")
    weight = _rarity(_word_counts(profiles), len(profiles))
    value, reasons = score(profiles[a_id], profiles[b_id], weight)
    rows = _rows(db, {a_id, b_id})
    return Candidate(rows[a_id], rows[b_id], value, reasons)


def _rows(db: Database, ids: set[int]) -> dict[int, dict[str, Any]]:
    from juntos.organisations.store import _row

    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r["id"]: _row(r) for r in db.query(
        f"select * from organisations where id in ({marks})", sorted(ids))}


def mark_distinct(db: Database, a_id: int, b_id: int, *, now: datetime,
                  by: int | None = None) -> None:
    """Remember that two organisations are not one, so the pair is not proposed again."""
    if a_id == b_id:
        raise ValidationError({"drop": "Choose two different organisations."})
    a_id, b_id = min(a_id, b_id), max(a_id, b_id)
    db.execute(
        "insert or ignore into organisation_distinct_pairs (a_id, b_id, decided_at, decided_by)"
        " values (?, ?, ?, ?)", [a_id, b_id, iso(now), by])
