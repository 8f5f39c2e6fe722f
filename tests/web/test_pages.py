"""Pages are light, local-only, accessible, and work without JavaScript."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.support.web import soup

PAGES = ["/", "/organisations", "/organisations/new", "/organisations/org-a", "/account",
         "/users"]


def test_pages_fetch_nothing_from_other_sites(as_user) -> None:
    c = as_user("coordinator")
    for path in PAGES:
        page = soup(c.get(path))
        for tag, attr in (("link", "href"), ("script", "src"), ("img", "src"),
                          ("iframe", "src"), ("source", "src")):
            for element in page.find_all(tag):
                url = element.get(attr) or ""
                if tag == "link" and "stylesheet" not in (element.get("rel") or []) and (
                        "icon" not in (element.get("rel") or [])):
                    continue
                assert not urlparse(url).netloc, f"{path}: external {tag} {url}"


def test_a_typical_page_stays_under_60_kb_with_its_css(as_user) -> None:
    c = as_user("coordinator")
    css = len(c.get("/static/app.css").content)
    for path in PAGES:
        html = len(c.get(path).content)
        assert html + css < 60 * 1024, f"{path}: {html + css} bytes"


def test_every_form_field_has_a_label(as_user) -> None:
    c = as_user("coordinator")
    for path in PAGES:
        page = soup(c.get(path))
        for field in page.select("input:not([type=hidden]):not([type=submit]), select, textarea"):
            labelled = field.get("aria-label") or field.find_parent("label") or (
                field.get("id") and page.find("label", {"for": field["id"]}))
            assert labelled, f"{path}: unlabelled {field}"


def test_static_files_are_cached_by_content_hash(as_user) -> None:
    c = as_user("member")
    href = soup(c.get("/")).find("link", rel="stylesheet")["href"]
    assert "?v=" in href
    r = c.get(href)
    assert "immutable" in r.headers["cache-control"]


def test_html_is_compressed_for_slow_connections(as_user) -> None:
    r = as_user("member").get("/organisations", headers={"accept-encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"


def test_navigation_marks_the_current_section(as_user) -> None:
    page = soup(as_user("member").get("/organisations/org-a"))
    current = page.select('nav a[aria-current="page"]')
    assert [a["href"] for a in current] == ["/organisations"]
