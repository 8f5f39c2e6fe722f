"""What a tie is, and the rules its fields follow. Actors are the shared organisations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from juntos.errors import ValidationError

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


@dataclass(frozen=True, kw_only=True)
class TieInput:
    """A tie between two actors (organisation ids), validated on creation."""

    from_id: int
    to_id: int
    kind: str
    directed: bool = True
    strength: int | None = None
    stance: str = ""
    valid_from: str = ""
    valid_until: str = ""
    source: str = ""
    notes: str = ""

    @classmethod
    def validated(cls, **values: object) -> TieInput:
        errors: dict[str, str] = {}
        kind = " ".join(str(values.get("kind") or "").lower().split())
        values["kind"] = kind
        if not KIND_RE.match(kind):
            errors["kind"] = (f"{kind!r} is not a tie kind (lowercase words, e.g. "
                              f"{', '.join(TIE_KINDS[:3])}).")
        strength = values.get("strength")
        if strength in ("", None):
            values["strength"] = None
        else:
            try:
                number = float(str(strength))
            except ValueError:
                number = 0
            if number != int(number) or not 1 <= number <= 5:
                errors["strength"] = f"Strength is a whole number from 1 to 5, not {strength!r}."
            else:
                values["strength"] = int(number)
        stance = str(values.get("stance") or "").lower().strip()
        values["stance"] = stance
        if stance and stance not in STANCES:
            errors["stance"] = f"Stance is one of {', '.join(STANCES)}, not {stance!r}."
        for key in ("valid_from", "valid_until"):
            text = str(values.get(key) or "").strip()[:10]
            values[key] = text
            if text and not valid_date(text):
                errors[key] = f"{text!r} is not a date (YYYY-MM-DD)."
        if (values["valid_from"] and values["valid_until"]
                and values["valid_until"] < values["valid_from"]):
            errors["valid_until"] = "A tie cannot end before it starts."
        for key in ("source", "notes"):
            values[key] = str(values.get(key) or "").strip()
        # A membership is always directed (member -> network): the memberships table has no flag.
        values["directed"] = kind == MEMBER_OF or bool(values.get("directed",
                                                                   kind in DIRECTED_KINDS))
        if errors:
            raise ValidationError(errors)
        return cls(**values)  # type: ignore[arg-type]
