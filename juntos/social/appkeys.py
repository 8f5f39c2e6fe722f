"""A platform's app keys (X's consumer key and secret), set on the web by a coordinator.

Sign-in with X needs the X app's OAuth 1.0a consumer key and secret. The server's
configuration may set them (``JUNTOS_X_CONSUMER_KEY``...), and then it decides; otherwise a
coordinator sets them on the settings page, and they are stored sealed with the credentials key
(``credentials.Vault``, as account tokens are), never shown again and never logged.
``effective(...)`` gives the settings with the stored keys filled in, for the connect pages and
the dispatcher.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Message, ValidationError
from juntos.settings import Settings
from juntos.social.credentials import CredentialsUnreadable, Vault
from juntos.validation import N_

#: Longest key accepted (X's are 25 and 50 characters).
MAX_LENGTH = 200


@dataclass(frozen=True)
class AppKey:
    """One app key: the setting it fills, its platform, and its label on the page."""

    setting: str
    platform: str
    label: str  # msgid


APP_KEYS = (
    AppKey(setting="x_consumer_key", platform="x", label=N_("X app's API key (consumer key)")),
    AppKey(setting="x_consumer_secret", platform="x",
           label=N_("X app's API key secret (consumer secret)")),
)
SETTINGS = tuple(k.setting for k in APP_KEYS)


def configured(settings: Settings) -> set[str]:
    """The keys the server's configuration sets: those are changed there, not on the web."""
    return {k for k in SETTINGS if getattr(settings, k)}


def stored(db: Database) -> dict[str, str]:
    """When each key stored on the web was last set (the values stay sealed)."""
    return {r["name"]: r["updated_at"] for r in db.query(
        "select name, updated_at from social_app_keys")}


def save(db: Database, vault: Vault, values: dict[str, str], *, now: datetime,
         by: int | None) -> list[str]:
    """Seal and store the keys given (an empty one is left as it was); the names saved."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for name, value in values.items():
        if name not in SETTINGS:
            continue
        value = value.strip()
        if not value:
            continue
        if len(value) > MAX_LENGTH or any(c.isspace() for c in value):
            errors[name] = Message(N_("A key is one word of at most 200 characters, as the"
                                      " platform shows it."))
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        for name, value in cleaned.items():
            db.execute("insert or replace into social_app_keys (name, sealed, updated_at,"
                       " updated_by) values (?, ?, ?, ?)",
                       [name, vault.seal({"value": value}), iso(now), by])
    return sorted(cleaned)


def remove(db: Database, *, platform: str) -> None:
    """Forget a platform's stored keys (its sign-in is then not offered)."""
    names = [k.setting for k in APP_KEYS if k.platform == platform]
    with db.atomic():
        db.execute(f"delete from social_app_keys where name in ({','.join('?' * len(names))})",
                   names)


def effective(db: Database, vault: Vault, settings: Settings) -> Settings:
    """``settings`` with every key the configuration leaves empty taken from the database."""
    missing = [k for k in SETTINGS if not getattr(settings, k)]
    if not missing:
        return settings
    found: dict[str, str] = {}
    marks = ",".join("?" * len(missing))
    for row in db.query(f"select name, sealed from social_app_keys where name in ({marks})",
                        missing):
        try:
            found[row["name"]] = str(vault.open(row["sealed"])["value"])
        except CredentialsUnreadable:
            continue  # sealed with another key: as if unset, the page offers to set it again
    if not found:
        return settings
    return replace(settings, x_consumer_key=found.get("x_consumer_key", settings.x_consumer_key),
                   x_consumer_secret=found.get("x_consumer_secret",
                                               settings.x_consumer_secret))
