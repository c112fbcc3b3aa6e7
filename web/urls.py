from django.conf import settings
from django.urls import include, path

from web import i18n, media

urlpatterns = [
    path("", include("web.accounts.urls")),
    path("", include("web.profiles.urls")),
    path("", include("web.network.urls")),
    path("", include("web.tokens.urls")),
    path("", include("web.feed.urls")),  # issue 12
    path("", include("web.messaging.urls")),  # issue 13
    # P1: posts' images only through the door, whatever DEBUG says; MEDIA_URL serves avatars
    path("images/<int:media_id>/<str:size>/", media.post_image, name="post_image"),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve_media, name="media"),
    path("", include("web.search.urls")),  # issue 14
    path("", include("web.portability.urls")),  # issue 17
    path("", include("web.pages.urls")),  # issue 16
    path("language/", i18n.set_language, name="set_language"),  # the footer's language switch
]
