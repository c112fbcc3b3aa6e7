"""German dates as German LinkedIn writes them (1. Dezember 2026, 14:30); else Django's `de`."""

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y, H:i"
YEAR_MONTH_FORMAT = "M Y"
