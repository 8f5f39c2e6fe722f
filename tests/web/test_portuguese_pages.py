"""A Portuguese reader never meets the catalogue's English: the main pages, signed in with
Portuguese, show none of the English texts whose translation differs."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from juntos.accounts import store as accounts
from juntos.web.i18n import LOCALE_DIR

MAIN_PAGES = ("/", "/campaigns", "/campaigns/new", "/calendar", "/calendar/agenda", "/network",
              "/ideas", "/ideas?q=greve", "/ideas?q=boicotte", "/messages", "/organisations",
              "/account")


def _english_texts() -> set[str]:
    with open(LOCALE_DIR / "pt" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalogue = read_po(f)
    found = set()
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
            continue
        if message.string and message.string != message.id and len(message.id.split()) >= 2:
            found.add(message.id)
    return found


def _visible_text(html: str) -> str:
    page = BeautifulSoup(html, "html.parser")
    for hidden in page(["script", "style", "template"]):
        hidden.decompose()
    return re.sub(r"\s+", " ", page.get_text(" "))


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_main_pages_in_portuguese_show_no_english_of_the_catalogue(as_user, db, users, path):
    accounts.set_language(db, users["coordinator"].id, "pt")
    c = as_user("coordinator")
    r = c.get(path)
    assert r.status_code == 200, path
    text = _visible_text(r.text)
    english = sorted(m for m in _english_texts() if m in text)
    assert not english, (path, english)
