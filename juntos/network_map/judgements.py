"""Elicited judgements (as in Net-Map): what people who know the field say about an actor's
influence on an issue, its stance and how sure they are.

They are opinions recorded by a person, kept apart from the computed centralities (which
describe position in the recorded ties, never influence). An issue is free text or one of the
campaigns; a judgement on a campaign is seen only by those who may see that campaign (the
campaigns area's one visibility rule), in pages, JSON and exports alike.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from juntos.accounts.store import User
from juntos.campaigns import visibility
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import NotFound
from juntos.network_map.models import STANCES
from juntos.validation import N_, Input, fail, validate

CONFIDENCES = ("low", "medium", "high")
INFLUENCE_SCALE = range(0, 6)
MAX_ISSUE = 200


def _influence(value: Any) -> int:
    raw = str("" if value is None else value).strip()
    if not raw.isdigit() or int(raw) not in INFLUENCE_SCALE:
        raise fail(N_("Influence is a whole number from 0 to 5, not '%(value)s'."), value=raw)
    return int(raw)


def _one_of(choices: tuple[str, ...], message: str) -> BeforeValidator:
    def check(value: Any) -> str:
        word = str(value or "").strip().lower()
        if word not in choices:
            raise fail(message, choices=", ".join(choices))
        return word
    return BeforeValidator(check)


class JudgementInput(Input):
    """One person's judgement of an actor on an issue; every message names its field."""

    org_id: int
    campaign_id: int | None = None
    issue: Annotated[str, BeforeValidator(lambda v: " ".join(str(v or "").split())),
                     Field(validate_default=True)] = ""
    influence: Annotated[int, BeforeValidator(_influence)]
    stance: Annotated[str, _one_of(STANCES, N_("Stance is one of %(choices)s."))]
    confidence: Annotated[str, _one_of(CONFIDENCES, N_("Confidence is one of %(choices)s."))]
    note: Annotated[str, BeforeValidator(lambda v: str(v or "").strip())] = ""

    @field_validator("issue")
    @classmethod
    def _named(cls, issue: str, info: ValidationInfo) -> str:
        if not issue and info.data.get("campaign_id") is None:
            raise fail(N_("Name the issue, or choose a campaign."))
        if len(issue) > MAX_ISSUE:
            raise fail(N_("An issue is at most %(n)s characters."), n=MAX_ISSUE)
        return issue

    @classmethod
    def validated(cls, **values: Any) -> JudgementInput:
        return validate(cls, values)


def add(db: Database, judgement: JudgementInput, *, now: datetime, by: int | None) -> int:
    pk = db["judgements"].insert(
        judgement.model_dump() | {"recorded_at": iso(now), "recorded_by": by}).last_pk
    assert isinstance(pk, int), pk  # an integer primary key
    return pk


def get(db: Database, judgement_id: int, *, user: User | None,
        trusted: bool = False) -> dict[str, Any]:
    """One judgement ``user`` may see; NotFound otherwise (a private campaign's stays absent)."""
    rows = _query(db, user, trusted, "j.id = ?", [judgement_id])
    if not rows:
        raise NotFound(f"No judgement {judgement_id}.")
    return rows[0]


def delete(db: Database, judgement_id: int) -> None:
    db.execute("delete from judgements where id = ?", [judgement_id])


def _query(db: Database, user: User | None, trusted: bool, where: str,
           params: list[Any]) -> list[dict[str, Any]]:
    vis, vis_params = ("1 = 1", []) if trusted else visibility.visible_clause(user)
    rows = db.query(
        "select j.*, c.slug as campaign_slug, c.title as campaign_title, u.name as by_name"
        " from judgements j left join campaigns c on c.id = j.campaign_id"
        " left join users u on u.id = j.recorded_by"
        f" where {where} and (j.campaign_id is null or (c.id is not null and {vis}))"
        " order by j.recorded_at desc, j.id desc", [*params, *vis_params])
    return [r | {"issue_label": r["campaign_title"] or r["issue"]} for r in rows]


def for_actor(db: Database, org_id: int, *, user: User | None,
              trusted: bool = False) -> list[dict[str, Any]]:
    """The judgements on one actor that ``user`` may see, newest first."""
    return _query(db, user, trusted, "j.org_id = ?", [org_id])


def by_actor(db: Database, *, user: User | None,
             trusted: bool = False) -> dict[int, list[dict[str, Any]]]:
    """Every visible judgement grouped by actor (for exports)."""
    out: dict[int, list[dict[str, Any]]] = {}
    for row in _query(db, user, trusted, "1 = 1", []):
        out.setdefault(row["org_id"], []).append(row)
    return out


def summaries(db: Database, *, user: User | None,
              trusted: bool = False) -> dict[int, dict[str, Any]]:
    """Per actor: how many judgements, their mean influence and the most common stance."""
    out = {}
    for org_id, rows in by_actor(db, user=user, trusted=trusted).items():
        stances = Counter(r["stance"] for r in rows).most_common()
        out[org_id] = {"judgements": len(rows),
                       "judged_influence": round(sum(r["influence"] for r in rows) / len(rows), 1),
                       "judged_stance": stances[0][0]}
    return out


def public_fields(row: dict[str, Any]) -> dict[str, Any]:
    """What JSON and exports carry: the judgement, its issue, when; not the recorder's name."""
    return {"issue": row["issue_label"], "campaign": row["campaign_slug"],
            "influence": row["influence"], "stance": row["stance"],
            "confidence": row["confidence"], "note": row["note"],
            "recorded_at": row["recorded_at"]}


def campaign_choices(db: Database, user: User | None) -> list[dict[str, Any]]:
    """Campaigns ``user`` may see: the issues a judgement may be about besides free text."""
    vis, params = visibility.visible_clause(user)
    return list(db.query(f"select c.id, c.slug, c.title from campaigns c where {vis}"
                         " order by c.title collate nocase", params))
