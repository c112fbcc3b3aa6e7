"""One place to ask the time, so windows (21 days, 48 hours, 90 days) are testable."""

from django.utils import timezone


def now():
    return timezone.now()
