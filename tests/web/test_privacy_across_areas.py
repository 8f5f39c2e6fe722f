"""A private campaign stays invisible everywhere to those outside it: every area shows campaign
data (calendar, network map, ideas, messages, dashboard), so the check spans them all, on the
demo coalition. A partner's user is the control that proves the probe can see the secret."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from juntos import demo, house
from juntos.accounts import store as accounts
from juntos.db import Database
from tests.conftest import PASSWORD
from tests.support.web import login


@pytest.fixture
def demo_db(db: Database, clock) -> Database:  # type: ignore[no-untyped-def]
    demo.load(db, house.areas(), now=clock())
    return db


def _secrets(db: Database) -> tuple[str, list[str]]:
    campaign = next(db.query("select id, slug, title, concept from campaigns"
                             " where visibility = 'private'"))
    texts = [campaign["title"], campaign["concept"][:40]]
    texts += [r["title"] for r in db.query("select title from commitments where campaign_id = ?",
                                           [campaign["id"]])]
    texts += [r["title"] for r in db.query("select title from milestones where campaign_id = ?",
                                           [campaign["id"]])]
    return campaign["slug"], [t for t in texts if t]


def _pages(slug: str) -> list[str]:
    return [f"/campaigns/{slug}", f"/campaigns/{slug}.json", f"/campaigns/{slug}.md",
            f"/campaigns/{slug}/brief", f"/campaigns/{slug}/posts.json", "/campaigns",
            "/campaigns?status=finished", "/campaigns/commitments", "/",
            f"/calendar?campaign={slug}", "/calendar?month=2025-11", "/calendar?month=2025-12",
            f"/calendar/campaigns/{slug}", "/calendar/agenda", "/calendar/opportunities",
            f"/calendar.ics?campaign={slug}", "/calendar.ics",
            f"/network/questions?campaign={slug}", "/network/graph.json",
            "/network/actors/rede-mulher-mz.json", "/ideas", "/ideas.json", "/messages",
            "/messages/inbox", "/organisations/rede-mulher-mz"]


def _seen(client: TestClient, pages: list[str], secrets: list[str]) -> dict[str, str]:
    found = {}
    for path in pages:
        body = client.get(path).text
        hits = [s for s in secrets if s in body]
        if hits:
            found[path] = hits[0]
    return found


def test_outsiders_and_anonymous_never_see_a_private_campaign(app, demo_db: Database) -> None:
    slug, secrets = _secrets(demo_db)
    pages = _pages(slug)
    for email in (demo.org_demo.MEMBER_EMAIL, demo.org_demo.VIEWER_EMAIL, None):
        with TestClient(app) as client:
            if email:
                login(client, email, demo.org_demo.DEMO_PASSWORD)
            assert _seen(client, pages, secrets) == {}, email


def test_the_probe_sees_it_as_a_partner(app, demo_db: Database, clock) -> None:
    slug, secrets = _secrets(demo_db)
    partner_org = next(demo_db.query(
        "select o.slug from participations p join organisations o on o.id = p.organisation_id"
        " join campaigns c on c.id = p.campaign_id where c.slug = ?", [slug]))["slug"]
    accounts.create(demo_db, email="partner@example.org", password=PASSWORD,
                    org_slug=partner_org, role="member", now=clock())
    with TestClient(app) as client:
        login(client, "partner@example.org", PASSWORD)
        seen = _seen(client, _pages(slug), secrets)
    assert f"/campaigns/{slug}" in seen and f"/campaigns/{slug}.json" in seen
