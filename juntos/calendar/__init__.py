"""Joint campaign calendar: events, international days, iCalendar feeds and imports."""
