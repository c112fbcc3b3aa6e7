from django.contrib import admin
from django.urls import include, path

# PostgreSQL unreachable: a clean 503 (JSON under /api/), else Django's 500 page (web/errors.py).
handler500 = "web.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("", include("web.urls")),
]
# MEDIA is served by web.media in DEBUG too: avatars, and posts' images through the door
# (Django's static() would serve a `connections` post's image to anyone).
