from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("", include("web.urls")),
]
# MEDIA is served by web.media in DEBUG too: avatars, and posts' images through the door
# (Django's static() would serve a `connections` post's image to anyone).
