"""The main pages of the app as a member of the demo sees them, for the layout checks.

Used by the browser test of narrow and wide screens (tests/e2e/test_layout.py) and by
``make screenshots`` (tests/e2e/screenshots.py). Paths name demo data, which is fixed.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from juntos.organisations import demo as org_demo

# (name for files and test ids, path)
MAIN_PAGES: tuple[tuple[str, str], ...] = (
    ("dashboard", "/"),
    ("campaigns", "/campaigns"),
    ("campaign", "/campaigns/saude-para-todos-mz"),
    ("campaign-planning", "/campaigns/autumn-2027-decent-work"),
    ("campaign-brief", "/campaigns/saude-para-todos-mz/brief"),
    ("commitments", "/campaigns/commitments"),
    ("kits", "/campaigns/autumn-2027-decent-work/kits"),
    ("kit", "/campaigns/autumn-2027-decent-work/kits/1"),
    ("calendar", "/calendar"),
    ("agenda", "/calendar/agenda"),
    ("opportunities", "/calendar/opportunities"),
    ("event", "/calendar/events/24"),
    ("network", "/network"),
    ("actors", "/network/actors"),
    ("actor", "/network/actors/samvirke-dk"),
    ("ties", "/network/ties"),
    ("questions", "/network/questions"),
    ("ideas", "/ideas"),
    ("ideas-search", "/ideas?q=radio"),
    ("idea", "/ideas/community-scorecard"),
    ("ideas-mine", "/ideas/mine"),
    ("messages", "/messages"),
    ("inbox", "/messages/inbox"),
    ("queue", "/messages/queue"),
    ("accounts", "/messages/accounts/samvirke-dk"),
    ("organisations", "/organisations"),
    ("organisation", "/organisations/samvirke-dk"),
    ("account", "/account"),
)

NARROW = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 800}
# Accept-Language picks the language: the demo member has not chosen one.
LOCALES = {"en": "en-GB", "pt": "pt-PT"}


def log_in_as_member(page: Page, base: str) -> None:
    page.goto(base + "/login")
    page.locator("input[name=email]").fill(org_demo.MEMBER_EMAIL)
    page.locator("input[name=password]").fill(org_demo.DEMO_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(base + "/")


# Run in a page: what scrolls it sideways, and which primary controls are under 44 px.
MEASURE = (Path(__file__).with_name("measure.js")).read_text(encoding="utf-8")
