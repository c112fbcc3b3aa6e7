"""POST /api/v1/apps and GET /api/v1/apps/verify_credentials (Mastodon's Application)."""

from ninja import Router, Schema
from oauth2_provider.models import Application

from api.auth import app_auth
from api.payload import as_list, payload
from oauth import scopes as scope_rules
from oauth.services import register_app

router = Router(tags=["apps"])


class ApplicationOut(Schema):
    id: str
    name: str
    website: str | None
    scopes: list[str]
    redirect_uri: str
    redirect_uris: list[str]
    vapid_key: str


class CredentialApplication(ApplicationOut):
    client_id: str
    client_secret: str
    client_secret_expires_at: int


APP_FORM = {
    "requestBody": {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["client_name", "redirect_uris"],
                    "properties": {
                        "client_name": {"type": "string"},
                        "redirect_uris": {
                            "description": "One URI, several separated by newlines, or a list",
                            "oneOf": [
                                {"type": "string"},
                                {"type": "array", "items": {"type": "string"}},
                            ],
                        },
                        "scopes": {"type": "string", "default": "read"},
                        "website": {"type": "string"},
                    },
                }
            }
        },
        "required": True,
    }
}


def application_entity(application: Application) -> dict:
    registration = getattr(application, "registration", None)
    uris = application.redirect_uris.split()
    return {
        "id": str(application.pk),
        "name": application.name,
        "website": (registration.website or None) if registration else None,
        "scopes": scope_rules.parse(registration.scopes) if registration else ["read"],
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "vapid_key": "",
    }


@router.post(
    "", response=CredentialApplication, openapi_extra=APP_FORM, summary="Register a client app"
)
def create_app(request):
    """Form or JSON; the client_secret is shown here once and stored hashed."""
    data, _ = payload(request)
    uris: list[str] = []
    for value in as_list(data.get("redirect_uris")):
        uris.extend(value.split())
    application, secret = register_app(
        name=str(data.get("client_name") or ""),
        redirect_uris=uris,
        scopes=scope_rules.parse(" ".join(as_list(data.get("scopes")))),
        website=str(data.get("website") or ""),
    )
    return {
        **application_entity(application),
        "client_id": application.client_id,
        "client_secret": secret,
        "client_secret_expires_at": 0,
    }


@router.get(
    "/verify_credentials",
    auth=app_auth,
    response=ApplicationOut,
    summary="The app behind this token",
)
def verify_app_credentials(request):
    return application_entity(request.oauth_token.application)
