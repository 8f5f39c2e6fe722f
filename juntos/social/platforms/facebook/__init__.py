"""Facebook Pages: 63,206 characters, a Page access token pasted once, the Graph API over httpx.

- Counting: Facebook's limit for a post's text is 63,206 characters, links counted as written
  (Facebook does not shorten them); we count grapheme clusters, as for Bluesky.
- The account's handle is the Page's id (or its username); connecting asks the Graph API which
  Page the token opens (``GET /me``) and keeps the Page's numeric id with the token.
- Facebook has no idempotency key: after an unknown outcome the Page's recent posts are read
  for the exact text before anything is resent, as for X; a person decides when that cannot
  tell (see ``client``).
"""

from __future__ import annotations

from typing import Any

from juntos.settings import Settings
from juntos.social.platforms.base import ConnectField, Platform, graphemes
from juntos.social.platforms.identity import Identity
from juntos.social.platforms.outcomes import Job, PlatformClient
from juntos.validation import N_

#: Facebook's own limit on a post's text.
LIMIT = 63206


def _client(job: Job, settings: Settings) -> PlatformClient:
    from juntos.social.platforms.facebook.client import FacebookClient

    return FacebookClient(job, settings)


def _verify(settings: Settings, secret: dict[str, Any], instance_url: str) -> Identity:
    from juntos.social.platforms.facebook.client import verify

    return verify(settings, secret["page"], secret["page_token"])


def _load() -> None:
    from juntos.social.platforms.facebook import client  # noqa: F401


def _post_id(url: str) -> str:
    return ""  # a person's address is kept as the link; nothing reposts a Facebook post


PLATFORM = Platform(
    id="facebook", label=N_("Facebook Page"), limit=LIMIT,
    rule="Facebook allows 63,206 characters in a post",
    length=graphemes,
    verify=_verify,
    connect_help=N_(
        "You need to be an admin of the Page. Juntos asks Facebook which Page the token opens"
        " before storing it, encrypted."),
    connect_steps=(
        N_("On developers.facebook.com, open My Apps → Create App, choose the type Business,"
           " and add the product “Facebook Login for Business”."),
        N_("Open Tools → Graph API Explorer, choose your app, then “Get Page Access Token”,"
           " and allow pages_show_list, pages_manage_posts and pages_read_engagement for your"
           " Page."),
        N_("Under “User or Page”, choose your Page: the token shown is now the Page's."),
        N_("Open Tools → Access Token Debugger, paste that token and choose “Extend Access"
           " Token”, so it does not expire in an hour; copy the Page token it gives."),
        N_("Paste it here, with the Page's id (Page → About → Page transparency) or its"
           " username as the account's handle."),
    ),
    connect_fields=(ConnectField(
        name="page_token", label=N_("Page access token for %(handle)s"), max_length=600,
        no_spaces=True,
        missing=N_("Paste the Page access token from the Graph API Explorer.")),),
    handle_in_secret="page",
    refused=N_(
        "Facebook refused this Page access token (%(detail)s). Check that it is a Page token"
        " (not a user token) for this Page, copied whole, and allowed pages_manage_posts and"
        " pages_read_engagement."),
    address="graph.facebook.com",
    client=_client, load=_load, ceiling=20,
)
