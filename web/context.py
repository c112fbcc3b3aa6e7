"""Values every page's shell needs (site name, the signed-in member's face in the Me menu)."""

from django.conf import settings


def shell(request):
    context = {"site_name": getattr(settings, "LINKWELL_SITE_NAME", "Linkwell")}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from profiles.queries import initials

        context["me_initials"] = initials(user)
    return context
