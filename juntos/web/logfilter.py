"""Keep secrets out of logs: tokens in feed URLs and query strings are masked before writing.

Access logs print every request path, and private calendar feeds carry their secret in the
path, so the masking sits on the log records themselves rather than relying on callers.
"""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    (re.compile(r"(/feeds/)[A-Za-z0-9_\-]{8,}"), r"\1[redacted]"),
    (re.compile(r"((?:token|secret|key|password|code|oauth_verifier)=)[^&\s\"']+", re.I),
     r"\1[redacted]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact(str(record.msg))
        return True


_FILTER = RedactingFilter()


def install_redaction() -> None:
    """Attach the filter to the loggers that print request lines (idempotent)."""
    for name in ("uvicorn.access", "uvicorn.error", "juntos"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
