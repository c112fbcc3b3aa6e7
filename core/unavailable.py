"""What a member is told while the database can't be reached (web/errors.py answers it)."""

from django.utils.translation import gettext_lazy as _

RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE = _(
    "Linkwell can't reach its database just now. Please try again in a few seconds."
)
