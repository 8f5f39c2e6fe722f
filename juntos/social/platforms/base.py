"""What a social platform is to Juntos: one ``Platform`` declaration per platform.

Everything else (counting, accounts, connecting, the dispatcher, waves, the pages and their
JavaScript) reads these declarations through the registry (``juntos.social.platforms``) and
never names a platform. A declaration is light: the platform's own library (tweepy, Mastodon.py,
atproto: seconds to import) is loaded only when a client or a credentials check is made.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import regex

from juntos.settings import Settings
from juntos.social.platforms.identity import Identity
from juntos.social.platforms.outcomes import Job, PlatformClient

#: What a link weighs on the platforms that count links as a fixed length (X, Mastodon).
URL_WEIGHT = 23

_GRAPHEME = regex.compile(r"\X")


def graphemes(text: str) -> int:
    """User-perceived characters: a family emoji or a flag is one."""
    return len(_GRAPHEME.findall(text))


def _nothing_invalid(text: str) -> bool:
    return False


def _no_post_id(url: str) -> str:
    return ""


def random_key() -> str:
    """A post's key: 122 random bits, so a restored or copied database, a second install or a
    fresh one on the same account can never send a new post under an old post's key."""
    return str(uuid.uuid4())


@dataclass(frozen=True, kw_only=True)
class ConnectField:
    """One credential a person pastes into the connect form (a password-type input)."""

    name: str  # the form field, and the key in the sealed secret
    label: str  # msgid; may use %(handle)s
    missing: str  # msgid shown when it is empty, too long or (no_spaces) has spaces
    max_length: int
    no_spaces: bool = False


@dataclass(frozen=True, kw_only=True)
class SignIn:
    """Connecting through the platform's own sign-in page (OAuth): there and back again.

    ``start`` answers where to send the person and the request token to keep until they come
    back; ``finish`` exchanges the token and the callback's verifier for the account's secret.
    Both raise ``identity.SignInFailed``."""

    ready: Callable[[Settings], bool]  # the server has the app's keys
    start: Callable[[Settings, str], tuple[str, dict[str, str]]]
    finish: Callable[[Settings, dict[str, str], str], dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class Platform:
    """One platform: how it counts, what its accounts need, how they connect and post."""

    id: str  # stored in accounts and posts: never change it
    label: str  # msgid; its English is the platform's name in messages
    # --- counting ------------------------------------------------------------------------
    limit: int | None  # None: no limit enforced
    rule: str  # the rule, named in messages so a writer knows what to fix
    length: Callable[[str], int]
    invalid: Callable[[str], bool] = _nothing_invalid  # characters the platform refuses
    invalid_rule: str = ""
    #: How the editor's live count (static/social.js) approximates ``length``: "weighted"
    #: (X's weights), "short-links" (links count 23), "utf16" (code units) or "graphemes".
    count_style: str = "graphemes"
    # --- accounts ------------------------------------------------------------------------
    needs_handle: bool = True
    handle_lowercase: bool = False
    instance_example: str = ""  # set: accounts name their own server (Mastodon)
    needs_label: bool = False  # posted by hand: say where
    # --- connecting (None / empty: accounts never connect, posts become reminders) --------
    verify: Callable[[Settings, dict[str, Any], str], Identity] | None = None
    connect_help: str = ""  # msgid above the connect form; may use %(instance)s
    connect_steps: tuple[str, ...] = ()  # msgids: where to get the credentials, step by step
    connect_fields: tuple[ConnectField, ...] = ()
    handle_in_secret: str = ""  # set: the account's handle goes into the secret as this key
    sign_in: SignIn | None = None
    refused: str = ""  # msgid: the platform refused the credentials (%(detail)s)
    address: str = ""  # where the platform answers, named when it cannot be reached
    # --- posting -------------------------------------------------------------------------
    client: Callable[[Job, Settings], PlatformClient] | None = None
    load: Callable[[], None] | None = None  # import the client's library now (before forking)
    #: The key chosen when the post is created and stored with it, so a resend or a check
    #: recognises the post (a Mastodon Idempotency-Key, a Bluesky record key).
    new_key: Callable[[], str] = random_key
    ceiling: int = 10  # posts in flight on this platform, across all workers
    #: Partners may repost a lead's post instead of posting the same text (X's rule), and
    #: identical texts from many accounts are refused.
    reposts: bool = False
    forbids_duplicates: bool = False
    #: The platform's post id from a post's address (a person marking a post sent).
    post_id_from_url: Callable[[str], str] = _no_post_id

    @property
    def posts(self) -> bool:
        """Juntos posts for its accounts (else they post by hand, from reminders)."""
        return self.client is not None

    def secret_from(self, values: dict[str, str], handle: str) -> dict[str, Any]:
        """The secret to check and seal, from the connect form's checked values."""
        secret: dict[str, Any] = dict(values)
        if self.handle_in_secret:
            secret[self.handle_in_secret] = handle
        return secret
