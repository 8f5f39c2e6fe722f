"""What a person submits about a user: a new account, a changed password, a role."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints, ValidationInfo, field_validator

from juntos.accounts import passwords
from juntos.accounts.roles import ROLES
from juntos.validation import N_, Email, Input, Line, fail

UNKNOWN_ROLE = N_("Unknown role '%(role)s'; one of %(roles)s.")


def _strong(password: str) -> str:
    problem = passwords.weakness(password)
    if problem is not None:
        raise fail(problem.template, **problem.params)
    return password


#: Taken exactly as typed: spaces at either end are part of a password.
Password = Annotated[str, StringConstraints(strip_whitespace=False), AfterValidator(_strong)]
AnyPassword = Annotated[str, StringConstraints(strip_whitespace=False)]


def _role(role: str) -> str:
    if role not in ROLES:
        raise fail(UNKNOWN_ROLE, role=role, roles=", ".join(ROLES))
    return role


Role = Annotated[str, AfterValidator(_role)]


class NewUser(Input):
    """A user as a coordinator (or ``juntos user add``) creates them."""

    email: Email
    password: Password
    role: Role
    name: Line = ""
    language: str = ""

    @field_validator("email")
    @classmethod
    def _lowercase(cls, email: str) -> str:
        return email.lower()  # one account per address, however it is typed


class RoleChange(Input):
    role: Role


class PasswordChange(Input):
    """One's own new password, typed twice; the current one is checked against the store."""

    current: AnyPassword
    new: Password
    confirm: AnyPassword

    @field_validator("confirm")
    @classmethod
    def _same(cls, confirm: str, info: ValidationInfo) -> str:
        if "new" in info.data and confirm != info.data["new"]:
            raise fail(N_("The two new passwords differ."))
        return confirm
