from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from juntos.catalogue.rendering import markdown_to_html

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg onload=alert(1)>",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_contributed_markdown_cannot_carry_script(text):
    """Raw HTML is shown as text or removed: no element or attribute can run anything."""
    tree = BeautifulSoup(markdown_to_html(text), "html.parser")
    assert not tree.find_all(["script", "img", "iframe", "svg", "div", "object", "embed"])
    for element in tree.find_all(True):
        assert element.name in {"p", "a"}, element
        assert not [a for a in element.attrs if a.startswith("on") or a == "style"]
        assert not element.get("href", "").lower().startswith(("javascript", "data"))


def test_markdown_formatting_survives_and_links_are_marked():
    html = markdown_to_html("# Plan\n\n- **one**\n- [two](https://example.org)")
    assert "<h2>Plan</h2>" in html and "<strong>one</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer"' in html
