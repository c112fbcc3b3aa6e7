"""English dates as Linkwell writes them (Dec 1, 2026); the rest is Django's `en` formats."""

DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, H:i"
YEAR_MONTH_FORMAT = "M Y"
