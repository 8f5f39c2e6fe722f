"""No main page shows a slug where a name exists: organisations and campaigns are named by
their names and titles in what people read (addresses, form values and hidden fields aside),
and a territory is shown as its organisations name it (Somaliland, not Somalia)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from juntos import demo, house
from juntos.db import Database
from tests.support.web import login

#: Slugs that are also ordinary words or names (never flagged).
WORDS = re.compile(r"^[a-z]+$")


@pytest.fixture
def demo_db(db: Database, clock) -> Database:  # type: ignore[no-untyped-def]
    demo.load(db, house.areas(), now=clock())
    return db


def _visible_text(html: str) -> str:
    page = BeautifulSoup(html, "html.parser")
    for hidden in page(["script", "style", "datalist", "pre"]):
        hidden.decompose()
    return " ".join(page.get_text(" ").split())


def _pages(db: Database) -> list[str]:
    campaign = next(db.query("select slug from campaigns where visibility != 'private'"
                             " order by id"))["slug"]
    return ["/", "/campaigns", f"/campaigns/{campaign}", f"/campaigns/{campaign}/brief",
            f"/campaigns/{campaign}/edit", "/campaigns/new", f"/calendar/campaigns/{campaign}",
            "/organisations", "/organisations/forum-juntos-mz",
            "/organisations/so-hargeisa-voices", "/organisations/forum-juntos-mz/edit",
            "/network/actors", "/network/actors/samvirke-dk", "/network/questions",
            "/network?focus=samvirke-dk", "/network/questions?a=theme:health&b=theme:labour",
            "/ideas", "/messages", "/calendar/agenda"]


def test_main_pages_name_organisations_and_campaigns_rather_than_slugs(
        app, demo_db: Database) -> None:
    slugs = {r["slug"] for r in demo_db.query("select slug from organisations")}
    slugs |= {r["slug"] for r in demo_db.query("select slug from campaigns")}
    slugs = {s for s in slugs if not WORDS.match(s)}
    pattern = re.compile(r"(?<![\w/-])(" + "|".join(map(re.escape, sorted(slugs))) + r")(?![\w-])")
    with TestClient(app) as client:
        login(client, demo.org_demo.COORDINATOR_EMAIL, demo.org_demo.DEMO_PASSWORD)
        shown = {}
        for path in _pages(demo_db):
            response = client.get(path)
            assert response.status_code == 200, path
            hits = pattern.findall(_visible_text(response.text))
            if hits:
                shown[path] = sorted(set(hits))[:5]
        assert not shown, shown
        assert "Somaliland" in _visible_text(client.get("/organisations/so-hargeisa-voices").text)
        listed = _visible_text(client.get("/organisations?country=Somaliland").text)
        assert "Hargeisa Voices for Accountability" in listed
        assert "Hargeisa" not in _visible_text(client.get("/organisations?country=SO").text)
