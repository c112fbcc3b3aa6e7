from django.conf import settings
from django.urls import include, path

from web import media

urlpatterns = [
    path("", include("web.accounts.urls")),
    path("", include("web.profiles.urls")),
    path("", include("web.network.urls")),
    path("", include("web.tokens.urls")),
    path("", include("web.feed.urls")),  # issue 12
    path("", include("web.messaging.urls")),  # issue 13
]

if not settings.DEBUG:
    # In DEBUG config/urls serves MEDIA itself; otherwise only avatars, safely, from here.
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve_media, name="media")
    )
