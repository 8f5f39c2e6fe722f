"""Telegram channels: 4,096 characters (1,024 in a photo's caption), a bot the partner made
and made an administrator of the channel, the Bot API over httpx.

- Counting: Telegram counts a message's text after its formatting is parsed, in UTF-16 code
  units (as its entity offsets are): an emoji outside the Basic Multilingual Plane is 2. A post
  with images goes as a photo (or an album) with the text as its caption: 1,024 at most
  (``client`` refuses a longer one with the reason, rather than cut it).
- Each organisation uses its own bot (made with @BotFather), so the bot's token is the
  credential: a bot shared by every partner would let anyone who names a channel post to it.
- The Bot API cannot read a channel's history, so nothing can tell after an unknown outcome
  whether the message went out: such a post waits in "needs check" for a person, never resent
  blindly (see ``client``).
"""

from __future__ import annotations

from typing import Any

from juntos.settings import Settings
from juntos.social.platforms.base import ConnectField, Platform
from juntos.social.platforms.identity import Identity
from juntos.social.platforms.outcomes import Job, PlatformClient
from juntos.validation import N_

#: Telegram's limits: a message's text, and a photo's (or an album's) caption.
LIMIT = 4096
CAPTION_LIMIT = 1024


def telegram_length(text: str) -> int:
    """UTF-16 code units, as the Bot API counts a text after entity parsing."""
    return len(text.encode("utf-16-le")) // 2


def _client(job: Job, settings: Settings) -> PlatformClient:
    from juntos.social.platforms.telegram.client import TelegramClient

    return TelegramClient(job, settings)


def _verify(settings: Settings, secret: dict[str, Any], instance_url: str) -> Identity:
    from juntos.social.platforms.telegram.client import verify

    return verify(settings, secret["channel"], secret["bot_token"])


def _load() -> None:
    from juntos.social.platforms.telegram import client  # noqa: F401


PLATFORM = Platform(
    id="telegram", label=N_("Telegram channel"), limit=LIMIT,
    rule="Telegram allows 4,096 characters in a message and 1,024 in a photo's caption"
         " (UTF-16 units: most emoji count 2)",
    length=telegram_length, count_style="utf16", handle_lowercase=True,
    verify=_verify,
    connect_help=N_(
        "Juntos posts to the channel through a bot of your own, which you make an"
        " administrator of the channel. Juntos checks that it is one, and may post, before"
        " storing the bot's token, encrypted."),
    connect_steps=(
        N_("In Telegram, open a chat with @BotFather, send /newbot, and give it a name and a"
           " username: it answers with the bot's token."),
        N_("Open your channel → Administrators → Add administrator, find your bot by its"
           " username, and allow it to post messages."),
        N_("The channel needs a public @name (Channel info → Edit → Channel type: public):"
           " it is this account's handle, without the @."),
        N_("Paste the bot's token here."),
    ),
    connect_fields=(ConnectField(
        name="bot_token", label=N_("Bot token for the channel @%(handle)s"), max_length=100,
        no_spaces=True,
        missing=N_("Paste the token @BotFather gave for your bot (digits, a colon, letters).")),),
    handle_in_secret="channel",
    refused=N_(
        "Telegram refused this (%(detail)s). Check the bot's token, that the bot is an"
        " administrator of the channel allowed to post messages, and the channel's @name."),
    address="api.telegram.org",
    client=_client, load=_load, ceiling=30,
)
