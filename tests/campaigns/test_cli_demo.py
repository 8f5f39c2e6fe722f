"""The CLI over the demo campaigns (what the page and JSON show), and the demo's idempotence."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from juntos.campaigns import demo, export, store
from juntos.cli import cli
from tests.support.clock import FrozenClock


@pytest.fixture
def demo_db(settings, db, clock: FrozenClock):  # type: ignore[no-untyped-def]
    """Only the organisations the campaign demo needs, then the campaign demo twice."""
    from juntos.organisations import demo as org_demo

    org_demo.load(db, now=clock())
    demo.load(db, now=clock())
    demo.load(db, now=clock())  # idempotent
    return settings


def run(settings, *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), *args])
    return result


def test_demo_is_idempotent_and_has_the_three_campaigns(demo_db, db) -> None:
    rows, total = store.search(db, store.CampaignFilter(), user=None, all_campaigns=True)
    assert total == 3
    assert sorted(r["status"] for r in rows) == ["active", "finished", "planning"]
    autumn = next(r for r in rows if r["status"] == "planning")
    assert len(autumn["countries"]) == 7
    health = store.get(db, "saude-para-todos-mz")
    view = export.overview(db, health, today=date(2026, 11, 23))
    assert any(c["overdue"] for c in view["commitments"])
    assert len(view["calls_to_action"]) == 3 and view["matrix"]
    assert db["campaigns"].count == 3 and db["commitments"].count == 14


def test_list_show_and_export(demo_db, db) -> None:
    listed = run(demo_db, "campaigns", "list", "--status", "active")
    assert listed.exit_code == 0, listed.output
    assert [line.split()[0] for line in listed.output.splitlines()] == ["saude-para-todos-mz"]
    shown = run(demo_db, "campaigns", "show", "saude-para-todos-mz")
    assert shown.exit_code == 0, shown.output
    assert "  research                   -         -      -    R     A    -" in shown.output
    assert "[open OVERDUE]" in shown.output or "[in_progress OVERDUE]" in shown.output
    exported = run(demo_db, "campaigns", "export", "saude-para-todos-mz", "--format", "json")
    doc = json.loads(exported.output)
    page_view = export.to_dict(export.overview(db, store.get(db, "saude-para-todos-mz"),
                                               today=date.today()))
    assert doc == page_view  # the same document as GET /campaigns/<slug>.json
    md = run(demo_db, "campaigns", "export", "saude-para-todos-mz", "--format", "md")
    assert md.output.startswith("# Saúde para Todos")
    missing = run(demo_db, "campaigns", "show", "nope")
    assert missing.exit_code == 1 and "No campaign 'nope'" in missing.output


@pytest.mark.parametrize("today", [date(2026, 3, 1), date(2026, 9, 1), date(2026, 12, 31)])
def test_calendar_demo_events_belong_to_demo_campaigns(today: date, db) -> None:  # type: ignore[no-untyped-def]
    """Every demo event that names a campaign names one of the demo's, by id too, whatever
    the day the demo is loaded (the autumn campaign's address names its year)."""
    from datetime import datetime, time

    from juntos.calendar import demo as calendar_demo
    from juntos.organisations import demo as org_demo

    now = datetime.combine(today, time(9), tzinfo=FrozenClock()().tzinfo)
    org_demo.load(db, now=now)
    demo.load(db, now=now)
    calendar_demo.load(db, now=now)
    slugs = {r["id"]: r["slug"] for r in db.query("select id, slug from campaigns")}
    named = list(db.query("select uid, campaign, campaign_id from calendar_events"
                          " where campaign != ''"))
    assert len(named) >= 5
    assert all(slugs.get(r["campaign_id"]) == r["campaign"] for r in named), named
