from django.conf import settings
from django.urls import include, path

from web import i18n, media

urlpatterns = [
    path("", include("web.accounts.urls")),
    path("", include("web.profiles.urls")),
    path("", include("web.network.urls")),
    path("", include("web.tokens.urls")),
    path("", include("web.feed.urls")),  # issue 12
    path("language/", i18n.set_language, name="set_language"),  # the footer's language switch
]

if not settings.DEBUG:
    # In DEBUG config/urls serves MEDIA itself; otherwise only avatars, safely, from here.
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve_media, name="media")
    )
