"""Personal access tokens (a bearer token for scripts, made here) and the apps the member
authorised through OAuth, each revocable (U5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import Refused
from oauth import queries, services
from oauth.scopes import UMBRELLAS

CHOICES = [(name, UMBRELLAS[name]) for name in ("read", "write", "follow", "push")]
REVOKED = _("The token was revoked; programs using it can no longer sign in.")
APP_REVOKED = _("The app's access was revoked; it can no longer use your account.")


@login_required
def tokens_page(request):
    """The new token is shown once, in this response only; it is not kept in plain sight."""
    context = {"choices": CHOICES, "checked": {"read"}, "new_token": None, "error": None}
    if request.method == "POST":
        chosen = [name for name in request.POST.getlist("scopes") if name in UMBRELLAS]
        context["checked"] = set(chosen)
        try:
            _, raw = services.create_personal_token(member=request.user, scopes=chosen)
        except Refused as exc:
            context["error"] = exc.message
        else:
            context["new_token"] = raw
    context["tokens"] = [
        {"id": token.pk, "scopes": token.scope.split(), "created": token.created}
        for token in queries.personal_tokens(request.user)
    ]
    context["apps"] = queries.authorised_apps(request.user)
    status = 422 if context["error"] else 200
    return render(request, "web/tokens/page.html", context, status=status)


@login_required
@require_POST
def revoke(request, token_id: int):
    try:
        services.revoke_personal_token(member=request.user, token_id=token_id)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, REVOKED)
    return redirect("tokens")


@login_required
@require_POST
def revoke_app(request, application_id: int):
    """Said the same way when there was nothing left to revoke: a second click is no error."""
    services.revoke_app(member=request.user, application_id=application_id)
    messages.success(request, APP_REVOKED)
    return redirect("tokens")
