"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendation)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from juntos.errors import Message, ValidationError
from juntos.validation import N_

_hasher = PasswordHasher()

MIN_LENGTH = 12


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords too common to accept (package data, lower-cased)."""
    text = resources.files("juntos.accounts").joinpath("data/common-passwords.txt").read_text(
        encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def weakness(password: str) -> Message | None:
    """What makes a password too weak to accept, or ``None``."""
    if not password.strip():
        return Message(N_("A password cannot be only spaces."))
    if len(password) < MIN_LENGTH:
        return Message(N_("A password needs at least %(min)s characters."), min=MIN_LENGTH)
    if password.strip().lower() in common_passwords():
        return Message(N_("This password is among the most common ones; choose another."))
    return None


def check_strength(password: str, *, field: str = "password") -> None:
    problem = weakness(password)
    if problem is not None:
        raise ValidationError({field: problem})


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# Verified against when the account does not exist, so a login for an unknown e-mail takes as
# long as one with a wrong password and does not reveal which addresses have accounts.
DUMMY_HASH = _hasher.hash("not a real password, only for timing")
