"""Every UI string is marked and translated; the language follows the user, then the browser."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import jinja2
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from juntos.web import i18n
from juntos.web.templating import TEMPLATE_DIR, build_environment
from tests.conftest import PASSWORD
from tests.support.web import csrf_token, soup

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
# Text that is not language: punctuation, numbers, symbols, brand and format strings.
NOT_WORDS = re.compile(
    r"^[\W\d_]*(?:Juntos|[A-Z][A-Z0-9]{1,7})?[\W\d_]*$"  # brand, acronyms such as JSON, CSV
    r"|^(?:https?|webcal)://\S*$")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        kind = dict(attrs).get("type") or ""
        for name, value in attrs:
            shown = name in TRANSLATED_ATTRIBUTES or (
                name == "value" and tag == "input" and kind in ("submit", "button"))
            if shown and value:
                self.found.append((self.getpos()[0], value))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.found.append((self.getpos()[0], data))


PLACEHOLDER = "\u2063"  # stands for whatever an expression or a trans block renders


def _skeleton(source: str, env: jinja2.Environment) -> str:
    """The template's literal HTML, every {{ ... }} and {% trans %} block replaced by a mark."""
    out: list[str] = []
    tokens = list(env.lex(source))
    depth = 0
    for index, (_, kind, value) in enumerate(tokens):
        following = [t[2] for t in tokens[index + 1:index + 3] if t[1] == "name"]
        if kind == "block_begin" and following[:1] == ["trans"]:
            depth += 1
            out.append(PLACEHOLDER)
        elif kind == "block_begin" and following[:1] == ["endtrans"]:
            depth -= 1
        elif kind == "variable_begin" and not depth:
            out.append(PLACEHOLDER)
        elif kind == "data" and not depth:
            out.append(value)
    return "".join(out)


def _unmarked(source: str, env: jinja2.Environment) -> list[str]:
    """Literal template text (outside {{ _() }} and {% trans %}) that contains words."""
    collector = _TextCollector()
    collector.feed(_skeleton(source, env))
    problems = []
    for line, text in collector.found:
        words = text.replace(PLACEHOLDER, " ").strip()
        if words and not NOT_WORDS.match(words):
            problems.append(f"line {line}: {words[:60]!r}")
    return problems


def test_no_template_has_unmarked_text() -> None:
    env = build_environment()
    problems = {}
    for path in sorted(TEMPLATE_DIR.rglob("*.html")):
        found = _unmarked(path.read_text(encoding="utf-8"), env)
        if found:
            problems[str(path.relative_to(TEMPLATE_DIR))] = found
    assert problems == {}, "Mark these strings with _() or {% trans %}: " + repr(problems)


def test_the_unmarked_text_check_catches_plain_text() -> None:
    env = build_environment()
    assert _unmarked("<p>Hello there</p>", env) == ["line 1: 'Hello there'"]
    assert _unmarked('<input placeholder="Search here">', env) == [
        "line 1: 'Search here'"]
    assert _unmarked("<p>{{ _('Hello') }} · {{ x }}</p>", env) == []
    assert _unmarked("{% trans %}Hello{% endtrans %}", env) == []


def _catalogue_ids(path: Path) -> set[str]:
    with path.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


def test_catalogue_template_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "--ignore-dirs=.* __pycache__",
         "-F", str(ROOT / "babel.cfg"), "-o", str(fresh), str(ROOT / "juntos")],
        check=True, capture_output=True)
    committed = _catalogue_ids(ROOT / "juntos/locale/messages.pot")
    missing = _catalogue_ids(fresh) - committed
    assert not missing, f"Run `make extract-messages` and translate: {sorted(missing)[:10]}"


def test_every_message_has_a_portuguese_translation() -> None:
    with (ROOT / "juntos/locale/pt/LC_MESSAGES/messages.po").open("rb") as f:
        catalogue = read_po(f)
    untranslated = [m.id for m in catalogue if m.id and (
        not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy)]
    assert untranslated == []
    template_ids = _catalogue_ids(ROOT / "juntos/locale/messages.pot")
    assert template_ids <= {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue}


def _messages(catalogue) -> dict[tuple[object, object], object]:  # type: ignore[no-untyped-def]
    def plain(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(m.context, plain(m.id)): plain(m.string) for m in catalogue if m.id and m.string}


def test_the_committed_compiled_catalogue_matches_the_po_file() -> None:
    """The .mo is committed so that an install without make (pip, a wheel) speaks Portuguese."""
    folder = ROOT / "juntos/locale/pt/LC_MESSAGES"
    with (folder / "messages.po").open("rb") as f:
        source = _messages(read_po(f))
    with (folder / "messages.mo").open("rb") as f:
        compiled = _messages(read_mo(f))
    assert compiled == source, "The .mo is stale: run `make catalogs` and commit messages.mo"


def test_accept_language_chooses_portuguese(client) -> None:
    r = client.get("/login", headers={"accept-language": "pt-MZ,pt;q=0.9,en;q=0.5"})
    assert soup(r).h1.text == "Entrar no Juntos"
    assert soup(r).html["lang"] == "pt"
    r = client.get("/login", headers={"accept-language": "fr, en;q=0.3"})
    assert soup(r).h1.text == "Log in to Juntos"


def test_the_users_setting_wins_over_the_browser(as_user) -> None:
    c = as_user("member")
    token = csrf_token(c, "/account")
    c.post("/account/language", data={"language": "pt", "csrf_token": token})
    r = c.get("/", headers={"accept-language": "en"})
    assert soup(r).h1.text.startswith("Bem-vindo")


def test_negotiation_rules() -> None:
    assert i18n.negotiate("", "en-GB;q=0.4, pt-PT;q=0.8") == "pt"
    assert i18n.negotiate("en", "pt") == "en"
    assert i18n.negotiate("", "garbage;;q=x, ,") == "en"


def test_validation_messages_follow_the_browsers_language(as_user) -> None:
    c = as_user("member")
    token = csrf_token(c, "/organisations/new")
    r = c.post("/organisations/new", headers={"accept-language": "pt"},
               data={"name": "", "country": "QQ", "website": "javascript:alert(1)",
                     "csrf_token": token})
    assert r.status_code == 400
    page = soup(r)
    assert page.select_one("#e-name").text == "O nome é obrigatório."
    assert page.select_one("#e-country").text == (
        "'QQ' não é um código de país ISO 3166 de duas letras.")
    assert page.select_one("#e-website").text == "Um endereço web começa por http:// ou https://."


def test_validation_messages_follow_the_users_language(as_user) -> None:
    c = as_user("member")
    token = csrf_token(c, "/account")
    c.post("/account/language", data={"language": "pt", "csrf_token": token})
    r = c.post("/account/password", headers={"accept-language": "en"},
               data={"current": "wrong", "new": "x", "confirm": "x", "csrf_token": token})
    assert r.status_code == 400
    assert soup(r).select_one("#e-current").text == "A palavra-passe atual não está correta."
    r = c.post("/account/password", headers={"accept-language": "en"},
               data={"current": PASSWORD, "new": "short", "confirm": "short",
                     "csrf_token": token})
    assert soup(r).select_one("#e-new").text == (
        "A palavra-passe precisa de pelo menos 12 caracteres.")
