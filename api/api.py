"""The Mastodon-compatible API: one NinjaAPI, a router per context, refusals as 4xx JSON."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from api.auth import TOKEN_INVALID
from core.errors import Refused

# Mastodon's own wording, in the request's language like every other error here.
RECORD_NOT_FOUND = gettext_lazy("Record not found")

api = NinjaAPI(
    title="Linkwell API",
    version="0.1.0",
    description="Mastodon client API plus Linkwell's extensions for connections and degrees.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(Refused)
def refused(request, exc: Refused):
    body = {"error": str(exc.message)}  # a lazy message speaks the request's language now
    if exc.rule:
        body["rule"] = exc.rule
    if exc.until is not None:
        body["until"] = exc.until.isoformat()
    details = getattr(exc, "details", None)
    if details:
        body["details"] = details
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"error": str(RECORD_NOT_FOUND)}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"error": str(TOKEN_INVALID)}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    details = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or 'body'}: {e.get('msg')}"
        for e in exc.errors
    )
    return api.create_response(
        request, {"error": _("Validation failed: {details}").format(details=details)}, status=422
    )


@csrf_exempt
def unknown_endpoint(request, *args, **kwargs):
    """Any /api/ path no router matches, on any method: a JSON 404, never the CSRF page."""
    return JsonResponse({"error": str(RECORD_NOT_FOUND)}, status=404)


def register_routers() -> None:
    """Routers are added here, one per context, so import order never matters."""
    from api import routers

    for prefix, router in routers.ALL:
        api.add_router(prefix, router)


register_routers()
