"""Campaigns at scale: 500 campaigns, 5,000 organisations, 20,000 commitments.

Targets (issue 4): the campaign page and "my commitments" answer with a p95 under 50 ms,
in-process through the real app (login, middleware, templates, SQLite file).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from bench.support import (
    Row,
    fresh_db,
    generate_organisations,
    generate_users,
    logged_in_client,
    median,
    p95,
    timings,
)
from juntos.campaigns.models import DEFAULT_WORKSTREAMS

N_ORGS = 5000
N_CAMPAIGNS = 500
N_COMMITMENTS = 20_000
STAMP = "2026-01-01T00:00:00Z"


def generate_campaigns(db, org_ids: list[int], *, seed: int = 4) -> None:  # type: ignore[no-untyped-def]
    """Campaigns of 4-16 partners each, a full matrix, commitments, calls and milestones.

    Organisation 0 (the bench user's) takes part in every tenth campaign, so "my commitments"
    has a few hundred rows to sort, as a busy network secretariat would.
    """
    rng = random.Random(seed)
    statuses = ["idea", "planning", "active", "active", "finished", "archived"]
    themes = ["health", "education", "women's rights", "labour", "climate", "land rights"]
    campaigns, participations, workstreams = [], [], []
    for c in range(1, N_CAMPAIGNS + 1):
        year = rng.choice([2025, 2026, 2027])
        campaigns.append({
            "id": c, "slug": f"campaign-{c:04d}", "title": f"Campaign {c} on {rng.choice(themes)}",
            "concept": "A joint campaign. " * 20, "objectives": "Objective. " * 10,
            "themes": json.dumps(rng.sample(themes, 2)), "countries": '["MZ", "ZA"]',
            "regions": "", "start_date": f"{year}-03-01", "end_date": f"{year}-11-30",
            "status": rng.choice(statuses), "visibility": rng.choice(["network", "private"]),
            "created_at": STAMP, "updated_at": STAMP})
        members = rng.sample(org_ids[1:], rng.randint(4, 16))
        if c % 10 == 0:
            members[0] = org_ids[0]
        for i, org in enumerate(members):
            participations.append({"campaign_id": c, "organisation_id": org,
                                   "role": "lead" if i == 0 else rng.choice(
                                       ["partner", "partner", "supporter", "co-lead"]),
                                   "joined_at": STAMP})
        for pos, name in enumerate(DEFAULT_WORKSTREAMS):
            workstreams.append({"id": (c - 1) * 8 + pos + 1, "campaign_id": c, "name": name,
                                "position": pos})
    db["campaigns"].insert_all(campaigns, batch_size=500)
    db["participations"].insert_all(participations, batch_size=2000)
    db["workstreams"].insert_all(workstreams, batch_size=2000)
    by_campaign: dict[int, list[int]] = {}
    for p in participations:
        by_campaign.setdefault(p["campaign_id"], []).append(p["organisation_id"])
    assignments, commitments, calls, milestones = [], [], [], []
    for c, members in by_campaign.items():
        for pos in range(8):
            ws = (c - 1) * 8 + pos + 1
            chosen = rng.sample(members, min(len(members), 3))
            for k, org in enumerate(chosen):
                assignments.append({"workstream_id": ws, "organisation_id": org,
                                    "campaign_id": c, "raci": "A" if k == 0 else "R"})
        for i in range(4):
            calls.append({"campaign_id": c, "title": f"Day {i}", "start_date": f"2026-0{i + 3}-08",
                          "end_date": f"2026-0{i + 3}-08", "created_at": STAMP})
            milestones.append({"campaign_id": c, "title": f"Milestone {i}",
                               "date": f"2026-0{i + 2}-15", "created_at": STAMP})
    for i in range(N_COMMITMENTS):
        c = i % N_CAMPAIGNS + 1
        commitments.append({
            "campaign_id": c, "organisation_id": rng.choice(by_campaign[c]),
            "workstream_id": (c - 1) * 8 + rng.randint(1, 8), "title": f"Commitment {i}",
            "due_date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "status": rng.choice(["open", "open", "in_progress", "done", "dropped"]),
            "notes": "", "created_at": STAMP, "updated_at": STAMP})
    db["assignments"].insert_all(assignments, batch_size=5000)
    db["commitments"].insert_all(commitments, batch_size=5000)
    db["calls_to_action"].insert_all(calls, batch_size=2000)
    db["milestones"].insert_all(milestones, batch_size=2000)
    db.execute("analyze")


def run(folder: Path) -> list[Row]:
    settings, db = fresh_db(folder, "campaigns")
    org_ids = generate_organisations(db, N_ORGS)
    generate_users(db, org_ids[:1], 1, role="member")
    generate_campaigns(db, org_ids)
    busiest = next(db.query(
        "select c.slug from campaigns c join commitments m on m.campaign_id = c.id"
        " join participations p on p.campaign_id = c.id and p.organisation_id = ?"
        " group by c.id order by count(*) desc limit 1", [org_ids[0]]))["slug"]
    mine = next(db.query("select count(*) as n from commitments where organisation_id = ?",
                         [org_ids[0]]))["n"]
    db.close()
    client = logged_in_client(settings, "user0@bench.example")
    rows: list[Row] = []
    for name, path in [(f"campaign page ({busiest}, as its lead)", f"/campaigns/{busiest}"),
                       (f"my commitments ({mine} rows)", "/campaigns/commitments"),
                       ("campaign JSON", f"/campaigns/{busiest}.json"),
                       ("campaign list, filtered", "/campaigns?status=active&theme=health")]:
        def fetch(path: str = path) -> None:
            r = client.get(path)
            assert r.status_code == 200, (path, r.status_code)

        t = timings(fetch, n=100)
        target = name.startswith(("campaign page", "my commitments"))
        rows.append(Row("campaigns", f"{name}: median", median(t), "ms"))
        rows.append(Row("campaigns", f"{name}: p95", p95(t), "ms", "< 50 ms" if target else "",
                        p95(t) < 50 if target else None))
    size = len(client.get(f"/campaigns/{busiest}").content) + sum(
        len(client.get(f"/static/{css}").content) for css in ("app.css", "campaigns.css"))
    rows.append(Row("campaigns", "campaign page + CSS, uncompressed", size / 1024, "KB",
                    "< 60 KB", size < 60 * 1024))
    # The budget is what travels: the same bytes as the server sends them (gzip).
    import gzip

    sent = len(gzip.compress(client.get(f"/campaigns/{busiest}").content)) + sum(
        len(gzip.compress(client.get(f"/static/{css}").content))
        for css in ("app.css", "campaigns.css"))
    rows.append(Row("campaigns", "campaign page + CSS, transferred (gzip)", sent / 1024, "KB",
                    "< 60 KB", sent < 60 * 1024))
    client.__exit__(None, None, None)
    return rows
