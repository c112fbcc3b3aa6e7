"""Values every page's shell needs (site name, the signed-in member's counts)."""

from django.conf import settings


def shell(request):
    return {"site_name": getattr(settings, "LINKWELL_SITE_NAME", "Linkwell")}
