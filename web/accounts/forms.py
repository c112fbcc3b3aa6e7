"""Sign-up, sign-in and account forms: input shape only; rules live in accounts.services."""

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import HANDLE_RULE, User


class SignUpForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=100)
    handle = forms.RegexField(
        label=_("Handle"),
        regex=r"^[A-Za-z0-9_]{3,30}$",
        max_length=30,
        help_text=format_lazy("{} {}", HANDLE_RULE, _("Your profile will be at /in/your_handle/.")),
        error_messages={"invalid": HANDLE_RULE},
    )
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_validators_help_text_html, str)(),  # in the request's language
    )

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password:
            candidate = User(
                username=data.get("handle", ""),
                email=data.get("email", ""),
                display_name=data.get("display_name", ""),
            )
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class SignInForm(forms.Form):
    identifier = forms.CharField(
        label=_("Handle or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ResendConfirmationForm(forms.Form):
    identifier = forms.CharField(label=_("Handle or e-mail address"), max_length=254)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my profile, connections, posts and messages are deleted for good."
        ),
    )
