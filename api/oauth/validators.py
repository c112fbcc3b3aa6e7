"""django-oauth-toolkit's validator, taught Mastodon's habits.

A Mastodon app may use the code flow, client credentials and refresh tokens whatever
grant type the toolkit stored; the password grant only where the operator turned it on.
"""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator

ALWAYS_ALLOWED_GRANTS = {"authorization_code", "client_credentials", "refresh_token"}


class MastodonValidator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        if grant_type == "password":
            return bool(settings.LINKWELL_ENABLE_PASSWORD_GRANT)
        return grant_type in ALWAYS_ALLOWED_GRANTS

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        return response_type == "code"
