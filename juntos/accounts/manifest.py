"""The accounts area, declared once for the composition root."""

from __future__ import annotations

from juntos.accounts import migrations, policy
from juntos.area import Area

AREA = Area(
    name="accounts",
    summary="Users, roles, passwords, sessions and the authorisation policy.",
    migrations=migrations.migrations,
    permissions=policy.BASE_RULES,
)
