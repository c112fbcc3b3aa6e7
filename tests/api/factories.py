"""Apps and tokens for API tests, made through the same services the endpoints use."""

from oauth.services import create_personal_token, issue_token, register_app

REDIRECT = "https://client.example/callback"


def make_app(*, scopes=("read", "write", "follow", "push"), redirect=REDIRECT, name="Test client"):
    """(application, plain client_secret)."""
    return register_app(name=name, redirect_uris=[redirect], scopes=list(scopes))


def member_token(member, scopes=("read", "write", "follow")) -> str:
    application, _ = make_app()
    _, raw = issue_token(application=application, member=member, scopes=list(scopes))
    return raw


def personal_token(member, scopes=("read",)) -> str:
    _, raw = create_personal_token(member=member, scopes=list(scopes))
    return raw


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
