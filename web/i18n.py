"""On the web: the member's stored language, and the footer's language switch (docs/i18n.md)."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from core.i18n import use_language
from membership import services as membership
from profiles.queries import language_of


class MemberLanguage:
    """After AuthenticationMiddleware: a signed-in member's choice beats the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # read with the member by accounts.backends.MemberBackend.get_user (one statement)
            chosen = getattr(user, "interface_language", None)
            use_language(request, language_of(user) if chosen is None else chosen)
        return self.get_response(request)


@require_POST
def set_language(request):
    """The footer's switch: Django's cookie for everyone, and for a member also their stored
    choice, so the page they return to (and every device) speaks it."""
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        membership.update_settings(member=request.user, language=code)
    return django_set_language(request)
