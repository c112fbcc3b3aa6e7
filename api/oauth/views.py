"""The OAuth 2 endpoints Mastodon clients call, on django-oauth-toolkit's views."""

import json
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from oauth2_provider import views as dot
from oauth2_provider.http import OAuth2ResponseRedirect

from core import clock
from oauth import scopes as scope_rules
from oauth.services import OOB, redirect_schemes

PASSWORD_GRANT_OFF = _(
    "The password grant is turned off on this server; use the authorization code flow. "
    "An operator can turn it on with the setting LINKWELL_ENABLE_PASSWORD_GRANT=on."
)


def redirect_source(redirect_uri: str | None) -> str | None:
    """The CSP source for a client's redirect: its origin (http/https), else its scheme."""
    if not redirect_uri or redirect_uri.startswith(OOB):
        return None
    parts = urlsplit(redirect_uri)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return f"{parts.scheme}:" if parts.scheme else None


class AuthorizeView(dot.AuthorizationView):
    """The consent page, in the site's layout; out-of-band clients get the code on a page.

    A native app's own scheme (`com.example.app:/cb`) is followed when the app registered it;
    the toolkit alone would allow only http, https and urn.
    """

    template_name = "api/oauth/authorize.html"

    def render_to_response(self, context, **response_kwargs):
        """Allow/Deny POST here and are answered with a redirect to the client: the page's
        CSP form-action must name that origin too, or the browser stops the redirect."""
        response = super().render_to_response(context, **response_kwargs)
        application, redirect_uri = context.get("application"), context.get("redirect_uri")
        source = redirect_source(redirect_uri)
        if source and application is not None and application.redirect_uri_allowed(redirect_uri):
            response._csp_update = {"form-action": [source]}
        return response

    def redirect(self, redirect_to, application):
        if redirect_to.startswith(OOB):
            query = parse_qs(urlsplit(redirect_to).query)
            return render(
                self.request,
                "api/oauth/code.html",
                {
                    "application": application,
                    "code": query.get("code", [""])[0],
                    "error": query.get("error", [""])[0],
                },
            )
        if application is not None:
            return OAuth2ResponseRedirect(redirect_to, redirect_schemes(application))
        return super().redirect(redirect_to, application)


def _json_body_as_form(request) -> None:
    """Many Mastodon clients post JSON to /oauth/token; the toolkit reads only forms."""
    if request.content_type != "application/json":
        return
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = {}
    form = QueryDict(mutable=True)
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, list):
                value = " ".join(str(item) for item in value)
            form[key] = "" if value is None else str(value)
    request._post = form
    request._files = MultiValueDict()


class TokenView(dot.TokenView):
    """Adds Mastodon's `created_at`; the password grant answers why it is refused."""

    def post(self, request, *args, **kwargs):
        _json_body_as_form(request)
        if (
            request.POST.get("grant_type") == "password"
            and not settings.LINKWELL_ENABLE_PASSWORD_GRANT
        ):
            return JsonResponse(
                {"error": "unsupported_grant_type", "error_description": PASSWORD_GRANT_OFF},
                status=400,
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            body = json.loads(response.content)
            body["created_at"] = int(clock.now().timestamp())
            response.content = json.dumps(body).encode()
        return response


class RevokeView(dot.RevokeTokenView):
    """Mastodon answers a revocation with an empty JSON object."""

    def post(self, request, *args, **kwargs):
        _json_body_as_form(request)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            return JsonResponse({})
        return response


def server_metadata(request):
    """RFC 8414, with the fields Mastodon 4.3 serves; clients read the endpoints from here."""
    base = request.build_absolute_uri("/").rstrip("/")
    grants = ["authorization_code", "client_credentials"]
    if settings.LINKWELL_ENABLE_PASSWORD_GRANT:
        grants.append("password")
    return JsonResponse(
        {
            "issuer": f"{base}/",
            "service_documentation": f"{base}/api/docs",
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "app_registration_endpoint": f"{base}/api/v1/apps",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "scopes_supported": list(scope_rules.ALL_SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": grants,
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
            ],
        }
    )
