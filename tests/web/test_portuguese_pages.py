"""A Portuguese reader never meets the catalogue's English: the main pages of the demo, signed
in with Portuguese, show none of the English texts whose translation differs."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from juntos import demo, house
from juntos.accounts import store as accounts
from juntos.organisations import demo as org_demo
from juntos.settings import Settings
from juntos.web.i18n import LOCALE_DIR
from tests.support.clock import FrozenClock
from tests.support.web import login

MAIN_PAGES = ("/", "/campaigns", "/campaigns/saude-para-todos-mz", "/campaigns/new",
              "/calendar", "/calendar/agenda", "/calendar/opportunities", "/network",
              "/ideas", "/ideas?q=greve", "/ideas?q=boicotte", "/ideas/vigils", "/messages",
              "/organisations", "/organisations/forum-juntos-mz", "/account")


def _english_texts() -> set[str]:
    """The catalogue's English texts whose Portuguese differs (identical ones, such as
    "E-mail", may rightly appear)."""
    with open(LOCALE_DIR / "pt" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalogue = read_po(f)
    return {m.id for m in catalogue
            if isinstance(m.id, str) and m.id and "%(" not in m.id and m.string
            and m.string != m.id}


def _visible_texts(html: str) -> list[str]:
    """The page's visible text nodes, whitespace collapsed."""
    page = BeautifulSoup(html, "html.parser")
    for hidden in page(["script", "style", "template", "title"]):
        hidden.decompose()
    return [t for t in (re.sub(r"\s+", " ", s).strip() for s in page.strings) if t]


def _english_on(texts: list[str], english: set[str]) -> list[str]:
    """English texts shown: a whole text node (a label, an option, a theme), or a sentence of
    three words or more inside one. Two English words inside a longer node are usually a name
    or a title people typed ("National day of action for land rights"), not ours."""
    found = {t for t in texts if t in english}
    found |= {m for m in english if len(m.split()) >= 3 for t in texts if m in t}
    return sorted(found)


#: English a Portuguese page rightly shows: the theme box's examples are the stored themes
#: (typed in English so that they match the shared vocabulary).
EXPECTED = {"women's rights"}


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The demo, and its coordinator signed in with Portuguese."""
    folder = tmp_path_factory.mktemp("pt")
    settings = Settings(db_path=folder / "juntos.db", secret_key="pt-walk")
    clock = FrozenClock()
    db = house.open_db(settings.db_path)
    demo.load(db, house.areas(), now=clock())
    user = accounts.get_by_email(db, org_demo.COORDINATOR_EMAIL)
    accounts.set_language(db, user.id, "pt")
    db.close()
    with TestClient(house.create_app(settings, clock=clock), follow_redirects=True) as client:
        login(client, org_demo.COORDINATOR_EMAIL, org_demo.DEMO_PASSWORD)
        yield client


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_main_pages_in_portuguese_show_no_english_of_the_catalogue(reader, path):
    r = reader.get(path)
    assert r.status_code == 200, path
    english = [m for m in _english_on(_visible_texts(r.text), _english_texts())
               if m not in EXPECTED]
    assert not english, (path, english)
