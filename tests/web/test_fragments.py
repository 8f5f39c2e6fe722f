"""Kept page pieces (``fragment``) are shared between readers, so nothing of one reader's
may travel in them to another: the form token above all."""

from __future__ import annotations

from juntos.web.templating import build_environment

PIECE = ('{% call fragment("piece", version) %}<form method="post">'
         '<input type="hidden" name="csrf_token" value="{{ csrf_token }}">'
         '<button>{{ label }}</button></form>{% endcall %}')


def test_a_kept_piece_carries_each_readers_own_form_token() -> None:
    template = build_environment().from_string(PIECE)
    first = template.render(csrf_token="token-of-ana-AAAAAAAAAAAAAAAAAAAAAAAAAAAA", version=1,
                            label="Save")
    second = template.render(csrf_token="token-of-bia-BBBBBBBBBBBBBBBBBBBBBBBBBBBB",
                             version=1, label="changed, but kept")
    assert 'value="token-of-ana-AAAAAAAAAAAAAAAAAAAAAAAAAAAA"' in first
    # the same piece (kept: the label it was rendered with), with the second reader's token
    assert "<button>Save</button>" in second
    assert 'value="token-of-bia-BBBBBBBBBBBBBBBBBBBBBBBBBBBB"' in second
    assert "token-of-ana" not in second


def test_a_new_version_renders_the_piece_again() -> None:
    template = build_environment().from_string(PIECE)
    template.render(csrf_token="t" * 43, version=1, label="Old")
    assert "<button>New</button>" in template.render(csrf_token="t" * 43, version=2,
                                                      label="New")
