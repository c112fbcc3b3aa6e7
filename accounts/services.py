"""Writes about members: sign-up, confirmation and deletion, one transaction each."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from core.errors import Conflict, Invalid
from profiles.models import Profile

HANDLE_TAKEN = "That handle is taken."
EMAIL_TAKEN = "An account with that e-mail address already exists."


@transaction.atomic
def create_member(
    *,
    handle: str,
    email: str,
    password: str | None,
    display_name: str = "",
    email_confirmed: bool = False,
    validate: bool = True,
) -> User:
    """A member and their empty profile; refuses taken handles and e-mails case-insensitively."""
    member = User(
        username=handle,
        email=email.strip(),
        display_name=display_name.strip() or handle,
        email_confirmed=email_confirmed,
    )
    if validate:
        try:
            member.full_clean(
                exclude=["password"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            raise Invalid(_first_message(exc)) from exc
        if User.objects.filter(username__iexact=handle).exists():
            raise Conflict(HANDLE_TAKEN)
        if User.objects.filter(email__iexact=member.email).exists():
            raise Conflict(EMAIL_TAKEN)
        if password is not None:
            try:
                validate_password(password, member)
            except ValidationError as exc:
                raise Invalid(" ".join(exc.messages)) from exc
    if password is None:
        member.set_unusable_password()
    else:
        member.set_password(password)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent sign-up took the handle or e-mail
        raise Conflict(f"{HANDLE_TAKEN} Or: {EMAIL_TAKEN}") from exc
    Profile.objects.create(member=member)
    return member


def _first_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return f"{field}: {messages[0]}"
    return exc.messages[0]
