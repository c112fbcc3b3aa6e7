"""Writes about accounts: the account row, confirmation, sign-in, password-reset limits.

A member is an account and a profile: joining and leaving span areas, so they are
`membership.services.sign_up` and `membership.services.delete_member`, which call these.
"""

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.signing import BadSignature, TimestampSigner
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import throttle
from accounts.models import PasswordResetRequest, User, email_is
from accounts.queries import by_identifier, with_email, with_handle
from accounts.throttle import TOO_MANY_FOR_ACCOUNT, TOO_MANY_FROM_IP  # noqa: F401 - the rule's words
from core import clock
from core.errors import Conflict, Forbidden, Invalid, Refused

HANDLE_TAKEN = _("That handle is taken.")
EMAIL_TAKEN = _("An account with that e-mail address already exists.")
HANDLE_OR_EMAIL_TAKEN = _("{handle} Or: {email}")
NAME_HAS_HIDDEN_CHARACTERS = _(
    "A name can't contain control characters, invisible (zero-width) characters or "
    "text-direction overrides; type it as it should read."
)
# U1: what would let a name hide text or read differently from what it holds: control
# characters (NUL included), bidi embeddings, overrides, isolates and marks (U+202A-202E,
# U+2066-2069, U+200E/F, U+061C), zero-width characters (U+200B-200F, U+2060-2064, U+FEFF),
# line and paragraph separators, interlinear annotations, and lone surrogates.
HIDDEN_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def check_shown_name(name: str) -> None:
    """U1: a display name shown to others reads as what it holds (both databases alike)."""
    if HIDDEN_CHARACTERS.search(name or ""):
        raise Invalid(NAME_HAS_HIDDEN_CHARACTERS, rule="U1")


@transaction.atomic
def create_account(
    *,
    handle: str,
    email: str,
    password: str | None,
    display_name: str = "",
    email_confirmed: bool = False,
    validate: bool = True,
) -> User:
    """The account row (U1); refuses taken handles and e-mails case-insensitively. Its profile
    is made beside it by `membership.services.create_member`."""
    member = User(
        username=handle,
        email=email.strip(),
        display_name=display_name.strip() or handle,
        email_confirmed=email_confirmed,
    )
    if validate:
        check_shown_name(member.display_name)
        try:
            member.full_clean(
                exclude=["password"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            raise Invalid(_first_message(exc), rule="U1") from exc
        if with_handle(handle).exists():
            raise Conflict(HANDLE_TAKEN, rule="U1")
        if with_email(member.email).exists():
            raise Conflict(EMAIL_TAKEN, rule="U1")
        if password is not None:
            try:
                validate_password(password, member)
            except ValidationError as exc:
                raise Invalid(" ".join(exc.messages), rule="U1") from exc
    if password is None:
        member.set_unusable_password()
    else:
        member.set_password(password)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent sign-up took the handle or e-mail
        taken = HANDLE_OR_EMAIL_TAKEN.format(handle=HANDLE_TAKEN, email=EMAIL_TAKEN)
        raise Conflict(taken, rule="U1") from exc
    return member


def _first_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return f"{field}: {messages[0]}"
    return exc.messages[0]


# --- E-mail confirmation ----------------------------------------------------------------

CONFIRMATION_SALT = "linkwell.accounts.confirm-email"
CONFIRMATION_MAX_AGE = timedelta(days=3)
CONFIRMATION_INVALID = _(
    "This confirmation link is not valid or has expired (links last 3 days). "
    "Ask for a new one below."
)
EMAIL_NOT_CONFIRMED = _(
    "Please confirm your e-mail address first: open the link we sent you. "
    "No e-mail? Send the link again."
)


def confirmation_token(*, member: User) -> str:
    """Signed and timestamped; bound to the address so changing it voids older links."""
    return TimestampSigner(salt=CONFIRMATION_SALT).sign_object(
        {"id": member.pk, "email": member.email.lower()}
    )


def send_confirmation(*, member: User, base_url: str) -> None:
    """The link by e-mail (console backend by default); a no-op once confirmed."""
    if member.email_confirmed:
        return
    link = f"{base_url.rstrip('/')}/confirm/{confirmation_token(member=member)}/"
    send_mail(
        subject=str(CONFIRMATION_SUBJECT),
        message=CONFIRMATION_MAIL.format(name=member.name, link=link),
        from_email=None,
        recipient_list=[member.email],
    )


# In the language of the request that asks for it: the member's browser, as they just joined.
CONFIRMATION_SUBJECT = _("Confirm your e-mail address for Linkwell")
CONFIRMATION_MAIL = _(
    "Hello {name},\n\n"
    "Open this link within 3 days to confirm your e-mail address:\n\n{link}\n\n"
    "If you did not join Linkwell, ignore this message.\n"
)

RESEND_INTERVAL_SECONDS = 60


def resend_confirmation(*, identifier: str, base_url: str) -> None:
    """At most one new link a minute per member, so the form can't flood an inbox.

    Silent either way: the answer must not reveal whether an account exists.
    """
    member = by_identifier(identifier)
    if member is None or member.email_confirmed:
        return
    if cache.add(f"linkwell:confirm-resent:{member.pk}", True, RESEND_INTERVAL_SECONDS):
        send_confirmation(member=member, base_url=base_url)


@transaction.atomic
def confirm_email(*, token: str) -> User:
    try:
        data = TimestampSigner(salt=CONFIRMATION_SALT).unsign_object(
            token, max_age=CONFIRMATION_MAX_AGE
        )
    except (BadSignature, ValueError) as exc:
        raise Invalid(CONFIRMATION_INVALID, rule="U2") from exc
    member = (
        User.objects.select_for_update()
        .filter(email_is(str(data.get("email", ""))), pk=data.get("id"))
        .first()
    )
    if member is None:
        raise Invalid(CONFIRMATION_INVALID, rule="U2")
    if not member.email_confirmed:
        member.email_confirmed = True
        member.save(update_fields=["email_confirmed"])
    return member


# --- Signing in ---------------------------------------------------------------------------

WRONG_CREDENTIALS = _("That handle or e-mail address and password do not match.")


def authenticate_member(*, request, identifier: str, password: str) -> User:
    """Who may sign in: by handle or e-mail, throttled (U3), confirmed unless the operator says not.

    The throttle lives in `authenticate()` itself (accounts.backends, accounts.throttle), so the
    admin sign-in and the OAuth password grant are held to the same limits.
    """
    request = request if request is not None else HttpRequest()
    authenticated = authenticate(request, username=identifier, password=password)
    if authenticated is None:
        refusal = throttle.take_refusal(request)
        if refusal is not None:
            raise refusal
        raise Refused(WRONG_CREDENTIALS, rule="U3")
    if settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION and not authenticated.email_confirmed:
        raise Forbidden(EMAIL_NOT_CONFIRMED, rule="U2")
    return authenticated


# --- Password-reset mails -----------------------------------------------------------------


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def admit_password_reset(*, email: str, ip: str | None) -> bool:
    """Whether a reset mail may be sent now (U3): LINKWELL_PASSWORD_RESETS_PER_ADDRESS and _PER_IP
    in the rolling LINKWELL_PASSWORD_RESET_WINDOW. The page answers the same either way, so
    the limit reveals nothing; every admitted request counts, whether or not a member has
    the address, and a refused one doesn't.
    """
    digest, now = _address_digest(email), clock.now()
    window = settings.LINKWELL_PASSWORD_RESET_WINDOW
    throttle.prune(PasswordResetRequest.objects.filter(at__lte=now - window))
    with transaction.atomic():
        throttle.serialise(f"reset-address:{digest}", f"reset-ip:{ip}")
        recent = PasswordResetRequest.objects.filter(at__gt=now - window)
        per_address = settings.LINKWELL_PASSWORD_RESETS_PER_ADDRESS
        if recent.filter(address_digest=digest).count() >= per_address:
            return False
        if ip and recent.filter(ip=ip).count() >= settings.LINKWELL_PASSWORD_RESETS_PER_IP:
            return False
        PasswordResetRequest.objects.create(address_digest=digest, ip=ip, at=now)
    return True


# --- Deletion -----------------------------------------------------------------------------


@transaction.atomic
def delete_account(*, member: User) -> None:
    """U4's last step (`membership.services.delete_member` runs every area's first): the
    account row, and with it by cascade whatever still points at it; its sign-in and
    password-reset records, which name it only by handle or address digest."""
    throttle.forget(member=member)
    PasswordResetRequest.objects.filter(address_digest=_address_digest(member.email)).delete()
    User.objects.filter(pk=member.pk).delete()


def lock_members(*member_ids: int) -> None:
    """PostgreSQL: lock these member rows, lowest id first, so two writers on the same members
    queue. NO KEY UPDATE, not UPDATE: it must not wait on the key-share locks that inserts
    naming a member take (their foreign keys are checked in constraint-name order, not by id),
    or an accept's second click and the first click's notification deadlocked (N2)."""
    if connection.vendor == "postgresql":
        list(
            User.objects.select_for_update(no_key=True)
            .filter(pk__in=member_ids)
            .order_by("pk")
            .values("pk")
        )
