"""The three roles, from most to least powerful."""

from __future__ import annotations

COORDINATOR = "coordinator"
MEMBER = "member"
VIEWER = "viewer"

ROLES = (COORDINATOR, MEMBER, VIEWER)
