"""Domain errors. Each knows its HTTP status; the web layer and the CLI render them in one place."""

from __future__ import annotations


class Message(str):
    """An English message that remembers its msgid and values, so it can be shown translated.

    It is a ``str`` (the English text), so code and tests that compare messages keep working;
    the web layer shows ``gettext(template) % params`` in the reader's language.
    """

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, **params: object) -> Message:
        self = super().__new__(cls, template % params if params else template)
        self.template = template
        self.params = params
        return self


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
