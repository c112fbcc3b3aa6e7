"""Mastodon's account endpoints: sign-up with an app token, your own account, lookups.

Sign-up and profile and settings writes go through membership.services (the web's pages
call the same ones); this module only translates.
"""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from accounts import queries as accounts_queries
from accounts import services as accounts_services
from api import pages as pages_api
from api.auth import app_auth, member_auth, optional_auth, require_scope, viewer
from api.payload import as_bool, payload
from api.schemas.accounts import (
    Account,
    CredentialAccount,
    account_entity,
    credential_account_entity,
)
from core.errors import Forbidden, Invalid, Refused
from membership import services as membership
from oauth.services import issue_token
from pages import queries as pages_queries
from profiles import services as profile_services

router = Router(tags=["accounts"])

APP_TOKEN_REQUIRED = _("This method requires an client credentials-authenticated token")
NOT_FOUND = _("Record not found")

PROFILE_FIELDS = {
    "display_name": "display_name",
    "note": "about",
    "headline": "headline",
    "location": "location",
    "industry": "industry",
}
CHOICE_SETTINGS = tuple(profile_services.CHOICE_SETTINGS)
# S6 and S7; refuse_inmail (M3) joins them with messaging.
BOOLEAN_SETTINGS = (
    "open_profile",
    "share_profile_updates",
    "share_network_updates",
    "refuse_inmail",  # M3
    "discoverable",  # G3: false keeps the member out of every page's alumni facets
)


class TokenOut(Schema):
    access_token: str
    token_type: str
    scope: str
    created_at: int


class ValidationFailed(Schema):
    error: str
    details: dict


REGISTRATION_FORM = {
    "requestBody": {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["username", "email", "password", "agreement"],
                    "properties": {
                        "username": {"type": "string"},
                        "email": {"type": "string"},
                        "password": {"type": "string"},
                        "agreement": {"type": "boolean"},
                        "locale": {"type": "string"},
                        "reason": {"type": "string"},
                        "display_name": {"type": "string"},
                    },
                }
            }
        },
        "required": True,
    }
}

_text = {"type": "string"}
_bool = {"type": "boolean"}
UPDATE_FORM = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "display_name": _text,
                        "note": {"type": "string", "description": "The About section"},
                        "avatar": {"type": "string", "format": "binary"},
                        "headline": _text,
                        "location": _text,
                        "industry": _text,
                        "locked": {
                            "type": "boolean",
                            "description": "true sets followers_allowed=connections",
                        },
                        "primary_action": {"enum": ["connect", "follow"]},
                        "followers_allowed": {"enum": ["everyone", "connections"]},
                        "invitations_from": {"enum": ["everyone", "email"]},
                        "connections_visible_to": {"enum": ["connections", "only_me"]},
                        "open_profile": _bool,
                        "share_profile_updates": _bool,
                        "share_network_updates": _bool,
                        "refuse_inmail": _bool,
                        "discoverable": _bool,
                    },
                }
            }
        }
    }
}


class RegistrationRefused(Invalid):
    """A 422 with Mastodon's per-field `details`, which sign-up forms in clients display."""

    def __init__(self, field: str, code: str, description: str, rule: str | None = None):
        label = field.replace("_", " ").capitalize()
        super().__init__(f"Validation failed: {label} {description}", rule=rule)
        self.details = {field: [{"error": code, "description": description}]}


def _failed(field: str, code: str, description: str, rule: str | None = None):
    return RegistrationRefused(field, code, description, rule=rule)


def _registration_refusal(exc: Refused) -> Refused:
    """Mastodon clients show `details` per field; map the sign-up service's refusals onto them."""
    message, rule = exc.message, exc.rule
    if message == accounts_services.HANDLE_TAKEN:
        return _failed("username", "ERR_TAKEN", "is taken", rule)
    if message == accounts_services.EMAIL_TAKEN:
        return _failed("email", "ERR_TAKEN", "is already used by another account", rule)
    if message == accounts_services.NAME_HAS_HIDDEN_CHARACTERS:
        return _failed("display_name", "ERR_INVALID", message.removeprefix("A name "), rule)
    field, sep, rest = message.partition(": ")
    if sep and field in ("username", "email", "display_name"):
        return _failed(field, "ERR_INVALID", rest, rule)
    if exc.status == 409:
        return _failed("username", "ERR_TAKEN", message, rule)
    return _failed("password", "ERR_INVALID", message, rule)


@router.post(
    "",
    auth=app_auth,
    response={200: TokenOut, 422: ValidationFailed},
    openapi_extra=REGISTRATION_FORM,
    summary="Sign up (with an app token from client_credentials)",
)
def register(request):
    require_scope(request, "write:accounts")
    if viewer(request) is not None:
        raise Forbidden(APP_TOKEN_REQUIRED)
    data, _ = payload(request)
    username = str(data.get("username") or "").strip()
    email = str(data.get("email") or "").strip()
    password = str(data.get("password") or "")
    for field, value in (("username", username), ("email", email), ("password", password)):
        if not value:
            raise _failed(field, "ERR_BLANK", "can't be blank")
    if not as_bool("agreement", data.get("agreement", False)):
        raise _failed("agreement", "ERR_ACCEPTED", "must be accepted")
    try:
        member = membership.sign_up(
            handle=username,
            email=email,
            password=password,
            display_name=str(data.get("display_name") or ""),
            base_url=request.build_absolute_uri("/"),
        )
    except Refused as exc:
        raise _registration_refusal(exc) from exc
    application = request.oauth_token.application
    token, raw = issue_token(
        application=application, member=member, scopes=request.oauth_token.scope.split()
    )
    return {
        "access_token": raw,
        "token_type": "Bearer",
        "scope": token.scope,
        "created_at": int(token.created.timestamp()),
    }


@router.get(
    "/verify_credentials",
    auth=member_auth,
    response=CredentialAccount,
    summary="Your own account, with its source",
)
def verify_credentials(request):
    require_scope(request, "read:accounts", "profile")
    return credential_account_entity(request.auth)


@router.patch(
    "/update_credentials",
    auth=member_auth,
    response=CredentialAccount,
    openapi_extra=UPDATE_FORM,
    summary="Change your profile and settings (S1–S7)",
)
def update_credentials(request):
    """Everything or nothing: one refused value leaves the whole profile as it was."""
    require_scope(request, "write:accounts")
    member = request.auth
    data, files = payload(request)
    fields = {
        target: str(data[name] if data[name] is not None else "")
        for name, target in PROFILE_FIELDS.items()
        if name in data
    }
    chosen = {name: str(data[name]) for name in CHOICE_SETTINGS if name in data}
    if "locked" in data and "followers_allowed" not in chosen:
        locked = as_bool("locked", data["locked"])
        chosen["followers_allowed"] = "connections" if locked else "everyone"
    for name in BOOLEAN_SETTINGS:
        if name in data:
            chosen[name] = as_bool(name, data[name])
    # Mastodon's source[language] (a form field, or {"source": {"language": ..}} in JSON)
    # is the member's interface language here; "" follows the browser again.
    source = data.get("source") if isinstance(data.get("source"), dict) else {}
    if "source[language]" in data or "language" in source:
        chosen["language"] = str(data.get("source[language]", source.get("language")) or "")
    membership.update_profile_and_settings(
        member=member, fields=fields, settings=chosen, avatar=files.get("avatar")
    )
    return credential_account_entity(member)


@router.get(
    "/lookup",
    auth=optional_auth,
    response=Account,
    summary="Find an account by its handle (acct)",
)
def lookup(request, acct: str):
    """S1, B1: the public card without a member's token; 404 across a block."""
    handle = acct.strip().lstrip("@")
    local, _, domain = handle.partition("@")
    if domain and domain.lower() not in (request.get_host().lower(), _site_domain()):
        raise Http404(NOT_FOUND)
    return account_entity(accounts_queries.id_with_handle(local), viewer=viewer(request))


@router.get(
    "/{int:account_id}",
    auth=optional_auth,
    response=Account,
    summary="An account by id",
)
def get_account(request, account_id: int):
    """S1, B1: the public card without a member's token; 404 across a block. A page's
    account id answers the page as an account (docs/pages.md)."""
    if pages_queries.is_page_account(account_id):
        return pages_api.account(account_id)
    return account_entity(account_id, viewer=viewer(request))


def _site_domain() -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).netloc.lower()
