"""Reading the bytes of an .ics file: structure checked line by line, then icalendar parses.

A problem is an ``ImportRefused`` naming the line, never a traceback; ``importer`` turns what
is read into events.
"""

from __future__ import annotations

import re

from icalendar import Calendar

from juntos.errors import JuntosError


class ImportRefused(JuntosError):
    """The file was refused as a whole; ``message`` says what is wrong and where."""

    status_code = 400


_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+(;[^:]*)?:")


def _lines(text: str) -> list[tuple[int, str]]:
    """Unfolded content lines with the number of the physical line each starts on."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(re.split(r"\r\n|\n", text), start=1):
        if "\r" in raw:
            raise ImportRefused(f"Line {number}: a stray carriage return inside the line.")
        if raw[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + raw[1:])
        elif raw.strip():
            out.append((number, raw))
    return out


def _check_structure(text: str) -> int | None:
    """BEGIN/END balance, reported by line number. Returns the first line that is not shaped
    like a content line (icalendar tolerates some such lines, so it decides), or ``None``."""
    stack: list[tuple[str, int]] = []
    seen_calendar = False
    odd: int | None = None
    for number, line in _lines(text):
        if not _CONTENT_LINE.match(line):
            if not stack:
                raise ImportRefused(f"Line {number}: {line[:60]!r} is not iCalendar content.")
            odd = odd or number
            continue
        name, _, value = line.partition(":")
        name = name.split(";")[0].upper()
        value = value.strip().upper()
        if name == "BEGIN":
            if value == "VCALENDAR" and stack:
                raise ImportRefused(f"Line {number}: a calendar starts inside {stack[-1][0]}.")
            if not stack and value != "VCALENDAR":
                raise ImportRefused(f"Line {number}: {value} outside a VCALENDAR (this is not"
                                    " an iCalendar file).")
            seen_calendar = seen_calendar or value == "VCALENDAR"
            stack.append((value, number))
        elif name == "END":
            if not stack:
                raise ImportRefused(f"Line {number}: END:{value} without a BEGIN.")
            if stack[-1][0] != value:
                begun, at = stack[-1]
                raise ImportRefused(f"Line {number}: END:{value}, but {begun} opened on line"
                                    f" {at} was never closed.")
            stack.pop()
        elif not stack:
            raise ImportRefused(f"Line {number}: {line[:60]!r} outside a VCALENDAR.")
    if stack:
        begun, at = stack[-1]
        raise ImportRefused(f"{begun} opened on line {at} is never closed.")
    if not seen_calendar:
        raise ImportRefused("The file holds no VCALENDAR.")
    return odd


def parse(data: bytes) -> Calendar:
    """One VCALENDAR from ``data``, or ``ImportRefused`` naming the problem."""
    if not data.strip():
        raise ImportRefused("The file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ImportRefused(f"Line {line}: the file is not UTF-8 text (byte {e.start}).") from e
    odd = _check_structure(text)
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception as e:  # icalendar raises many kinds; each becomes a message, never a trace
        where = f"Line {odd}: " if odd else ""
        raise ImportRefused(f"{where}The calendar cannot be read: {short(e)}") from e
    if len(calendars) != 1:
        raise ImportRefused(f"The file holds {len(calendars)} calendars; import them one by one.")
    return calendars[0]


def short(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) < 200 else text[:200] + "…"
