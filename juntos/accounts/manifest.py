"""The accounts area, declared once for the composition root."""

from __future__ import annotations

from juntos.accounts import invitations, mailing, migrations, policy
from juntos.area import Area, Plug
from juntos.mail import kinds

AREA = Area(
    name="accounts",
    summary="Users, roles, passwords, sessions and the authorisation policy.",
    migrations=migrations.migrations,
    permissions=policy.BASE_RULES,
    plugs=[
        Plug(kinds.RECIPIENTS, "accounts", mailing.everyone),
        Plug(kinds.KINDS, invitations.INVITATION.id, invitations.INVITATION),
        Plug(kinds.KINDS, invitations.RESET.id, invitations.RESET),
    ],
)
