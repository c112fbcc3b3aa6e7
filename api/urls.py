from django.urls import include, path

from api.api import api

urlpatterns = [
    path("oauth/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("api/", api.urls),
]
