"""Home, sign-up, confirmation, sign-in and out, password and deletion pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import services, throttle
from core.errors import Forbidden, RateLimited, Refused
from membership import services as membership
from profiles.queries import language_of
from web.accounts.forms import (
    DeleteAccountForm,
    ResendConfirmationForm,
    SignInForm,
    SignUpForm,
)
from web.redirects import same_site_next

CHECK_YOUR_EMAIL = _("We sent a confirmation link to {email}. Open it within 3 days to sign in.")
LINK_SENT_AGAIN = _("If an unconfirmed account matches, we sent it a new confirmation link.")
WELCOME = _("Welcome to Linkwell, {name}!")
CONFIRMED = _("Your e-mail address is confirmed. Welcome to Linkwell!")
SIGNED_OUT = _("You are signed out.")
PASSWORD_CHANGED = _("Your password was changed.")
ACCOUNT_DELETED = _("Your account and everything in it were deleted.")
FIRST_VISIT = "linkwell:first-visit"  # session key: this sign-in is the member's first ever


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _sign_in(request, member, **kwargs) -> None:
    """Django stamps `last_login` at every sign-in, so a first visit is read before it does;
    the mark lasts the session, and home greets a newcomer as one, not "welcome back"."""
    first_visit = member.last_login is None
    login(request, member, **kwargs)
    if first_visit:
        request.session[FIRST_VISIT] = True


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = membership.sign_up(
                handle=data["handle"],
                email=data["email"],
                password=data["password"],
                display_name=data["display_name"],
                base_url=_base_url(request),
            )
        except Refused as exc:
            field = {
                services.HANDLE_TAKEN: "handle",
                services.EMAIL_TAKEN: "email",
                services.NAME_HAS_HIDDEN_CHARACTERS: "display_name",
            }.get(exc.message)
            form.add_error(field, exc.message)
        else:
            if not settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION:
                _sign_in(request, member, backend="accounts.backends.MemberBackend")
                messages.success(request, WELCOME.format(name=member.name))
                return redirect("home")
            return render(request, "web/accounts/check_email.html", {"email": member.email})
    return render(request, "web/accounts/signup.html", {"form": form}, status=_status(form))


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def signin(request):
    next_url = same_site_next(request)
    form = SignInForm(request.POST or None, initial={"identifier": request.GET.get("identifier")})
    unconfirmed = None
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            member = services.authenticate_member(
                request=request,
                identifier=form.cleaned_data["identifier"],
                password=form.cleaned_data["password"],
            )
        except Forbidden as exc:
            form.add_error(None, exc.message)
            unconfirmed = ResendConfirmationForm(
                initial={"identifier": form.cleaned_data["identifier"]}
            )
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            _sign_in(request, member)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "next": next_url, "resend_form": unconfirmed}
    return render(request, "web/accounts/login.html", context, status=status or _status(form))


@require_POST
def signout(request):
    logout(request)
    messages.info(request, SIGNED_OUT)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def confirm(request, token: str):
    try:
        member = services.confirm_email(token=token)
    except Refused as exc:
        context = {"error": exc.message, "resend_form": ResendConfirmationForm()}
        return render(request, "web/accounts/confirm_failed.html", context, status=400)
    messages.success(request, CONFIRMED)
    if request.user.is_authenticated and request.user.pk == member.pk:
        return redirect("home")
    return redirect(f"{reverse_lazy('login')}?identifier={member.username}")


def resend_confirmation(request):
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.resend_confirmation(
            identifier=form.cleaned_data["identifier"], base_url=_base_url(request)
        )
        messages.info(request, LINK_SENT_AGAIN)
        return redirect("login")
    return render(request, "web/accounts/resend.html", {"form": form}, status=_status(form))


class MemberLanguageResetForm(PasswordResetForm):
    """The reset mail speaks the member's chosen language, else the asking browser's."""

    def send_mail(self, subject_template, email_template, context, *args, **kwargs):
        member = context.get("user")
        chosen = language_of(member) if member is not None else ""
        with translation.override(chosen or translation.get_language()):
            super().send_mail(subject_template, email_template, context, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Past the per-address or per-IP limit (U3) no mail goes, and the page says the same."""

    form_class = MemberLanguageResetForm

    def form_valid(self, form):
        if services.admit_password_reset(
            email=form.cleaned_data["email"], ip=throttle.client_ip(self.request)
        ):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/accounts/password_change.html"
    success_url = reverse_lazy("settings")

    def form_valid(self, form):
        messages.success(self.request, PASSWORD_CHANGED)
        return super().form_valid(form)


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership.delete_member(member=request.user, password=form.cleaned_data["password"])
        except Refused as refusal:
            form.add_error("password", refusal.message)
        else:
            logout(request)
            messages.info(request, ACCOUNT_DELETED)
            return redirect("home")
    return render(request, "web/accounts/delete.html", {"form": form}, status=_status(form))
