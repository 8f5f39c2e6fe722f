"""The main pages of the app as a member of the demo sees them, for the layout checks.

Used by the browser test of narrow and wide screens (tests/e2e/test_layout.py) and by
``make screenshots`` (tests/e2e/screenshots.py). Paths name demo data, which is fixed.
"""

from __future__ import annotations

from playwright.sync_api import Page

from juntos.organisations import demo as org_demo

# (name for files and test ids, path)
MAIN_PAGES: tuple[tuple[str, str], ...] = (
    ("dashboard", "/"),
    ("campaigns", "/campaigns"),
    ("campaign", "/campaigns/saude-para-todos-mz"),
    ("campaign-planning", "/campaigns/autumn-2027-decent-work"),
    ("campaign-brief", "/campaigns/saude-para-todos-mz/brief"),
    ("campaign-matrix", "/campaigns/saude-para-todos-mz/matrix"),
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


# Measured in the page: what scrolls the page sideways, and which primary controls are small.
MEASURE = """() => {
  const width = window.innerWidth;
  const wide = [];
  if (document.scrollingElement.scrollWidth > width) {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && r.width > 0) {
        let p = el.parentElement, clipped = false;
        while (p && p !== document.body) {
          const s = getComputedStyle(p);
          if (s.overflowX !== 'visible') { clipped = true; break; }
          p = p.parentElement;
        }
        if (!clipped) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
          + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
          + ' ' + Math.round(r.right));
      }
    }
  }
  const small = [];
  for (const el of document.querySelectorAll(
      'header.site a, header.site button, header.site select, main button, main .button, main input[type=submit]')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (el.closest('.compact-ok')) continue;
    if (r.height < 44 || r.width < 44) small.push((el.textContent || el.value || '').trim().slice(0, 30) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, width, wide: wide.slice(0, 12), small};
}"""
