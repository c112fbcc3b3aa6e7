"""django-oauth-toolkit's validator, taught Mastodon's habits.

A Mastodon app may use the code flow, client credentials and refresh tokens whatever
grant type the toolkit stored; the password grant only where the operator turned it on.
An authorization code presented a second time revokes what it bought (RFC 6749 §4.1.2).
"""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator

from api.oauth import services

ALWAYS_ALLOWED_GRANTS = {"authorization_code", "client_credentials", "refresh_token"}


class MastodonValidator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        if grant_type == "password":
            return bool(settings.LINKWELL_ENABLE_PASSWORD_GRANT)
        return grant_type in ALWAYS_ALLOWED_GRANTS

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
