"""What a tie is, and the rules its fields follow. Actors are the shared organisations."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)

from juntos.validation import N_, Input, fail, validate

MEMBER_OF = "member of"
#: The tie kinds offered by forms and the demo; imports may bring others (kinds are open).
TIE_KINDS = (MEMBER_OF, "partner", "funds", "influences", "targets", "opposes",
             "communicates with")
#: Ties left out of the cohesion view (brokerage, communities, centralities): they are not
#: channels through which allies coordinate.
ADVERSARIAL_KINDS = frozenset({"targets", "opposes"})
#: Kinds whose direction matters by default.
DIRECTED_KINDS = frozenset({MEMBER_OF, "funds", "influences", "targets", "opposes"})
STANCES = ("ally", "neutral", "opponent")
#: Kinds are open (imports bring their own): any short lowercase text without control characters.
KIND_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,40}$")


def valid_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _kind(value: Any) -> str:
    return " ".join(str(value or "").lower().split())


def _checked_kind(value: str) -> str:
    if not KIND_RE.match(value):
        raise fail(N_("'%(kind)s' is not a tie kind (lowercase words, e.g. %(examples)s)."),
                   kind=value, examples=", ".join(TIE_KINDS[:3]))
    return value


def _strength(value: Any) -> int | None:
    if value in ("", None):
        return None
    try:
        number = float(str(value))
    except ValueError:
        number = 0
    if number != int(number) or not 1 <= number <= 5:
        raise fail(N_("Strength is a whole number from 1 to 5, not %(value)s."), value=value)
    return int(number)


def _stance(value: Any) -> str:
    stance = str(value or "").lower().strip()
    if stance and stance not in STANCES:
        raise fail(N_("Stance is one of %(choices)s, not '%(value)s'."),
                   choices=", ".join(STANCES), value=stance)
    return stance


def _date(value: Any) -> str:
    text = str(value or "").strip()[:10]
    if text and not valid_date(text):
        raise fail(N_("'%(value)s' is not a date (YYYY-MM-DD)."), value=text)
    return text


def _stripped(value: Any) -> str:
    return str(value or "").strip()


Kind = Annotated[str, BeforeValidator(_kind), AfterValidator(_checked_kind)]
Strength = Annotated[int | None, BeforeValidator(_strength)]
Stance = Annotated[str, BeforeValidator(_stance)]
IsoDate = Annotated[str, BeforeValidator(_date)]
Stripped = Annotated[str, BeforeValidator(_stripped)]


class TieInput(Input):
    """A tie between two actors (organisation ids), validated on creation."""

    from_id: int
    to_id: int
    kind: Kind
    directed: bool = True
    strength: Strength = None
    stance: Stance = ""
    valid_from: IsoDate = ""
    valid_until: IsoDate = ""
    source: Stripped = ""
    notes: Stripped = ""

    @model_validator(mode="before")
    @classmethod
    def _direction(cls, data: Any) -> Any:
        """Directed by default for the kinds whose direction matters; a membership always
        (member -> network: the memberships table has no flag)."""
        if isinstance(data, dict):
            kind = _kind(data.get("kind"))
            directed = data.get("directed", kind in DIRECTED_KINDS)
            data = {**data, "directed": kind == MEMBER_OF or bool(directed)}
        return data

    @field_validator("valid_until")
    @classmethod
    def _ends_after_start(cls, value: str, info: ValidationInfo) -> str:
        start = info.data.get("valid_from")
        if value and start and value < start:
            raise fail(N_("A tie cannot end before it starts."))
        return value

    @classmethod
    def validated(cls, **values: Any) -> TieInput:
        """The tie, or a ValidationError naming each bad field."""
        return validate(cls, values)
