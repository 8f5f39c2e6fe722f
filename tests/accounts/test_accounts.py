from __future__ import annotations

from datetime import timedelta

import pytest

from juntos.accounts import policy
from juntos.accounts import store as accounts
from juntos.db import Database
from juntos.errors import Conflict, Forbidden, TooManyAttempts, ValidationError
from tests.conftest import PASSWORD
from tests.support.clock import FrozenClock

THROTTLE = accounts.Throttle(per_account=3, per_address=5, window=timedelta(minutes=15))


def test_passwords_are_stored_as_argon2id_hashes(db: Database, users: dict) -> None:
    row = next(db.query("select password_hash from users where email = 'member@example.org'"))
    assert row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]


def test_bad_user_input_is_named(db: Database, org_a: dict, clock: FrozenClock) -> None:
    with pytest.raises(ValidationError) as err:
        accounts.create(db, email="not-an-email", password="short", org_slug="org-a",
                        role="king", now=clock())
    assert set(err.value.errors) == {"email", "password", "role"}


def test_duplicate_email_is_a_conflict(db: Database, users: dict, clock: FrozenClock) -> None:
    with pytest.raises(Conflict):
        accounts.create(db, email="MEMBER@example.org", password=PASSWORD, org_slug="org-a",
                        role="member", now=clock())


def test_authenticate_accepts_the_right_password_only(db: Database, users: dict,
                                                      clock: FrozenClock) -> None:
    ok = accounts.authenticate(db, "Member@Example.org", PASSWORD, address="1.2.3.4",
                               throttle=THROTTLE, now=clock())
    assert ok is not None and ok.role == "member"
    assert accounts.authenticate(db, "member@example.org", "wrong password", address="1.2.3.4",
                                 throttle=THROTTLE, now=clock()) is None


def test_failed_logins_are_throttled_per_account_then_released(db: Database, users: dict,
                                                               clock: FrozenClock) -> None:
    for _ in range(3):
        accounts.authenticate(db, "member@example.org", "nope", address="10.0.0.1",
                              throttle=THROTTLE, now=clock())
    with pytest.raises(TooManyAttempts):  # even the right password is refused now
        accounts.authenticate(db, "member@example.org", PASSWORD, address="10.0.0.2",
                              throttle=THROTTLE, now=clock())
    clock.advance(minutes=16)
    assert accounts.authenticate(db, "member@example.org", PASSWORD, address="10.0.0.2",
                                 throttle=THROTTLE, now=clock()) is not None


def test_failed_logins_are_throttled_per_address(db: Database, users: dict,
                                                 clock: FrozenClock) -> None:
    for i in range(5):
        accounts.authenticate(db, f"guess{i}@example.org", "nope", address="6.6.6.6",
                              throttle=THROTTLE, now=clock())
    with pytest.raises(TooManyAttempts):
        accounts.authenticate(db, "viewer@example.org", PASSWORD, address="6.6.6.6",
                              throttle=THROTTLE, now=clock())


def test_policy_roles(users: dict, org_a: dict, org_b: dict) -> None:
    coordinator, member, viewer = users["coordinator"], users["member"], users["viewer"]
    assert policy.can(coordinator, "organisation.edit", org_b)
    assert policy.can(member, "organisation.edit", org_a)
    assert not policy.can(member, "organisation.edit", org_b)
    assert not policy.can(viewer, "organisation.edit", org_a)
    assert not policy.can(viewer, "organisation.create")
    assert not policy.can(None, "organisation.view")
    with pytest.raises(Forbidden):
        policy.require(member, "user.manage")


def test_new_users_are_validated_by_their_input(db: Database, org_a: dict,
                                                clock: FrozenClock) -> None:
    made = accounts.create(db, email=" Ana@Example.ORG ", password="  spaces count  ",
                           org_slug="org-a", role="viewer", name=" Ana ", now=clock())
    assert made.email == "ana@example.org" and made.name == "Ana"
    assert accounts.password_matches(db, "ana@example.org", "  spaces count  ")
    assert not accounts.password_matches(db, "ana@example.org", "spaces count")
    with pytest.raises(ValidationError) as err:
        accounts.create(db, email="ana@localhost", password=PASSWORD, org_slug="org-a",
                        role="member", now=clock())
    assert err.value.errors == {"email": "Not a valid e-mail address."}


def test_password_change_names_the_field_at_fault(db: Database, users: dict,
                                                  clock: FrozenClock) -> None:
    uid = users["member"].id
    with pytest.raises(ValidationError) as err:
        accounts.change_password(db, uid, current=PASSWORD, new="short", confirm="short",
                                 throttle=THROTTLE, now=clock())
    assert err.value.errors == {"new": "A password needs at least 12 characters."}
    with pytest.raises(ValidationError) as err:
        accounts.change_password(db, uid, current=PASSWORD, new="a long new one",
                                 confirm="another one", throttle=THROTTLE, now=clock())
    assert set(err.value.errors) == {"confirm"}
    with pytest.raises(ValidationError) as err:
        accounts.set_role(db, uid, "king")
    assert err.value.errors["role"] == "Unknown role 'king'; one of coordinator, member, viewer."
