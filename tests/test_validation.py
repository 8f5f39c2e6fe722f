"""The validation adapter: pydantic's errors become our translated ``{field: Message}``."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import Field, field_validator

from juntos.errors import Message, ValidationError
from juntos.validation import (
    N_,
    Email,
    Input,
    Line,
    Slug,
    Text,
    WebUrl,
    email,
    fail,
    slugify,
    split_list,
    validate,
    web_url,
)
from juntos.web import i18n


class Sample(Input):
    title: Annotated[Line, Field(min_length=1, max_length=10)]
    count: Annotated[int, Field(ge=1, le=5)] = 1
    body: Text = ""
    klass: str = ""
    address: Email | None = None
    site: WebUrl = ""
    slug: Slug = ""

    @field_validator("klass")
    @classmethod
    def _klass(cls, value: str) -> str:
        if value and value != "a":
            raise fail(N_("Choose one of: %(expected)s."), expected="a")
        return value


def errors_of(data: dict[str, object], **kwargs: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        validate(Sample, data, **kwargs)  # type: ignore[arg-type]
    return err.value.errors


def test_valid_input_is_stripped_and_frozen() -> None:
    sample = validate(Sample, {"title": "  Vigil ", "count": "3", "body": "a\r\nb\x00"})
    assert (sample.title, sample.count, sample.body) == ("Vigil", 3, "a\nb")
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        sample.title = "other"  # type: ignore[misc]


def test_each_field_gets_one_of_our_messages() -> None:
    errors = errors_of({"title": "", "count": 9, "address": "nope", "site": "ftp://x",
                        "slug": "Not A Slug", "colour": "red"})
    assert errors == {
        "title": "This field is required.",
        "count": "At most 5.",
        "address": "Not a valid e-mail address.",
        "site": "A web address starts with http:// or https://.",
        "slug": "Use lowercase letters, digits and single hyphens (e.g. 'forum-mz').",
        "colour": "Unknown field.",
    }
    assert errors_of({"title": "x" * 11})["title"] == "At most 10 characters."
    assert errors_of({"title": "ok", "count": "many"})["count"] == "A whole number."


def test_messages_keep_their_template_and_params_for_translation() -> None:
    message = errors_of({"title": "ok", "count": 0})["count"]
    assert isinstance(message, Message)
    assert (message.template, message.params, str(message)) == ("At least %(ge)s.", {"ge": 1},
                                                                "At least 1.")
    token = i18n.set_language("pt")
    try:
        assert i18n.translate_message(message) == "Pelo menos 1."
    finally:
        i18n._current.reset(token)


def test_fail_carries_a_custom_message_with_params() -> None:
    message = errors_of({"title": "ok", "klass": "b"})["klass"]
    assert message == "Choose one of: a."
    assert isinstance(message, Message) and message.params == {"expected": "a"}


def test_aliases_rename_fields_in_the_errors() -> None:
    assert set(errors_of({"title": "ok", "klass": "b"}, aliases={"klass": "class"})) == {"class"}


@pytest.mark.parametrize("text", ["bad\x00byte", "escape \x1b[31m", "carriage\rreturn",
                                  "delete\x7f"])
def test_line_refuses_control_characters(text: str) -> None:
    assert errors_of({"title": text})["title"] == "Use a single line without control characters."


def test_web_url_accepts_http_and_refuses_the_rest() -> None:
    assert web_url(" https://example.org/a?b=c ") == "https://example.org/a?b=c"
    assert web_url("") == ""
    for bad in ("javascript:alert(1)", "JavaScript://%0aalert(1)", "https://exa\nmple.org",
                "https://example.org/\r\nSet-Cookie: x", "example.org", "http://",
                'https://example.org/"><script>'):
        with pytest.raises(Exception) as err:
            web_url(bad)
        assert "A web address" in str(err.value), bad


def test_email_is_normalised_and_checked_without_the_network() -> None:
    assert email("  ana@EXAMPLE.org ") == "ana@example.org"
    assert email("josé@exämple.org") == "josé@exämple.org"
    for bad in ("ana", "ana@", "ana@localhost", "a b@example.org", "ana@example..org"):
        with pytest.raises(Exception) as err:
            email(bad)
        assert "Not a valid e-mail address." in str(err.value), bad


def test_slugs_are_readable_in_any_script() -> None:
    assert slugify("Æbeltoft") == "aebeltoft"
    assert slugify("Straße") == "strasse"
    assert slugify("Αθήνα") == "athena"
    assert slugify("القاهرة") not in ("", "item")
    assert slugify("!!!") == "item" and slugify("", fallback="org") == "org"
    assert len(slugify("word " * 40)) <= 80 and not slugify("word " * 40).endswith("-")


def test_split_list_accepts_text_or_lists() -> None:
    assert split_list("Health; health, Women's  Rights,,") == ["health", "women's rights"]
    assert split_list(["A", " a ", "B"]) == ["a", "b"]


def test_length_limits_speak_of_characters_for_text_and_items_for_lists() -> None:
    class Tagged(Input):
        tags: Annotated[list[str], Field(max_length=2)] = []

    assert errors_of({"title": "x" * 11})["title"] == "At most 10 characters."
    with pytest.raises(ValidationError) as err:
        validate(Tagged, {"tags": ["a", "b", "c"]})
    assert err.value.errors == {"tags": "At most 2 items."}
