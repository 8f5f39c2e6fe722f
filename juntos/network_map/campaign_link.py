"""A campaign's partners, themes and countries, read for recommendations.

The campaigns area is built in parallel; until its tables exist this answers NotFound, and
recommendations take plain inputs (``questions.recommend``) instead.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from juntos.errors import NotFound


def campaign_inputs(db: Database, slug: str) -> dict[str, Any]:
    """``{"partners": [org ids], "themes": [...], "countries": [...]}`` of a campaign."""
    if "campaigns" not in db.table_names():
        raise NotFound("Campaigns are not available yet: pass --partner, --theme, --country.")
    rows = list(db.query("select * from campaigns where slug = ?", [slug]))
    if not rows:
        raise NotFound(f"No campaign {slug!r}.")
    campaign = rows[0]
    partners: list[int] = []
    for table in ("campaign_partners", "campaign_organisations"):
        if table in db.table_names():
            column = "organisation_id" if "organisation_id" in db[table].columns_dict else "org_id"
            partners = [r[column] for r in db.query(
                f"select {column} from {table} where campaign_id = ?", [campaign["id"]])]
            break

    def listed(key: str) -> list[str]:
        value = campaign.get(key) or "[]"
        try:
            items = json.loads(value) if isinstance(value, str) else value
        except json.JSONDecodeError:
            items = [v.strip() for v in str(value).split(",")]
        return [str(i) for i in items if i]

    return {"partners": partners, "themes": listed("themes"), "countries": listed("countries")}
