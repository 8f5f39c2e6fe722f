"""CSV cells that a spreadsheet will not run: a cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return is read as a formula by Excel, LibreOffice and Google Sheets
(``=HYPERLINK(...)`` in an organisation's name would run on whoever opens the export), so such
a cell is written with a leading apostrophe, which the spreadsheet shows as plain text
(OWASP's "CSV injection" advice). Readers of our own exports strip it again (``unguard``).
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """``value`` as it is safe to write in a CSV cell: text starting with a trigger gets a
    leading ``'``; numbers and everything else are left alone."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def row(values: Any) -> list[Any]:
    """Every cell of a row, guarded."""
    return [cell(v) for v in values]


def record(values: dict[str, Any]) -> dict[str, Any]:
    """Every value of a ``DictWriter`` row, guarded."""
    return {k: cell(v) for k, v in values.items()}


def unguard(value: str) -> str:
    """A cell as written before ``cell`` guarded it (``'=x`` → ``=x``)."""
    if value.startswith("'") and value[1:].startswith(TRIGGERS):
        return value[1:]
    return value
