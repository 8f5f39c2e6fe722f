"""Demo data of the campaigns area, loaded by `juntos demo` after organisations and users.

Three campaigns built from the demo coalition, with dates relative to ``now``: a regional autumn
campaign across the seven countries (planning), a national access-to-health campaign in
Mozambique (active, some commitments overdue) and last year's 16 Days campaign (finished,
private to its partners). Idempotent: a campaign whose slug exists is left as it is.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from juntos.campaigns import matrix, schedule, store
from juntos.campaigns.models import (
    CallToActionInput,
    CampaignInput,
    CommitmentInput,
    MilestoneInput,
)
from juntos.db import Database
from juntos.errors import NotFound


def _ids(db: Database, slugs: list[str]) -> dict[str, int]:
    marks = ", ".join("?" for _ in slugs)
    return {r["slug"]: r["id"] for r in db.query(
        f"select id, slug from organisations where slug in ({marks})", slugs)}


def _build(db: Database, *, now: datetime, by: int | None, spec: dict) -> None:
    try:
        store.get(db, spec["campaign"]["slug"])
        return
    except NotFound:
        pass
    with db.atomic():
        # Demo partnerships were agreed before the demo starts (accepted); the invitations in
        # "invited" wait for an answer, so the demo shows the consent step.
        c = store.create(db, CampaignInput.validated(**spec["campaign"]), lead=spec["lead"],
                         now=now, by=by, accepted=True)
        for slug, role in spec["partners"]:
            store.add_partner(db, c["id"], slug, role, now=now, by=by, accepted=True)
        for slug, role in spec.get("invited", []):
            store.add_partner(db, c["id"], slug, role, now=now, by=by)
        ids = _ids(db, [spec["lead"], *(s for s, _ in spec["partners"])])
        ws = {w["name"]: w["id"] for w in matrix.workstreams(db, c["id"])}
        cells = {(ws[name], ids[org]): letter
                 for name, letters in spec["matrix"].items() for org, letter in letters.items()}
        matrix.set_matrix(db, c["id"], cells, now=now, by=by)
        for org, workstream, title, due, status in spec["commitments"]:
            cid = schedule.add_commitment(db, c["id"], CommitmentInput.validated(
                organisation_id=str(ids[org]), workstream_id=str(ws[workstream]), title=title,
                due_date=due.isoformat()), now=now, by=by)
            if status != "open":
                schedule.set_commitment_status(db, c["id"], cid, status, now=now, by=by)
        for title, start, end, ask, audience, tactics, key in spec["calls"]:
            schedule.add_call_to_action(db, c["id"], CallToActionInput.validated(
                title=title, start_date=start.isoformat(), end_date=end.isoformat(), ask=ask,
                audience=audience, tactics=tactics, observance_key=key), now=now, by=by)
        for title, day in spec["milestones"]:
            schedule.add_milestone(db, c["id"], MilestoneInput.validated(
                title=title, date=day.isoformat()), now=now, by=by)


def specs(today: date) -> list[dict]:
    """The three demo campaigns, dated relative to ``today``."""
    autumn = today.year + (1 if today.month >= 9 else 0)
    last = today.year - 1
    d = lambda days: today + timedelta(days=days)  # noqa: E731

    def next_on(month: int, day: int) -> date:
        """The next time this day of the year comes round (today included)."""
        this_year = date(today.year, month, day)
        return this_year if this_year >= today else date(today.year + 1, month, day)

    return [
        {
            "campaign": dict(
                slug=f"autumn-{autumn}-decent-work", title=f"Autumn {autumn}: Decent Work and Climate Justice",
                concept="Partners in seven countries agreed to link decent work and climate justice in one autumn of joint action, "
                "from the International Day for the Eradication of Poverty to the 16 Days of Activism.",
                objectives="1. Governments in the seven countries commit to a just transition plan with workers' organisations.\n"
                "2. 50,000 people sign the joint petition.\n3. Every partner holds at least one public action on the shared days.",
                themes=["labour", "climate", "women's rights"], countries=["MZ", "SO", "ZA", "SZ", "UG", "ZW", "DK"],
                regions="Southern and East Africa, Nordic", start_date=f"{autumn}-09-01", end_date=f"{autumn}-12-10",
                status="planning", visibility="network"),
            "lead": "samvirke-dk",
            "partners": [("za-ubuntu-labour", "co-lead"), ("mz-accao-cidada", "partner"),
                         ("so-hargeisa-voices", "partner"), ("sz-lutsango-women", "partner"),
                         ("ug-land-alliance", "partner"), ("zw-youth-climate", "partner"),
                         ("dk-klima-unge", "supporter")],
            "matrix": {
                "research": {"za-ubuntu-labour": "A", "ug-land-alliance": "R", "samvirke-dk": "C"},
                "messaging": {"samvirke-dk": "A", "za-ubuntu-labour": "C", "sz-lutsango-women": "C", "mz-accao-cidada": "I"},
                "social media": {"zw-youth-climate": "A", "dk-klima-unge": "R", "samvirke-dk": "C"},
                "media relations": {"mz-accao-cidada": "A", "so-hargeisa-voices": "R", "za-ubuntu-labour": "R"},
                "mobilisation": {"za-ubuntu-labour": "A", "sz-lutsango-women": "R", "zw-youth-climate": "R", "mz-accao-cidada": "R"},
                "lobbying": {"samvirke-dk": "A", "so-hargeisa-voices": "R", "ug-land-alliance": "R"},
                "fundraising": {"samvirke-dk": "A", "dk-klima-unge": "I"},
                "monitoring and evaluation": {"sz-lutsango-women": "A", "samvirke-dk": "C"},
            },
            "commitments": [
                ("za-ubuntu-labour", "research", "Regional brief on jobs in the energy transition", date(autumn, 7, 15), "open"),
                ("samvirke-dk", "messaging", "Shared message house in English and Portuguese", date(autumn, 8, 1), "open"),
                ("zw-youth-climate", "social media", "Social media toolkit and hashtag plan", date(autumn, 8, 20), "open"),
                ("mz-accao-cidada", "media relations", "List of journalists in Maputo and Beira", date(autumn, 8, 31), "open"),
                ("samvirke-dk", "fundraising", "Joint proposal to the Nordic fund", d(30), "in_progress"),
            ],
            "calls": [
                ("International Day for the Eradication of Poverty", date(autumn, 10, 17), date(autumn, 10, 17),
                 "Decent work is the way out of poverty: sign the petition.", "Ministers of labour", "Public hearings, radio debates",
                 "international-day-for-the-eradication-of-poverty"),
                ("16 Days of Activism against Gender-Based Violence", date(autumn, 11, 25), date(autumn, 12, 10),
                 "Ratify ILO Convention 190 on violence and harassment at work.", "Parliaments", "Marches, testimonies",
                 "16-days-of-activism-against-gender-based-violence"),
            ],
            "milestones": [("Partners' planning meeting", date(autumn, 6, 10)), ("Launch of the petition", date(autumn, 9, 1)),
                           ("Hand-over of signatures", date(autumn, 12, 10))],
        },
        {
            "campaign": dict(
                slug="saude-para-todos-mz", title="Saúde para Todos: access to health in Mozambique",
                concept="A national campaign for free primary health care, enough medicines in rural health posts and "
                "a health budget that reaches the districts.",
                objectives="Raise the health share of the state budget; publish stock-outs of essential medicines every month.",
                themes=["health", "advocacy"], countries=["MZ"], regions="All provinces",
                start_date=d(-120).isoformat(), end_date=d(240).isoformat(), status="active", visibility="network"),
            "lead": "rede-saude-mz",
            "partners": [("forum-juntos-mz", "co-lead"), ("cso-saude-rural", "partner"),
                         ("cso-orcamento-cidadao", "partner"), ("mz-accao-cidada", "partner"),
                         ("fundacao-comunidade", "supporter")],
            # The Danish NGO (the demo member's) is invited by the forum's coordinator.
            "invited": [("samvirke-dk", "supporter")],
            "matrix": {
                "research": {"cso-orcamento-cidadao": "A", "cso-saude-rural": "R"},
                "messaging": {"rede-saude-mz": "A", "forum-juntos-mz": "C"},
                "social media": {"mz-accao-cidada": "A", "rede-saude-mz": "R"},
                "media relations": {"forum-juntos-mz": "A", "rede-saude-mz": "R"},
                "mobilisation": {"cso-saude-rural": "A", "mz-accao-cidada": "R"},
                "lobbying": {"forum-juntos-mz": "A", "cso-orcamento-cidadao": "R", "rede-saude-mz": "R"},
                "fundraising": {"fundacao-comunidade": "A", "rede-saude-mz": "C"},
                "monitoring and evaluation": {"cso-orcamento-cidadao": "A", "fundacao-comunidade": "I"},
            },
            "commitments": [
                ("cso-orcamento-cidadao", "research", "Analysis of the health budget by province", d(-45), "done"),
                ("cso-saude-rural", "research", "Stock-out survey in 30 rural health posts", d(-20), "open"),
                ("mz-accao-cidada", "social media", "Weekly medicine stock-out posts", d(-5), "in_progress"),
                ("forum-juntos-mz", "lobbying", "Meeting with the parliamentary health committee", d(14), "open"),
                ("rede-saude-mz", "messaging", "Policy brief in Portuguese and Emakhuwa", d(30), "open"),
                ("cso-saude-rural", "mobilisation", "Community dialogues in Nampula and Zambézia", d(60), "open"),
            ],
            "calls": [
                ("World AIDS Day", next_on(12, 1), next_on(12, 1), "Medicines in every health post.", "Ministry of Health",
                 "Vigils, radio spots", "world-aids-day"),
                ("International Universal Health Coverage Day", next_on(12, 12), next_on(12, 12), "Free primary health care for all.",
                 "Parliament", "Open letter, health-post visits", "international-universal-health-coverage-day"),
                ("World Health Day", next_on(4, 7), next_on(4, 7),
                 "Publish the medicine stock-out report.", "Public and media", "Press conference", "world-health-day"),
            ],
            "milestones": [("Campaign launch", d(-120)), ("Budget hearing", d(20)), ("Mid-term review", d(90))],
        },
        {
            "campaign": dict(
                slug=f"16-days-{last}", title=f"16 Days of Activism {last}: Safe at Work, Safe at Home",
                concept="Last year's 16 Days: testimonies of domestic workers and a call to ratify ILO Convention 190.",
                objectives="Ratification debate tabled in two parliaments.",
                themes=["women's rights", "labour"], countries=["MZ", "SZ", "SO"],
                start_date=f"{last}-11-25", end_date=f"{last}-12-10", status="finished", visibility="private"),
            "lead": "rede-mulher-mz",
            "partners": [("sz-lutsango-women", "co-lead"), ("cso-mulher-lei", "partner"),
                         ("cso-trabalhadores", "partner"), ("so-hargeisa-voices", "supporter")],
            "matrix": {
                "research": {"cso-mulher-lei": "A"},
                "messaging": {"rede-mulher-mz": "A", "sz-lutsango-women": "C"},
                "mobilisation": {"cso-trabalhadores": "A", "rede-mulher-mz": "R"},
                "lobbying": {"sz-lutsango-women": "A", "cso-mulher-lei": "R"},
            },
            "commitments": [
                ("cso-mulher-lei", "research", "Legal brief on Convention 190", date(last, 11, 1), "done"),
                ("cso-trabalhadores", "mobilisation", "Domestic workers' testimonies", date(last, 11, 20), "done"),
                ("sz-lutsango-women", "lobbying", "Petition to the Eswatini parliament", date(last, 12, 5), "dropped"),
            ],
            "calls": [
                ("International Day for the Elimination of Violence against Women", date(last, 11, 25), date(last, 11, 25),
                 "Ratify C190.", "Parliaments", "Orange marches", "international-day-for-the-elimination-of-violence-against-women"),
                ("Human Rights Day", date(last, 12, 10), date(last, 12, 10), "Safe work is a human right.", "Public", "Testimonies", "human-rights-day"),
            ],
            "milestones": [("Evaluation meeting", date(last + 1, 1, 20))],
        },
    ]


def load(db: Database, *, now: datetime) -> None:
    """Idempotent: running the demo twice must not duplicate anything."""
    rows = list(db.query("select id from users where email = ?",
                         ["coordinator@demo.juntos.example"]))
    by = rows[0]["id"] if rows else None
    for spec in specs(now.date()):
        _build(db, now=now, by=by, spec=spec)
