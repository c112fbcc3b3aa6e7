"""django-oauth-toolkit's validator, taught Mastodon's habits.

A Mastodon app may use the code flow, client credentials and refresh tokens whatever
grant type the toolkit stored; the password grant only where the operator turned it on, and
then behind the same sign-in throttle as every other door (U3, accounts.throttle).
An authorization code presented a second time revokes what it bought (RFC 6749 §4.1.2).
"""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from accounts import throttle
from oauth import services

ALWAYS_ALLOWED_GRANTS = {"authorization_code", "client_credentials", "refresh_token"}


class SignInThrottled(OAuth2Error):
    """The password grant refused by the sign-in throttle (U3): 429, the sentence, the rule.

    `invalid_grant` is the code RFC 6749 has for refused credentials; the status says why.
    """

    error = "invalid_grant"
    status_code = 429

    def __init__(self, refusal, **kwargs):
        super().__init__(description=refusal.message, **kwargs)

    @property
    def twotuples(self):
        return [*super().twotuples, ("rule", "U3")]


class MastodonValidator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        if grant_type == "password":
            return bool(settings.LINKWELL_ENABLE_PASSWORD_GRANT)
        return grant_type in ALWAYS_ALLOWED_GRANTS

    def build_http_request(self, request):
        """Kept on the oauthlib request, so validate_user can read the throttle's refusal."""
        request.sign_in_request = super().build_http_request(request)
        return request.sign_in_request

    def validate_user(self, username, password, client, request, *args, **kwargs):
        if super().validate_user(username, password, client, request, *args, **kwargs):
            return True
        refusal = throttle.take_refusal(getattr(request, "sign_in_request", None))
        if refusal is not None:
            raise SignInThrottled(refusal, request=request)
        return False

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        return response_type == "code"

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return True
        services.revoke_tokens_from_code(code=code, application=client)
        return False

    def _save_bearer_token(self, token, request, *args, **kwargs):
        super()._save_bearer_token(token, request, *args, **kwargs)
        if request.grant_type == "authorization_code" and request.code:
            services.record_redeemed_code(
                code=request.code, application=request.client, access_token=token["access_token"]
            )
