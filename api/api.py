"""The Mastodon-compatible API: one NinjaAPI, a router per context, refusals as 4xx JSON."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from api.auth import TOKEN_INVALID
from api.schemas.errors import Error
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


# What any operation may answer besides its own, whatever it does: the edge's refusals (400,
# 413), the token's (401) and the scope's (403), an unknown id or member (404), a body or
# query that doesn't validate (422). An operation declares its own others in its decorator
# (`response={200: X, 409: Error}`); tests/security/test_schemathesis.py fails on any status
# an operation gives that the document doesn't declare for it.
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def declared_errors(operation) -> set[int]:
    """The 4xx answers an operation can give by its shape alone."""
    codes = {400}
    writes = bool(WRITES & set(operation.methods))
    if operation.auth_callbacks:
        codes |= {401, 403}  # a bad token; a token without the scope, or unconfirmed (U2)
    if any(getattr(auth, "member_required", False) for auth in operation.auth_callbacks):
        codes.add(422)  # an app token where a member's is needed (Mastodon's answer)
    if writes or operation.signature.params:
        codes |= {404, 422}
    if writes:
        codes.add(413)
    return codes


def declare_errors() -> None:
    """Write each operation's 4xx answers into its responses, as the Error entity, and mark
    a token optional where the operation takes anonymous callers (ninja would say required)."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                model = operation._create_response_model(Error)
                for code in declared_errors(operation):
                    operation.response_models.setdefault(code, model)
                auths = operation.auth_callbacks
                if auths and all(getattr(a, "anonymous_allowed", False) for a in auths):
                    extra = dict(operation.openapi_extra or {})
                    extra.setdefault("security", [{}])  # ninja adds the scheme itself
                    operation.openapi_extra = extra


register_routers()
declare_errors()
