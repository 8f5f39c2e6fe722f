"""Domain errors. Each knows its HTTP status; the web layer and the CLI render them in one place."""

from __future__ import annotations


class JuntosError(Exception):
    """Base class: a problem the user can understand and act on."""

    status_code = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(JuntosError):
    status_code = 404


class Forbidden(JuntosError):
    status_code = 403


class Conflict(JuntosError):
    status_code = 409


class ValidationError(JuntosError):
    """Bad input, with one message per field so forms can show each next to its field."""

    status_code = 400

    def __init__(self, errors: dict[str, str], message: str = "") -> None:
        self.errors = dict(errors)
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class TooManyAttempts(JuntosError):
    status_code = 429


class PayloadTooLarge(JuntosError):
    status_code = 413


class NotAuthenticated(JuntosError):
    """Raised for a protected page without a session: the web layer redirects to login."""

    status_code = 401
