"""The language a request is answered in, shared by the web and the API (docs/i18n.md).

LocaleMiddleware has already chosen the browser's (cookie, Accept-Language, LINKWELL_LANGUAGE);
a signed-in member's stored choice replaces it once they are known.
"""

from django.conf import settings
from django.utils import formats, timezone, translation


def use_language(request, code: str) -> None:
    """Answer this request in `code` when it is one of ours; otherwise leave it as it was."""
    if code and code in dict(settings.LANGUAGES):
        translation.activate(code)
        request.LANGUAGE_CODE = code


def moment(when) -> str:
    """A date and time as the active language writes it (12. März 2026, 14:30 / Mar 12, 2026,
    14:30: config/formats), in the site's time zone; refusals that lapse say when with it."""
    return formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
