"""A campaign's posting plan as CSV, for partners who work offline or post by hand."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from juntos import csvsafe
from juntos.db import Database
from juntos.social import accounts
from juntos.social.posts import QueueFilter, all_posts

COLUMNS = ("post_id", "organisation", "account", "platform", "language", "local_time",
           "time_zone", "utc_time", "status", "kind", "text")


def _local(row: dict[str, Any], zone: str) -> str:
    moment = datetime.strptime(row["scheduled_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def plan_csv(db: Database, campaign_id: int, *, status: str = "") -> str:
    """Every post of the campaign (not cancelled), in time order, one CSV row each."""
    rows = [r for r in all_posts(db, QueueFilter(campaign_id=campaign_id, status=status))
            if r["status"] != "cancelled"]
    zones = {a.id: a for a in accounts.for_organisations(db, {r["organisation_id"] for r in rows})}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        account = zones[row["account_id"]]
        writer.writerow(csvsafe.row([
            row["id"], row["organisation_name"], account.display, row["platform"],
            row["language"], _local(row, account.timezone), account.timezone,
            row["scheduled_at"], row["status"], row["kind"], row["text"]]))
    return out.getvalue()
