"""The shared ``org_a``/``org_b`` fixtures omit the organisation kind, which the organisation
validation requires; these overrides add it so the ``users`` and ``as_user`` fixtures work."""

from __future__ import annotations

import pytest

from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput


@pytest.fixture
def org_a(db, clock):  # type: ignore[no-untyped-def]
    return orgs.create(db, OrganisationInput.validated(
        name="Acção Cidadã", slug="org-a", kind="cso", country="MZ",
        timezone="Africa/Maputo", themes=["health"]), now=clock())


@pytest.fixture
def org_b(db, clock):  # type: ignore[no-untyped-def]
    return orgs.create(db, OrganisationInput.validated(
        name="Ubuntu Labour", slug="org-b", kind="cso", country="ZA",
        timezone="Africa/Johannesburg", themes=["labour"]), now=clock())
