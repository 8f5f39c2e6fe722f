"""A post as its platform will show it: text in pieces (links, hashtags, mentions), the
platform's count against its limit. Plain data for the pages; no HTML here.

Platforms shorten a link's visible text (X and Mastodon drop the scheme and cut long links
with an ellipsis; the link itself is whole): the preview does the same, so the person sees
roughly what readers will.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from juntos.social.counting import Count, count

#: Links, hashtags and mentions as the platforms recognise them (a hashtag or mention starts
#: after a space or the start of the text; hashtags are letters, digits and underscores).
_PIECES = regex.compile(
    r"(?P<link>https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'])"
    r"|(?<![\p{L}\p{N}_&])(?P<hashtag>#[\p{L}\p{M}\p{N}_]*[\p{L}\p{M}][\p{L}\p{M}\p{N}_]*)"
    r"|(?<![\p{L}\p{N}_])(?P<mention>@[A-Za-z0-9_]+(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?)")
#: How much of a link's address the platforms show before an ellipsis.
LINK_SHOWN = 30


@dataclass(frozen=True)
class Piece:
    """A run of the text: plain ``text``, or a ``link`` / ``hashtag`` / ``mention``."""

    kind: str
    text: str  # as shown
    target: str = ""  # a link's full address


@dataclass(frozen=True)
class PostPreview:
    pieces: tuple[Piece, ...]
    count: Count


def shown_link(url: str) -> str:
    """A link as X and Mastodon show it: no scheme, no ``www.``, cut with an ellipsis."""
    bare = url.split("://", 1)[-1].removeprefix("www.")
    return bare if len(bare) <= LINK_SHOWN else bare[:LINK_SHOWN - 1] + "…"


def pieces(text: str) -> tuple[Piece, ...]:
    """The text cut into plain runs, links, hashtags and mentions, in order."""
    found: list[Piece] = []
    position = 0
    for match in _PIECES.finditer(text):
        if match.start() > position:
            found.append(Piece("text", text[position:match.start()]))
        kind = match.lastgroup or "text"
        value = match.group()
        found.append(Piece("link", shown_link(value), value) if kind == "link"
                     else Piece(kind, value))
        position = match.end()
    if position < len(text):
        found.append(Piece("text", text[position:]))
    return tuple(found)


def preview(platform_id: str, text: str) -> PostPreview:
    """The post's pieces and its length by the platform's own counting rule."""
    return PostPreview(pieces=pieces(text), count=count(platform_id, text))
