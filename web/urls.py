from django.urls import include, path

urlpatterns = [
    path("", include("web.accounts.urls")),
    path("", include("web.profiles.urls")),
]
