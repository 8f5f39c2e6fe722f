"""Helpers for catalogue tests: ideas made through the real store and moderation code."""

from __future__ import annotations

from typing import Any

from juntos.catalogue import store
from juntos.catalogue.models import IdeaInput


def add_idea(db, clock, *, status: str = "published", by: int | None = None,  # type: ignore[no-untyped-def]
             **fields: Any) -> dict[str, Any]:
    fields.setdefault("class", fields.pop("klass", "digital"))
    data = IdeaInput.validated(**fields)
    return store.insert(db, data, status=status, now=clock(), by=by, organisation_id=None)
