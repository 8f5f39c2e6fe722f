"""Planning a wave: which variant each account posts, and when, with every problem listed.

Pure functions over plain data (accounts, variants, a spec, ``now``): the preview, the
confirmation and the benchmark all run the same code, and nothing here touches the database.

Times: "instant" puts every post at one UTC moment; "local" puts each at the same wall-clock time
in the account's own zone (zoneinfo, so daylight saving is the zone database's business, not
ours). A wall-clock time that does not exist on that day (clocks jump forward) is moved forward
by the gap and flagged; an ambiguous one (clocks fall back) takes the first occurrence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from pydantic import ValidationInfo, field_validator
from twitter_text import extract_urls_with_indices

from juntos.errors import ValidationError
from juntos.organisations import territory_names
from juntos.social import platforms
from juntos.social.accounts import Account
from juntos.social.counting import Count, count
from juntos.social.models import SocialInput
from juntos.validation import N_, fail

INSTANT, LOCAL = "instant", "local"
MODES = (INSTANT, LOCAL)
# The two patterns X's automation rules allow when many accounts carry one message.
X_DIFFERENT_TEXT, X_REPOST = "different", "repost"
X_PATTERNS = (X_DIFFERENT_TEXT, X_REPOST)
REPOST_DELAY = timedelta(minutes=5)
MAX_STAGGER_MINUTES = 240

# Problem codes. Views turn them into translated sentences; BLOCKING ones keep a row out of the
# wave when it is confirmed (and the confirmation says so), the others are warnings.
NO_VARIANT = "no_variant"
TOO_LONG = "too_long"
IN_PAST = "in_past"
NOT_CONNECTED = "not_connected"
DUPLICATE_X = "duplicate_x"
DUPLICATE = "duplicate"
TIME_SHIFTED = "time_shifted"
BLOCKING = frozenset({NO_VARIANT, TOO_LONG, IN_PAST, DUPLICATE_X})

# For manual accounts: prefer a variant written for posting by hand, then the roomiest platform.
MANUAL_PREFERENCE = (platforms.MANUAL, *(p.id for p in sorted(
    platforms.posting(), key=lambda p: -(p.limit or 0))))

_HASHTAG = re.compile(r"[#＃][\w]+", re.UNICODE)
_MENTION = re.compile(r"@[\w.]+(?:@[\w.-]+)?", re.UNICODE)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_PLACEHOLDERS = ("{org}", "{city}", "{country}")


@dataclass(frozen=True)
class VariantText:
    """A variant as the planner needs it."""

    id: int
    language: str
    platform: str
    text: str


class WaveSpec(SocialInput):
    """When and how a wave goes out (``validated`` parses form or CLI strings)."""

    mode: str
    day: date
    at: time
    stagger_minutes: int = 0
    x_pattern: str = X_DIFFERENT_TEXT
    lead_account_id: int | None = None  # the account partners repost, with X_REPOST

    @field_validator("mode")
    @classmethod
    def _mode(cls, value: str) -> str:
        if value not in MODES:
            raise fail(N_("Choose one instant (UTC) or the same local time everywhere."))
        return value

    @field_validator("day", mode="before")
    @classmethod
    def _day(cls, value: object) -> date:
        try:
            return value if isinstance(value, date) else date.fromisoformat(str(value).strip())
        except ValueError:
            raise fail(N_("Give the day as YYYY-MM-DD.")) from None

    @field_validator("at", mode="before")
    @classmethod
    def _at(cls, value: object) -> time:
        try:
            at = value if isinstance(value, time) else time.fromisoformat(str(value).strip())
        except ValueError:
            raise fail(N_("Give the time as HH:MM.")) from None
        return at.replace(second=0, microsecond=0)

    @field_validator("stagger_minutes", mode="before")
    @classmethod
    def _stagger(cls, value: object) -> int:
        try:
            stagger = int(str(value or 0).strip() or 0)
        except ValueError:
            stagger = -1
        if not 0 <= stagger <= MAX_STAGGER_MINUTES:
            raise fail(N_("Staggering is a whole number of minutes, 0 to %(most)s."),
                       most=MAX_STAGGER_MINUTES)
        return stagger

    @field_validator("x_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        if value not in X_PATTERNS:
            raise fail(N_("Choose different texts per account, or one post that partners"
                          " repost."))
        return value

    @field_validator("lead_account_id", mode="before")
    @classmethod
    def _lead(cls, value: object, info: ValidationInfo) -> int | None:
        lead: int | None = None
        if value not in (None, ""):
            try:
                lead = int(str(value))
            except ValueError:
                raise fail(N_("Choose the account partners will repost.")) from None
        if info.data.get("x_pattern") == X_REPOST and lead is None:
            raise fail(N_("Choose the X account partners will repost."))
        return lead


@dataclass
class PlannedPost:
    """One row of the preview: an account, its moment, the text it would post, its problems."""

    account: Account
    local: datetime
    utc: datetime
    variant: VariantText | None
    text: str
    count: Count | None
    kind: str = "post"  # "post", or "repost" of the lead account's post (X)
    problems: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(p in BLOCKING for p in self.problems)


@dataclass
class WavePlan:
    rows: list[PlannedPost]
    x_duplicates: int = 0  # X accounts that would post the same text through our app
    other_duplicates: int = 0

    @property
    def ready(self) -> list[PlannedPost]:
        return [r for r in self.rows if not r.blocked]

    @property
    def blocked(self) -> list[PlannedPost]:
        return [r for r in self.rows if r.blocked]


def moment(spec: WaveSpec, zone: str, index: int) -> tuple[datetime, datetime, bool]:
    """(local, utc, shifted) for the account at position ``index`` in the wave."""
    stagger = timedelta(minutes=spec.stagger_minutes * index)
    tz = ZoneInfo(zone)
    if spec.mode == INSTANT:
        utc = datetime.combine(spec.day, spec.at, tzinfo=UTC) + stagger
        return utc.astimezone(tz), utc, False
    wall = datetime.combine(spec.day, spec.at, tzinfo=tz)
    utc = wall.astimezone(UTC)
    # A wall time in a spring-forward gap does not survive the round trip: it was shifted.
    shifted = utc.astimezone(tz).replace(tzinfo=None) != wall.replace(tzinfo=None)
    utc += stagger
    return utc.astimezone(tz), utc, shifted


def choose_variant(account: Account, variants: Sequence[VariantText]) -> VariantText | None:
    """The variant for the account's platform in its first language that has one."""
    wanted = MANUAL_PREFERENCE if account.platform == platforms.MANUAL else (account.platform,)
    by_key = {(v.language, v.platform): v for v in variants}
    for language in account.languages:
        for platform in wanted:
            found = by_key.get((language, platform))
            if found is not None:
                return found
    return None


def fill(text: str, account: Account, language: str = "en") -> str:
    """Fill {org}, {city} and {country}: the "really differs by place" pattern X allows.

    ``language`` is the text's: {country} becomes the country's name in it ("Essuatíni" in
    a Portuguese text, "Eswatini" in an English one), never an ISO code."""
    if "{" not in text:
        return text
    # The organisation's name for its territory (Somaliland) before the country's name in the
    # text's language.
    values = (account.organisation_name, account.city,
              account.territory or territory_names.country_name(account.country, language))
    for placeholder, value in zip(_PLACEHOLDERS, values, strict=True):
        text = text.replace(placeholder, value)
    return text


@lru_cache(maxsize=1024)
def similarity_key(text: str) -> str:
    """The text with links, hashtags, mentions, case and punctuation removed.

    Two posts with the same key say the same thing in X's sense of "substantially similar";
    texts that differ by an organisation's name or city get different keys, which is the
    pattern X allows.
    """
    pieces, last = [], 0
    for url in extract_urls_with_indices(text):
        start, end = url["indices"]
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    stripped = _MENTION.sub(" ", _HASHTAG.sub(" ", " ".join(pieces)))
    return " ".join(_NON_WORD.sub(" ", stripped.casefold()).split())


def plan(
    accounts: Iterable[Account],
    variants: Sequence[VariantText],
    spec: WaveSpec,
    *,
    now: datetime,
) -> WavePlan:
    """The preview of a wave: every account gets a row; nothing is skipped silently."""
    rows: list[PlannedPost] = []
    for index, account in enumerate(accounts):
        local, utc, shifted = moment(spec, account.timezone, index)
        variant = choose_variant(account, variants)
        text = fill(variant.text, account, variant.language) if variant else ""
        measured = count(account.platform, text) if variant else None
        row = PlannedPost(account=account, local=local, utc=utc, variant=variant, text=text,
                          count=measured)
        if variant is None:
            row.problems.append(NO_VARIANT)
        elif measured is not None and not measured.ok:
            row.problems.append(TOO_LONG)
        if utc <= now:
            row.problems.append(IN_PAST)
        if not account.connected:
            row.problems.append(NOT_CONNECTED)
        if shifted:
            row.problems.append(TIME_SHIFTED)
        rows.append(row)
    if spec.x_pattern == X_REPOST:
        _as_reposts(rows, spec.lead_account_id)
    return _flag_duplicates(rows)


def _as_reposts(rows: list[PlannedPost], lead_account_id: int | None) -> None:
    """Partner accounts on the lead's platform (X) repost the lead's post (a few minutes after
    it) instead of posting."""
    lead = next((r for r in rows if r.account.id == lead_account_id), None)
    if lead is None or not platforms.get(lead.account.platform).reposts:
        raise ValidationError(
            {"lead_account_id": "The account to repost must be an X account in this wave."}
        )
    for row in rows:
        if row is lead or row.account.platform != lead.account.platform:
            continue
        row.kind = "repost"
        row.text = lead.text
        row.count = None
        row.problems = [p for p in row.problems if p not in (TOO_LONG, NO_VARIANT)]
        if row.utc < lead.utc + REPOST_DELAY:
            row.utc = lead.utc + REPOST_DELAY
            row.local = row.utc.astimezone(row.local.tzinfo)


def _row_key(row: PlannedPost) -> str:
    """The similarity key of a row's text, from its variant's template: filling in {org},
    {city} or {country} makes texts differ exactly when the filled-in values differ, so the
    template's key plus those values is the key, computed once per variant instead of per
    account (waves have thousands of rows and ten-odd variants)."""
    template = row.variant.text if row.variant else row.text
    values = [value for placeholder, value in zip(
        _PLACEHOLDERS, (row.account.organisation_name, row.account.city, row.account.country),
        strict=True) if placeholder in template]
    key = similarity_key(template)
    return key if not values else key + "\0" + "\0".join(v.casefold() for v in values)


def _flag_duplicates(rows: list[PlannedPost]) -> WavePlan:
    groups: dict[tuple[str, str], list[PlannedPost]] = defaultdict(list)
    for row in rows:
        # Manual posts are typed by people, not sent by our app: X's rule is about apps.
        if (row.variant is None or row.kind == "repost"
                or row.account.platform == platforms.MANUAL):
            continue
        groups[(row.account.platform, _row_key(row))].append(row)
    plan_ = WavePlan(rows=rows)
    for (platform, _key), members in groups.items():
        if len({m.account.id for m in members}) < 2:
            continue
        forbidden = platforms.get(platform).forbids_duplicates
        for member in members:
            member.problems.append(DUPLICATE_X if forbidden else DUPLICATE)
        if forbidden:
            plan_.x_duplicates += len(members)
        else:
            plan_.other_duplicates += len(members)
    return plan_

