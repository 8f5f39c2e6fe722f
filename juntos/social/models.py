"""What a social account and a post are, and the rules their fields and states follow.

Plain data and rules only: no database, no HTTP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from juntos.errors import Conflict, ValidationError
from juntos.organisations.models import language_codes, timezones
from juntos.social.counting import BLUESKY, MANUAL, MASTODON, PLATFORMS, X

# Account states. "not connected" until the dispatcher issue stores credentials; manual accounts
# never connect: their posts become calendar reminders.
NOT_CONNECTED, CONNECTED, EXPIRED, MANUAL_STATE = "not_connected", "connected", "expired", "manual"

# Post states. The dispatcher (next issue) owns sending / sent / failed / needs_check: it claims
# a post with one compare-and-set UPDATE ... WHERE status = 'scheduled', so two workers can never
# both move the same post to "sending".
DRAFT, SUBMITTED, APPROVED, SCHEDULED = "draft", "submitted", "approved", "scheduled"
SENDING, SENT, FAILED = "sending", "sent", "failed"
NEEDS_CHECK, CANCELLED = "needs_check", "cancelled"
MISSED = "missed"  # too late to send (the dispatcher's window): a day-late post does harm
STATUSES = (DRAFT, SUBMITTED, APPROVED, SCHEDULED, SENDING, SENT, FAILED, NEEDS_CHECK, CANCELLED,
            MISSED)

# Which state may follow which. Only approved posts are ever scheduled; sending and what follows
# belong to the dispatcher.
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, CANCELLED}),
    SUBMITTED: frozenset({APPROVED, DRAFT, CANCELLED}),  # DRAFT = sent back with a comment
    # SENDING straight from APPROVED: approved after its time had come (sent late, in the window)
    APPROVED: frozenset({SCHEDULED, DRAFT, CANCELLED, SENDING, MISSED, FAILED}),
    SCHEDULED: frozenset({SENDING, DRAFT, CANCELLED, MISSED, FAILED}),
    SENDING: frozenset({SENT, FAILED, NEEDS_CHECK, SCHEDULED, MISSED}),
    NEEDS_CHECK: frozenset({SENT, SCHEDULED, CANCELLED, SENDING, MISSED}),
    MISSED: frozenset({CANCELLED}),
    FAILED: frozenset({DRAFT, CANCELLED}),
    SENT: frozenset(),
    CANCELLED: frozenset(),
}
# States in which the text may still be edited (editing approved/scheduled returns it to draft).
EDITABLE = frozenset({DRAFT, SUBMITTED, APPROVED, SCHEDULED, FAILED})

HANDLE_RE = re.compile(r"^@?[A-Za-z0-9_.-]{1,100}$")
INSTANCE_RE = re.compile(r"^https://[a-z0-9.-]+\.[a-z]{2,}/?$")


class TransitionRefused(Conflict):
    """A post asked to move to a state that may not follow its current one."""

    def __init__(self, current: str, wanted: str) -> None:
        super().__init__(f"A post that is {current} cannot become {wanted}.")
        self.current = current
        self.wanted = wanted


def check_transition(current: str, wanted: str) -> None:
    if wanted not in TRANSITIONS.get(current, frozenset()):
        raise TransitionRefused(current, wanted)


@dataclass(frozen=True, kw_only=True)
class AccountInput:
    """A social account as submitted by a form, the CLI or the demo."""

    platform: str
    handle: str = ""
    instance_url: str = ""
    timezone: str = ""
    languages: list[str] = field(default_factory=list)
    label: str = ""

    @classmethod
    def validated(cls, **values: object) -> AccountInput:
        """Clean and check every field; raise one ValidationError naming each bad field."""
        data = cls(**values)  # type: ignore[arg-type]
        errors: dict[str, str] = {}
        platform = data.platform.strip().lower()
        handle = data.handle.strip()
        instance = data.instance_url.strip().lower()
        languages = [c.strip().lower() for c in data.languages if c.strip()]
        if platform not in PLATFORMS:
            errors["platform"] = f"Choose one of: {', '.join(PLATFORMS)}."
        if platform in (X, MASTODON, BLUESKY) and not handle:
            errors["handle"] = "A handle is required for this platform."
        elif handle and not HANDLE_RE.match(handle):
            errors["handle"] = "A handle has letters, digits, dots, dashes or underscores."
        if platform == MASTODON:
            if not instance:
                errors["instance_url"] = "A Mastodon account needs its instance, e.g. https://mastodon.social."
            elif not INSTANCE_RE.match(instance):
                errors["instance_url"] = "The instance is an https:// address, e.g. https://mastodon.social."
        if data.timezone and data.timezone not in timezones():
            errors["timezone"] = f"Unknown time zone {data.timezone!r}."
        unknown = [c for c in languages if c not in language_codes()]
        if unknown:
            errors["languages"] = f"Unknown language code(s): {', '.join(unknown)}."
        if platform == MANUAL and not (handle or data.label.strip()):
            errors["label"] = "Say where this organisation posts by hand (e.g. Facebook page)."
        if errors:
            raise ValidationError(errors)
        return cls(
            platform=platform,
            handle=handle.lstrip("@") if platform != BLUESKY else handle.lstrip("@").lower(),
            instance_url=instance.rstrip("/"),
            timezone=data.timezone,
            languages=list(dict.fromkeys(languages)),
            label=" ".join(data.label.split())[:120],
        )
