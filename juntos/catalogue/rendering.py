"""Contributed Markdown to safe HTML, and search snippets to safe HTML.

Markdown is rendered with raw HTML disabled, then the result is cleaned again with nh3 (an
allow-list sanitiser): two independent layers, so a bug in one does not let a script through.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}

#: Markers the search index puts around matched words; stripped from stored text on input.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"


def markdown_to_html(text: str) -> str:
    """Safe HTML for contributed Markdown: no scripts, no event handlers, no inline styles.

    Links keep only http, https and mailto, and get ``rel="nofollow noopener noreferrer"``.
    Headings start at h2 because the page title is the h1.
    """
    if not text:
        return ""
    rendered = _md.render(text).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def highlight(snippet: str) -> str:
    """Escape everything in a search snippet, then turn our own markers into ``<mark>``."""
    escaped = html.escape(snippet, quote=True)
    return escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")
