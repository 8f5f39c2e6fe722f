"""Organisations: likely duplicates among 5,000 organisations, and one merge.

Names are made the way coalitions name themselves (a prefix, a focus, a place, often a local
word) in ten countries; 100 of them are typed again as duplicates (capitals without accents,
another word order, the acronym only, a translated prefix), and we count how many the
candidates find.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from bench.support import Row, fresh_db, generate_users, logged_in_client, median, timings
from juntos.clock import system_clock
from juntos.organisations import duplicates, merge, names, picker

N_ORGS = 5000
N_DUPLICATES = 100

PREFIXES = ["Associação", "Movimento", "Grupo Comunitário", "Centro", "Iniciativa", "Núcleo",
            "Rede", "Colectivo", "Organização", "Liga", "Forum", "Alliance", "Coalition",
            "Network", "Trust", "Foundation", "Union", "Platform", "Council", "Society"]
FOCUS = ["para a Saúde", "Cidadania Activa", "de Mulheres", "dos Trabalhadores", "pela Criança",
         "para a Educação", "Terra Nossa", "Verde", "for Land Rights", "for Climate Justice",
         "of Women Farmers", "for Youth Voices", "for Budget Transparency", "for Health Access",
         "of Domestic Workers", "for Children's Rights", "Mangal Vivo", "Voz do Povo",
         "for Community Radio", "for Disability Rights", "of Teachers", "for Clean Water"]
PLACES = {
    "MZ": ["Maputo", "Matola", "Beira", "Nampula", "Quelimane", "Tete", "Chimoio", "Pemba"],
    "ZA": ["Johannesburg", "Durban", "Cape Town", "Pretoria", "Polokwane", "Gqeberha"],
    "UG": ["Kampala", "Gulu", "Mbarara", "Jinja", "Lira", "Arua"],
    "ZW": ["Harare", "Bulawayo", "Mutare", "Gweru", "Masvingo"],
    "SZ": ["Mbabane", "Manzini", "Siteki", "Nhlangano"],
    "SO": ["Hargeisa", "Burao", "Berbera", "Borama"],
    "DK": ["Copenhagen", "Aarhus", "Odense", "Aalborg"],
    "KE": ["Nairobi", "Mombasa", "Kisumu", "Nakuru", "Eldoret"],
    "TZ": ["Dar es Salaam", "Arusha", "Mwanza", "Dodoma"],
    "MW": ["Lilongwe", "Blantyre", "Mzuzu", "Zomba"],
}
SYLLABLES = ["ka", "ku", "la", "mbe", "u", "zi", "nda", "so", "wa", "ti", "ngo", "ri", "ba",
             "shi", "mo", "ye", "ha", "lu", "ne", "tsa"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()


def _organisations(rng: random.Random) -> list[dict]:
    rows, seen = [], set()
    while len(rows) < N_ORGS:
        country = rng.choice(list(PLACES))
        place = rng.choice(PLACES[country])
        local = _word(rng) if rng.random() < 0.6 else ""
        name = " ".join(x for x in (rng.choice(PREFIXES), local, rng.choice(FOCUS),
                                    "de" if country == "MZ" else "of", place) if x)
        if names.key(name) in seen:
            continue
        seen.add(names.key(name))
        acronym = names.initials(name).upper() if rng.random() < 0.5 else ""
        i = len(rows)
        rows.append({
            "slug": f"org-{i:05d}", "name": name, "acronym": acronym, "kind": "cso",
            "country": country, "region": "", "city": place, "timezone": "",
            "languages": "[]", "themes": "[]", "is_public": 0, "description": "",
            "website": f"https://org{i}.example.org" if rng.random() < 0.3 else "",
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        })
    return rows


def _duplicate(rng: random.Random, original: dict, i: int) -> dict:
    """One way people type an organisation again."""
    name = original["name"]
    way = i % 4
    if way == 0:  # capitals, no accents
        name = names.fold(name).upper()
    elif way == 1:  # words in another order
        words = name.split()
        name = " ".join(words[1:] + words[:1])
    elif way == 2:  # a typo and dots in the acronym
        pos = rng.randrange(1, len(name) - 1)
        name = name[:pos] + name[pos + 1:]
    else:  # another form of the prefix, same website
        name = name.replace("Associação", "Associacao").replace("Network", "Netwerk") + "."
    website = original["website"] if way == 3 else ""
    return original | {"slug": f"dup-{i:03d}", "name": name, "city": "", "website": website,
                       "acronym": ".".join(original["acronym"]) if original["acronym"] else ""}


def run(folder: Path) -> list[Row]:
    settings, db = fresh_db(folder, "organisations")
    rng = random.Random(7)
    rows = _organisations(rng)
    originals = rng.sample(rows[: N_ORGS - N_DUPLICATES], N_DUPLICATES)
    planted = [_duplicate(rng, o, i) for i, o in enumerate(originals)]
    db["organisations"].insert_all(rows[: N_ORGS - N_DUPLICATES] + planted, batch_size=1000)
    ids = {r["slug"]: r["id"] for r in db.query("select id, slug from organisations")}
    expected = {frozenset((ids[o["slug"]], ids[d["slug"]])) for o, d in zip(originals, planted,
                                                                            strict=True)}
    out: list[Row] = []

    t = time.perf_counter()
    found = duplicates.candidates(db)
    cold = (time.perf_counter() - t) * 1000
    out.append(Row("organisations", f"duplicate candidates among {N_ORGS:,} organisations",
                   cold, "ms", "< 2000 ms", cold < 2000))
    profiles = duplicates._profiles(db)
    compared = len(duplicates._blocks(profiles, duplicates._word_counts(profiles)))
    out.append(Row("organisations", "pairs compared (all pairs: 12.5 million)", compared, "pairs",
                   "< 200,000", compared < 200_000))
    got = {frozenset((c.a["id"], c.b["id"])) for c in found}
    recall = 100 * len(got & expected) / len(expected)
    out.append(Row("organisations", f"planted duplicates found (score >= "
                   f"{round(duplicates.DEFAULT_MIN_SCORE * 100)}%)", recall, "%", ">= 90%",
                   recall >= 90))
    out.append(Row("organisations", "other pairs proposed", len(got - expected), "pairs",
                   "< 50", len(got - expected) < 50))

    # The organisation picker: the first keystroke after a change folds every name once; the
    # next ones reuse that (a person types a few letters at a time).
    t = time.perf_counter()
    picker.search(db, "Rede")
    first = (time.perf_counter() - t) * 1000
    out.append(Row("organisations", f"picker: first search among {N_ORGS:,} (folds names)",
                   first, "ms", "< 1000 ms", first < 1000))
    typed = ["ma", "map", "mapu", "maputo", "saude", "PLATERRA", "cidadania activa de beira"]
    t_pick = [median(timings(lambda q=q: picker.search(db, q), n=5, warmup=1)) for q in typed]
    out.append(Row("organisations", "picker: search as one types (median)", median(t_pick), "ms",
                   "< 50 ms", median(t_pick) < 50))

    # One merge of an organisation with 200 ties and 20 memberships.
    keep, drop = sorted(expected, key=min)[0]
    others = list(ids.values())[:220]
    db["ties"].insert_all([{"from_id": drop, "to_id": o, "kind": "partner"}
                           for o in others[:200] if o not in (keep, drop)])
    db["memberships"].insert_all([{"member_id": drop, "network_id": o}
                                  for o in others[200:] if o not in (keep, drop)])
    t = time.perf_counter()
    merge.merge(db, min(keep, drop), max(keep, drop), now=system_clock())
    took = (time.perf_counter() - t) * 1000
    out.append(Row("organisations", "merge re-pointing 220 rows", took, "ms", "< 500 ms",
                   took < 500))

    generate_users(db, [keep], 1, role="coordinator")
    db.close()
    client = logged_in_client(settings, "user0@bench.example")
    t_page = timings(lambda: client.get("/organisations/duplicates"), n=5, warmup=1)
    out.append(Row("organisations", "duplicates page: median", median(t_page), "ms", "< 3000 ms",
                   median(t_page) < 3000))
    size = len(client.get("/organisations/duplicates").content)
    out.append(Row("organisations", "duplicates page, uncompressed", size / 1024, "KB",
                   "< 60 KB", size < 60 * 1024))
    client.__exit__(None, None, None)
    return out
