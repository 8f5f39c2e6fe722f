"""Demo data of the catalogue area: the starter catalogue and a few case stories.

Idempotent: the seed skips entries that exist, stories are matched by title.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from juntos.accounts import store as accounts
from juntos.catalogue import seed, stories, tactics
from juntos.catalogue.models import StoryInput
from juntos.db import Database
from juntos.organisations import demo as org_demo

STORIES = [
    dict(
        title="Radio phone-in on medicine stock-outs in Nampula",
        happened_on="2025-04-07", place="Nampula", region="Nampula", country="MZ",
        what_happened="On World Health Day, two community radio stations ran a phone-in with "
        "the provincial health director. Thirty-one listeners called; most asked why the "
        "district clinics had no antimalarials for weeks.",
        outcome="partly",
        outcome_why="The director promised an emergency delivery, which arrived in three of "
        "five districts. Prepared callers kept the programme focused.",
        lessons="Prepare more callers from the districts furthest away; ask the station for "
        "the recording on the day.",
        ideas=[("radio-call-in-campaign", "The core of the action", "mobilisation"),
               ("budget-tracking", "The callers used figures from our tracking", "preparation")],
    ),
    dict(
        title="School scorecards in Zambézia",
        happened_on="2024-10-15", place="Quelimane", region="Zambézia", country="MZ",
        what_happened="Parents, pupils and teachers of twelve primary schools scored their "
        "schools on six criteria and met the district education office together.",
        outcome="yes",
        outcome_why="Teachers took part from the start, so the meeting was about solutions. "
        "Illegal enrolment fees were stopped in nine schools.",
        lessons="Involve the head teachers before the scoring, not after.",
        ideas=[("community-scorecard", "The method used in every school", "")],
    ),
    dict(
        title="Documenting evictions for a mining concession",
        happened_on="2025-02-20", region="Central Mozambique", country="MZ",
        pseudonymous="1",
        what_happened="Community monitors recorded 140 households moved without compensation "
        "over six months, and the findings went into a submission to the national human "
        "rights commission.",
        outcome="partly",
        outcome_why="The commission opened an inquiry; compensation talks started for part of "
        "the households. Two monitors were threatened and had to stop.",
        lessons="Plan protection before the first interview, and keep names apart from the "
        "incident records.",
        ideas=[("incident-monitoring-and-documentation", "Six months of records",
                "preparation"),
               ("complaint-to-a-human-rights-commission", "Where the evidence went",
                "escalation")],
    ),
    dict(
        title="Solidarity statement for a detained journalist in Hargeisa",
        happened_on="2025-05-03", place="Hargeisa", region="Somaliland", country="SO",
        what_happened="Within 36 hours, 58 organisations in nine countries signed a statement "
        "calling for the release of a journalist held after reporting on land deals.",
        outcome="yes",
        outcome_why="He was released on the fifth day. His family says the attention from "
        "embassies mattered.",
        lessons="Ask the family before publishing anything; keep the template ready.",
        ideas=[("solidarity-statement-across-a-network", "The action itself", "")],
    ),
]


#: Tactics planned in the demo campaigns: (campaign slug, idea slug, how).
# (campaign, idea, how, owner organisation, days from the demo's day, status)
TACTICS = [
    ("saude-para-todos-mz", "radio-call-in-campaign",
     "Phone-ins with provincial health directors in Nampula and Zambézia", "rede-saude-mz", 21,
     "planned"),
    ("saude-para-todos-mz", "budget-tracking", "Track the essential medicines budget line",
     "cso-orcamento-cidadao", 45, "under_way"),
    ("saude-para-todos-mz", "community-scorecard", "Scorecards in twelve rural clinics",
     "cso-saude-rural", 75, "planned"),
]


def load(db: Database, *, now: datetime) -> None:
    """Idempotent: running the demo twice must not duplicate anything."""
    seed.seed(db, now=now)
    author = accounts.get_by_email(db, org_demo.COORDINATOR_EMAIL)
    for raw in STORIES:
        if list(db.query("select 1 from case_stories where title = ?", [raw["title"]])):
            continue
        data = StoryInput.validated(**raw)
        stories.create(db, data, user=author, now=now, status="published")
    for campaign_slug, idea_slug, note, owner, days, status in TACTICS:
        rows = list(db.query("select id from campaigns where slug = ?", [campaign_slug]))
        owners = list(db.query("select id from organisations where slug = ?", [owner]))
        if rows:
            tactic = tactics.TacticInput.validated(
                note=note, owner_id=owners[0]["id"] if owners else None,
                due_date=(now + timedelta(days=days)).date().isoformat(), status=status)
            tactics.add(db, campaign_id=rows[0]["id"], idea_slug=idea_slug, data=tactic,
                        by=author.id, now=now)
