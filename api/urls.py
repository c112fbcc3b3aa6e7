"""OAuth at /oauth/ with Mastodon's paths (no trailing slash), the API at /api/."""

from django.urls import include, path, re_path

from api.api import api, unknown_endpoint
from api.oauth import views as oauth

oauth_patterns = [
    re_path(r"^authorize/?$", oauth.AuthorizeView.as_view(), name="authorize"),
    re_path(r"^token/?$", oauth.TokenView.as_view(), name="token"),
    re_path(r"^revoke/?$", oauth.RevokeView.as_view(), name="revoke-token"),
]

urlpatterns = [
    path(".well-known/oauth-authorization-server", oauth.server_metadata, name="oauth-metadata"),
    path("oauth/", include((oauth_patterns, "oauth2_provider"))),
    path("api/", api.urls),
    re_path(r"^api/", unknown_endpoint),
]
