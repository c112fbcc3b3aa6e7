"""Who is calling the API: OAuth bearer tokens (personal access tokens are the same kind).

Interface for every router:
    member_auth    `auth=member_auth`: a member's token is required; `request.auth` is the member.
    app_auth       any valid token, also an app-only one (client_credentials);
                   `request.auth` is the member, or AnonymousUser for an app-only token.
    optional_auth  no token is fine (`request.auth` is AnonymousUser); a token sent must be valid.
    require_scope(request, "read:accounts", ...)  403 unless the token grants one of them;
                   an umbrella grants its parts ("read" grants "read:accounts").
    viewer(request)  the member behind the request, or None (anonymous or app-only).
    `request.oauth_token` is the AccessToken, or None when anonymous.

ninja treats a falsy answer as "not authenticated", so anonymous and app-only callers are
AnonymousUser rather than None; `viewer(request)` gives the None.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from accounts.models import User
from core.errors import Forbidden, Invalid
from core.i18n import use_language
from oauth import scopes as scope_rules
from oauth.queries import bearer_token

TOKEN_INVALID = _("The access token is invalid")
OUTSIDE_SCOPES = _("This action is outside the authorized scopes")
MEMBER_REQUIRED = _("This method requires an authenticated user")
EMAIL_NOT_CONFIRMED = _("Your login is missing a confirmed e-mail address")


class BearerToken(HttpBearer):
    """One class for all three modes, so the OpenAPI document shows one security scheme."""

    def __init__(self, *, member_required: bool, anonymous_allowed: bool):
        super().__init__()
        self.member_required = member_required
        self.anonymous_allowed = anonymous_allowed

    def __call__(self, request):
        request.oauth_token = None
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        if not header:
            if self.anonymous_allowed:
                return AnonymousUser()
            raise AuthenticationError()
        if scheme.lower() != "bearer" or not raw.strip():
            raise AuthenticationError()
        return self.authenticate(request, raw.strip())

    def authenticate(self, request, token):
        access = bearer_token(token)
        if access is None:
            raise AuthenticationError()
        request.oauth_token = access
        member = access.user
        if member is None:
            if self.member_required:
                raise Invalid(MEMBER_REQUIRED)
            return AnonymousUser()
        # The token owner's language (read with the token), else the Accept-Language
        # LocaleMiddleware chose.
        use_language(request, member.interface_language)
        if settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION and not member.email_confirmed:
            raise Forbidden(EMAIL_NOT_CONFIRMED, rule="U2")
        return member


member_auth = BearerToken(member_required=True, anonymous_allowed=False)
app_auth = BearerToken(member_required=False, anonymous_allowed=False)
optional_auth = BearerToken(member_required=False, anonymous_allowed=True)


def require_scope(request, *wanted: str) -> None:
    """Call first thing in a view; any one of `wanted` is enough."""
    token = getattr(request, "oauth_token", None)
    if token is None:
        raise AuthenticationError()
    granted = scope_rules.covered(scope_rules.parse(token.scope))
    if not any(scope in granted for scope in wanted):
        raise Forbidden(OUTSIDE_SCOPES)


def viewer(request) -> User | None:
    member = getattr(request, "auth", None)
    if member is None or not member.is_authenticated:
        return None
    return member
